"""This project's configuration of a third-party app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    """django-tasks-db, named in the admin in the user's language.

    The package names its app "Tasks Database Backend" in a plain string, which no
    catalog can translate; a subclass of its config in ``INSTALLED_APPS`` is Django's
    way of renaming an app one does not own.
    """

    # The package's class says str; Django's AppConfig takes a lazy translation.
    verbose_name = _("Background tasks")  # type: ignore[assignment]
