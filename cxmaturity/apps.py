"""This project's configuration of third-party apps."""

from __future__ import annotations

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    """django-tasks-db, named in the admin in the user's language.

    The package names its app "Tasks Database Backend" in a plain string, which no
    catalog can translate; a subclass of its config in ``INSTALLED_APPS`` is Django's
    way of renaming an app one does not own.
    """

    # The package's class says str; Django's AppConfig takes a lazy translation.
    verbose_name = _("Background tasks")  # type: ignore[assignment]


class AxesConfig(axes_apps.AppConfig):
    """django-axes, the log-in throttle, named in the admin in the user's language.

    The package gives its app no name (the admin would say "Axes"). Its models'
    and admin's names are lazy translations with no Chinese in the package:
    this project's catalog has them (``AXES_ADMIN_NAMES``).
    """

    verbose_name = _("Log-in throttle")


# django-axes' own msgids that its admin shows, listed so that makemessages
# keeps their translations in this project's catalog.
AXES_ADMIN_NAMES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("Access lock out"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Clean up expired attempts"),
]
