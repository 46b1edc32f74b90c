"""Admin for assessments.

Answers are shown inside their assessment for reference only: they are what a
respondent said, and scores, charts and reports are computed from them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assessments.models import Answer, Assessment
from cxmaturity.admin_inputs import HostileInputAdminMixin

PREVIEW_LENGTH = 60


class AnswerInline(admin.TabularInline):
    """Answers as the respondent left them; changed only through the assessment itself."""

    model = Answer
    fields = ("question", "chosen", "answer_text", "note", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Answer]:
        return (
            super()
            .get_queryset(request)
            .select_related("question__element", "choice")
            .order_by("question__element__order", "question__order")
        )

    @admin.display(description=_("choice"))
    def chosen(self, answer: Answer) -> str:
        return str(answer.choice) if answer.choice else "–"

    @admin.display(description=_("answer"))
    def answer_text(self, answer: Answer) -> str:
        return Truncator(answer.text).chars(PREVIEW_LENGTH)


@admin.register(Assessment)
class AssessmentAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = (
        "team",
        "cycle",
        "respondent",
        "status",
        "answer_count",
        "updated_at",
        "submitted_at",
    )
    list_filter = ("status", "cycle", "team", "cycle__organisation")
    list_select_related = ("team", "cycle", "respondent")
    search_fields = ("team__name", "cycle__name", "respondent__username", "respondent__email")
    ordering = ("-updated_at",)
    date_hierarchy = "updated_at"
    autocomplete_fields = ("team", "cycle", "respondent")
    fields = ("team", "cycle", "respondent", "status", "created_at", "updated_at", "submitted_at")
    readonly_fields = ("created_at", "updated_at")
    inlines = (AnswerInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assessment]:
        return super().get_queryset(request).annotate(answer_total=Count("answers"))

    @admin.display(description=_("answers"), ordering="answer_total")
    def answer_count(self, assessment: Assessment) -> int:
        return assessment.answer_total  # type: ignore[attr-defined]
