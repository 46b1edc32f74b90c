from __future__ import annotations

import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("PDF action plans")

    def ready(self) -> None:
        # django-tasks-db has no start-up hook: the task worker is recognised by
        # its command line. It warms up before it takes its first task, so the
        # first plan after a (re)start does not wait for Chromium.
        if runs_the_task_worker(sys.argv):
            from reports.tasks import warm_up

            warm_up()


def runs_the_task_worker(argv: list[str]) -> bool:
    """Whether this process is the one that runs tasks: ``task_worker`` (or django-tasks-db's
    ``db_worker``), not in ``--batch``.

    With autoreload (``--reload``, the default when DEBUG is on) that is the
    reloader's child, not the parent that only watches the files.
    """
    if argv[1:2] not in (["task_worker"], ["db_worker"]) or "--batch" in argv:
        return False
    reloads = "--reload" in argv or (settings.DEBUG and "--no-reload" not in argv)
    return not reloads or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
