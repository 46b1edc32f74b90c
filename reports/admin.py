"""The background tasks' admin, which prepare the PDF action plans, in both languages,
and the task workers that run them.

django-tasks-db's admin labels two columns and two fields with plain strings
("Task name" from the ``task_name`` property, "traceback", "run after"); the
rest of its labels are the model's, translated through this project's catalog
(cxmaturity/django_strings.py). Re-registered here with translated labels, the
package's admin is otherwise unchanged: read-only, no adding, no deleting.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from cxmaturity.admin_inputs import HostileInputAdminMixin
from reports.models import TaskWorker

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


@admin.register(TaskWorker)
class TaskWorkerAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    """The task workers and their last heartbeat (``reports.worker``): written by the
    workers, so read only here. A worker killed without stopping leaves its row; an
    admin may delete it."""

    list_display = ("__str__", "worker_id", "started_at", "seen_at")
    readonly_fields = ("worker_id", "hostname", "pid", "started_at", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TaskWorker | None = None) -> bool:
        return False
