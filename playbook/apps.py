from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "playbook"
    verbose_name = _("Playbook (rubric)")

    def ready(self) -> None:
        from playbook import checks  # noqa: F401  (registers the rubric system check)
