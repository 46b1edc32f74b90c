"""The background tasks' admin, which prepare the PDF action plans, in both languages.

django-tasks-db's admin labels two columns and two fields with plain strings
("Task name" from the ``task_name`` property, "traceback", "run after"); the
rest of its labels are the model's, translated through this project's catalog
(cxmaturity/django_strings.py). Re-registered here with translated labels, the
package's admin is otherwise unchanged: read-only, no adding, no deleting.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from cxmaturity.admin_inputs import HostileInputAdminMixin

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(HostileInputAdminMixin, DBTaskResultAdmin):
    @admin.display(description=_("task name"))
    def task_name(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)
