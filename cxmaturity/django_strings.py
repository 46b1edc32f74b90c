"""Strings of Django's and of third-party apps that no catalog of theirs translates (well).

``makemessages`` reads only this project's code. The strings marked here are
looked up at run time by code that is not ours; marked here, ``makemessages``
keeps them in this project's catalog, which Django reads before any other, so
they show in Chinese.

- Django 6.1 labels the empty option of every select "- Select an option -"
  (``django.db.models.fields.BLANK_CHOICE_LABEL``), a string its zh_Hans
  catalog does not have.
- Django ends every form label with ``gettext(":")``, which its zh_Hans
  catalog leaves an ASCII colon; after a Chinese label it is "：".
- django-tasks-db ships no translations, yet names its model and fields with
  ``gettext_lazy``: the admin shows them in its index, in the task results'
  columns and filters and on each result's page. (Django's own catalog has the
  task statuses, "Ready", "Running", "Failed" and "Successful".)
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

UNTRANSLATED_BY_DJANGO = [
    gettext_noop("- Select an option -"),
    gettext_noop(":"),
]

# django_tasks_db/models.py, DBTaskResult and its fields, in their order there.
UNTRANSLATED_BY_DJANGO_TASKS_DB = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]
