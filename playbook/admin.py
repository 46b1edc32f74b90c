"""Admin for the rubric: every text in both languages side by side, with history.

Each rubric model uses django-simple-history's admin, so an admin can see who
changed a text and revert to an earlier version from the object's history page.

Rows that completed assessments depend on (questions, choices and levels that
answers point at) cannot be deleted from here, whichever way deletion is
attempted: delete view, bulk "delete selected" action or an inline's delete
checkbox. The admin says how many answers use the row and what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import model_ngettext, quote, unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from simple_history.admin import SimpleHistoryAdmin

from cxmaturity.admin_inputs import HostileInputAdminMixin
from playbook.models import (
    HIGHEST_LEVEL,
    ActionStep,
    Choice,
    Element,
    FocusArea,
    Framework,
    Level,
    Question,
    RubricVersion,
)
from playbook.versions import Rubric, rubric_for_version

LANGUAGE_SUFFIXES = ("_en", "_zh_hans")
# Narrow enough that the English and Chinese textareas of a pair fit on one row.
TEXTAREA_COLS = 44
INLINE_TEXTAREA_COLS = 22
# Text inputs in inline rows, so a row's bilingual pairs fit across the page.
INLINE_KEY_SIZE = 14
INLINE_TEXT_SIZE = 20
DEFAULT_TEXTAREA_ROWS = 4
PREVIEW_LENGTH = 60
ON_LIST_AND_FORM = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]


def answers_to_question(question: Question) -> int:
    return question.answers.count()


def answers_choosing(choice: Choice) -> int:
    return choice.answers.count()


def answers_resting_on_level(level: Level) -> int:
    """Answers that a level is "in use" by.

    A level is in use once anyone has answered a question of its element: the
    results of that assessment place the team on one of the element's five
    levels, and its reports quote the level's text, focus areas and action
    steps, so every level of the element may be what a past result points at.
    Answers whose chosen choice is anchored to the level count too, in case a
    question of another element anchors its choices here.
    """
    answers_to_element = Question.objects.filter(element_id=level.element_id).aggregate(
        total=Count("answers")
    )["total"]
    answers_from_elsewhere = (
        Choice.objects.filter(level=level)
        .exclude(question__element_id=level.element_id)
        .aggregate(total=Count("answers"))["total"]
    )
    return int(answers_to_element) + int(answers_from_elsewhere)


def rows_pinned_by(rubric: Rubric, model: type[models.Model]) -> set[Any]:
    """The primary keys of ``model``'s rows that a pinned rubric holds."""
    if model is Framework:
        return {element.framework_id for element in rubric.elements}
    if model is Element:
        return {element.pk for element in rubric.elements}
    if model is Question:
        return set(rubric.questions)
    if model is Choice:
        return set(rubric.choices)
    levels = rubric.levels().values()
    if model is Level:
        return {level.pk for level in levels}
    related = "focus_areas" if model is FocusArea else "action_steps"
    return {row.pk for level in levels for row in getattr(level, related).all()}


@dataclass(frozen=True)
class OpenCycle:
    """An open cycle as the admin names it: its name and its organisation's."""

    name: str
    organisation: str


def open_cycles_keeping(instance: models.Model) -> list[OpenCycle]:
    """The open cycles whose pinned rubric version holds this row, by organisation and name.

    Such a cycle keeps showing the row (a question or choice: asking it) as it
    was when the cycle opened, and its answers may point at it: an edit shows
    only in cycles opened later, and a deletion would break it.
    """
    # "open" is organisations' Cycle.Status.OPEN; playbook does not import
    # organisations, so it reads cycles through the versions they pin. The
    # values_list() below reuses the join this filter makes: closed cycles stay out.
    open_versions = RubricVersion.objects.filter(cycles__status="open")
    pinning = [
        version_id
        for version_id in open_versions.values_list("pk", flat=True).distinct()
        if instance.pk in rows_pinned_by(rubric_for_version(version_id), type(instance))
    ]
    cycles = (
        open_versions.filter(pk__in=pinning)
        .order_by("cycles__organisation__name", "cycles__name")
        .values_list("cycles__name", "cycles__organisation__name")
    )
    return [OpenCycle(name, organisation) for name, organisation in cycles]


def open_cycles_pinning(instance: Question | Choice) -> int:
    """How many open cycles ask this question or offer this choice in their frozen rubric.

    Such a cycle still shows the row to its respondents, and their answers
    point at it: deleting it would break the next save of that page.
    """
    return len(open_cycles_keeping(instance))


@dataclass(frozen=True)
class DeleteProtection:
    """How to count the answers that depend on a row, and what to do instead of deleting it."""

    answers_using: Callable[[Any], int]
    advice: str | Promise
    pinned_by: Callable[[Any], int] | None = None

    def refusal(self, instance: models.Model) -> str | None:
        """The message refusing to delete ``instance``, or None when nothing depends on it."""
        count = self.answers_using(instance)
        if not count and self.pinned_by is not None:
            cycles = self.pinned_by(instance)
            if cycles:
                message = ngettext(
                    "“%(object)s” cannot be deleted: %(count)d open cycle asks it in its "
                    "frozen rubric. %(advice)s",
                    "“%(object)s” cannot be deleted: %(count)d open cycles ask it in their "
                    "frozen rubric. %(advice)s",
                    cycles,
                )
                return message % {"object": instance, "count": cycles, "advice": self.advice}
        if not count:
            return None
        message = ngettext(
            "“%(object)s” cannot be deleted: %(count)d answer uses it. %(advice)s",
            "“%(object)s” cannot be deleted: %(count)d answers use it. %(advice)s",
            count,
        )
        return message % {"object": instance, "count": count, "advice": self.advice}


QUESTION_PROTECTION = DeleteProtection(
    answers_to_question,
    _("Mark it inactive instead so it is no longer asked."),
    pinned_by=open_cycles_pinning,
)
CHOICE_PROTECTION = DeleteProtection(
    answers_choosing,
    _("Mark it inactive instead so it is no longer offered."),
    pinned_by=open_cycles_pinning,
)
LEVEL_PROTECTION = DeleteProtection(
    answers_resting_on_level,
    _("Edit its texts instead: past results are reported against this element's levels."),
)


class SizedTextareasMixin(admin.options.BaseModelAdmin):
    """Textareas sized per text, narrow enough for an English/Chinese pair on one row."""

    textarea_rows: dict[str, int] = {}
    textarea_cols = TEXTAREA_COLS

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if isinstance(db_field, models.TextField):
            base_name = db_field.name
            for suffix in LANGUAGE_SUFFIXES:
                base_name = base_name.removesuffix(suffix)
            rows = self.textarea_rows.get(base_name, DEFAULT_TEXTAREA_ROWS)
            kwargs["widget"] = forms.Textarea(attrs={"rows": rows, "cols": self.textarea_cols})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _id_or_404(pk: models.Field[Any, Any] | None, value: str) -> None:
    """Not found for an id the primary key cannot hold (``/admin/playbook/level/%00/history/``).

    django-simple-history's history pages look the ids up as given, and a
    value that is no number raises there (a 500) rather than finding nothing.
    """
    assert pk is not None
    try:
        pk.to_python(unquote(value))
    except ValidationError as error:
        raise Http404 from error


class RubricAdmin(HostileInputAdminMixin, SizedTextareasMixin, SimpleHistoryAdmin):
    """Base admin for rubric models: sized bilingual textareas and change history.

    Its change form and revert form name the open cycles that keep the row as
    their pinned rubric version has it (admin/playbook/change_form.html), so
    an admin knows an edit shows only in cycles opened later.
    """

    object_history_form_template = "admin/playbook/object_history_form.html"

    # The history list has one inline style attribute, allowed there alone (settings.py).
    @method_decorator(csp_override(settings.CSP_ADMIN_HISTORY))
    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _id_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: models.Model | None = None,
    ) -> HttpResponse:
        if obj is not None and not add:
            context["open_cycles_keeping"] = open_cycles_keeping(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        _id_or_404(self.model._meta.pk, object_id)
        _id_or_404(self.model.history.model._meta.pk, version_id)  # type: ignore[attr-defined]
        instance = self.get_object(request, unquote(object_id))
        if instance is not None:
            extra_context = {
                **(extra_context or {}),
                "open_cycles_keeping": open_cycles_keeping(instance),
            }
        return super().history_form_view(request, object_id, version_id, extra_context)


class CompactInline(SizedTextareasMixin, admin.TabularInline):
    """A tabular inline whose keys, titles and texts are narrow enough to fit one row."""

    extra = 0
    show_change_link = True
    textarea_cols = INLINE_TEXTAREA_COLS

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if isinstance(db_field, models.SlugField):
            kwargs["widget"] = forms.TextInput(attrs={"size": INLINE_KEY_SIZE})
        elif isinstance(db_field, models.CharField) and not db_field.choices:
            kwargs["widget"] = forms.TextInput(attrs={"size": INLINE_TEXT_SIZE})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AnswerProtectedAdmin(RubricAdmin):
    """Refuses, with a message, to delete rows that answers depend on.

    The delete view sends the admin back to the change form, where they can
    edit or deactivate the row instead; the bulk action deletes nothing if any
    selected row is in use. Rows nothing depends on delete as usual, including
    Django's own handling of other protected relations.
    """

    delete_protection: DeleteProtection
    actions: Sequence[Any] = ("delete_selected",)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        instance = self.get_object(request, unquote(object_id))
        if instance is not None and self.has_delete_permission(request, instance):
            refusal = self.delete_protection.refusal(instance)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                change_url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[quote(instance.pk)],
                    current_app=self.admin_site.name,
                )
                return HttpResponseRedirect(change_url)
        return super().delete_view(request, object_id, extra_context)

    # Same name as Django's site-wide action, so this replaces it for this model.
    @admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
    def delete_selected(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        refusals = [
            refusal
            for instance in queryset
            if (refusal := self.delete_protection.refusal(instance))
        ]
        if refusals:
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            self.message_user(request, _("Nothing was deleted."), messages.WARNING)
            return None
        return django_delete_selected(self, request, queryset)


class AnswerProtectedInlineFormSet(BaseInlineFormSet):
    """Refuses an inline's delete checkbox on rows that answers depend on."""

    delete_protection: DeleteProtection  # set by AnswerProtectedInline.get_formset

    def clean(self) -> None:
        # Before super().clean(), whose unique checks run Django's own protected
        # check on deleted forms and would answer with a list of answers instead.
        refusals = [
            refusal
            for form in self.initial_forms
            if self.can_delete
            and form.cleaned_data.get(DELETION_FIELD_NAME)
            and (refusal := self.delete_protection.refusal(form.instance))
        ]
        if refusals:
            raise ValidationError(refusals)
        super().clean()


class AnswerProtectedInline(CompactInline):
    formset = AnswerProtectedInlineFormSet
    delete_protection: DeleteProtection

    def get_formset(
        self, request: HttpRequest, obj: models.Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        # The factory builds a fresh class on every call, so this is per request.
        formset.delete_protection = self.delete_protection  # type: ignore[attr-defined]
        return formset


class ActiveFlagActionsMixin(admin.ModelAdmin):
    """Actions "Mark inactive" and "Mark active" for models with an ``active`` flag.

    Offered on the change form too, where an admin lands after being refused a
    deletion and told to mark the row inactive instead.
    """

    @admin.action(
        permissions=["change"],
        description=_("Mark inactive"),
        description_plural=_("Mark selected %(verbose_name_plural)s inactive"),
        location=ON_LIST_AND_FORM,
    )
    def mark_inactive(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self._set_active(queryset, active=False)
        message = gettext("%(count)d %(items)s marked inactive.")
        self.message_user(request, message % {"count": count, "items": self._items(count)})

    @admin.action(
        permissions=["change"],
        description=_("Mark active"),
        description_plural=_("Mark selected %(verbose_name_plural)s active"),
        location=ON_LIST_AND_FORM,
    )
    def mark_active(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self._set_active(queryset, active=True)
        message = gettext("%(count)d %(items)s marked active.")
        self.message_user(request, message % {"count": count, "items": self._items(count)})

    def _items(self, count: int) -> str:
        # "1 question" / "3 questions": the model's verbose names carry the plural.
        return str(model_ngettext(self.opts, count))

    @staticmethod
    def _set_active(queryset: QuerySet[Any], *, active: bool) -> int:
        # Saved one by one rather than with update() so the history records who did it.
        changed = 0
        for instance in queryset.exclude(active=active):
            instance.active = active
            instance.save(update_fields=["active"])
            changed += 1
        return changed


# Inlines


class LevelOfElementChoiceField(forms.ModelChoiceField):
    """Levels of one element: the element's name would only repeat on every option."""

    def label_from_instance(self, obj: Level) -> str:
        return f"{obj.number} · {obj.name}"


class ElementInline(CompactInline):
    model = Element
    fields = ("key", "order", "name_en", "name_zh_hans")


class LevelInline(AnswerProtectedInline):
    model = Level
    fields = ("number", "name_en", "name_zh_hans", "description_en", "description_zh_hans")
    extra = 0
    max_num = HIGHEST_LEVEL
    show_change_link = True
    textarea_rows = {"description": 2}
    delete_protection = LEVEL_PROTECTION


class FocusAreaInline(CompactInline):
    model = FocusArea
    fields = ("key", "order", "title_en", "title_zh_hans")


class ActionStepInline(CompactInline):
    model = ActionStep
    fields = ("key", "order", "title_en", "title_zh_hans", "explanation_en", "explanation_zh_hans")
    textarea_rows = {"explanation": 2}


class ChoiceInline(AnswerProtectedInline):
    model = Choice
    fields = ("key", "order", "label_en", "label_zh_hans", "score", "level", "active")
    textarea_rows = {"label": 2}
    delete_protection = CHOICE_PROTECTION

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name != "level":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A choice anchors to a level of its own question's element, so on a
        # question's page offer only those, named by number and name alone.
        match = request.resolver_match
        question_id = match.kwargs.get("object_id") if match else None
        levels = Level.objects.select_related("element")
        if question_id is None:
            kwargs["queryset"] = levels
        else:
            kwargs["queryset"] = levels.filter(element__questions__pk=unquote(question_id))
            kwargs["form_class"] = LevelOfElementChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Model admins


@admin.register(Framework)
class FrameworkAdmin(RubricAdmin):
    list_display = ("key", "name_en", "name_zh_hans", "order", "active", "element_count")
    list_filter = ("active",)
    search_fields = ("key", "name_en", "name_zh_hans", "description_en", "description_zh_hans")
    ordering = ("order", "key")
    prepopulated_fields = {"key": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("key", "order", "active")}),
        (_("Name"), {"fields": (("name_en", "name_zh_hans"),)}),
        (_("Description"), {"fields": (("description_en", "description_zh_hans"),)}),
    )
    textarea_rows = {"description": 5}
    inlines = (ElementInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Framework]:
        return super().get_queryset(request).annotate(element_total=Count("elements"))

    @admin.display(description=_("elements"), ordering="element_total")
    def element_count(self, framework: Framework) -> int:
        return framework.element_total  # type: ignore[attr-defined]


@admin.register(Element)
class ElementAdmin(RubricAdmin):
    list_display = ("key", "name_en", "name_zh_hans", "framework", "order")
    list_filter = ("framework",)
    list_select_related = ("framework",)
    search_fields = ("key", "name_en", "name_zh_hans", "summary_en", "summary_zh_hans")
    ordering = ("framework__order", "order", "key")
    prepopulated_fields = {"key": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("framework", "key", "order")}),
        (_("Name"), {"fields": (("name_en", "name_zh_hans"),)}),
        (_("Summary"), {"fields": (("summary_en", "summary_zh_hans"),)}),
    )
    textarea_rows = {"summary": 4}
    inlines = (LevelInline,)


@admin.register(Level)
class LevelAdmin(AnswerProtectedAdmin):
    list_display = ("element", "number", "name_en", "name_zh_hans", "framework")
    list_display_links = ("element", "number")
    list_filter = ("element__framework", "element", "number")
    search_fields = (
        "element__key",
        "name_en",
        "name_zh_hans",
        "description_en",
        "description_zh_hans",
        "quote_en",
        "quote_zh_hans",
    )
    ordering = ("element__framework__order", "element__order", "element__key", "number")
    autocomplete_fields = ("element",)
    fieldsets = (
        (None, {"fields": ("element", "number")}),
        (_("Name"), {"fields": (("name_en", "name_zh_hans"),)}),
        (_("What it looks like"), {"fields": (("description_en", "description_zh_hans"),)}),
        (
            _("Typical employee quote"),
            {"fields": (("quote_en", "quote_zh_hans"), ("quote_role_en", "quote_role_zh_hans"))},
        ),
    )
    textarea_rows = {"description": 8, "quote": 3}
    inlines = (FocusAreaInline, ActionStepInline)
    delete_protection = LEVEL_PROTECTION

    def get_queryset(self, request: HttpRequest) -> QuerySet[Level]:
        # A level's name includes its element's, on every page and autocomplete
        # result. (A select_related here makes the changelist skip
        # list_select_related, so the framework column's join is here too.)
        return super().get_queryset(request).select_related("element__framework")

    @admin.display(description=_("framework"), ordering="element__framework__order")
    def framework(self, level: Level) -> str:
        return str(level.element.framework)


class LevelChildAdmin(RubricAdmin):
    """Shared by focus areas and action steps, which both hang off a level."""

    list_display = ("title_en", "title_zh_hans", "level", "key", "order")
    list_filter = ("level__element__framework", "level__element", "level__number")
    list_select_related = ("level__element",)
    ordering = (
        "level__element__framework__order",
        "level__element__order",
        "level__number",
        "order",
        "key",
    )
    autocomplete_fields = ("level",)


@admin.register(FocusArea)
class FocusAreaAdmin(LevelChildAdmin):
    search_fields = (
        "key",
        "level__element__key",
        "title_en",
        "title_zh_hans",
        "description_en",
        "description_zh_hans",
    )
    fieldsets = (
        (None, {"fields": ("level", "key", "order")}),
        (_("Title"), {"fields": (("title_en", "title_zh_hans"),)}),
        (_("Description"), {"fields": (("description_en", "description_zh_hans"),)}),
    )
    textarea_rows = {"description": 5}


@admin.register(ActionStep)
class ActionStepAdmin(LevelChildAdmin):
    search_fields = (
        "key",
        "level__element__key",
        "title_en",
        "title_zh_hans",
        "explanation_en",
        "explanation_zh_hans",
        "sub_points_en",
        "sub_points_zh_hans",
    )
    fieldsets = (
        (None, {"fields": ("level", "key", "order")}),
        (_("Title"), {"fields": (("title_en", "title_zh_hans"),)}),
        (_("Explanation"), {"fields": (("explanation_en", "explanation_zh_hans"),)}),
        (_("Sub-points, one per line"), {"fields": (("sub_points_en", "sub_points_zh_hans"),)}),
    )
    textarea_rows = {"explanation": 6, "sub_points": 5}


@admin.register(Question)
class QuestionAdmin(ActiveFlagActionsMixin, AnswerProtectedAdmin):
    list_display = (
        "key",
        "prompt_preview",
        "element",
        "kind",
        "order",
        "required",
        "weight",
        "active",
        "answer_count",
    )
    list_filter = ("element__framework", "element", "kind", "required", "active")
    search_fields = (
        "key",
        "element__key",
        "prompt_en",
        "prompt_zh_hans",
        "help_text_en",
        "help_text_zh_hans",
    )
    ordering = ("element__framework__order", "element__order", "order", "key")
    autocomplete_fields = ("element",)
    actions = ("mark_inactive", "mark_active", "delete_selected")
    fieldsets = (
        (None, {"fields": ("element", "key", "order", "kind")}),
        (_("Prompt"), {"fields": (("prompt_en", "prompt_zh_hans"),)}),
        (_("Help text"), {"fields": (("help_text_en", "help_text_zh_hans"),)}),
        (_("Scoring"), {"fields": ("required", "weight", "active")}),
    )
    textarea_rows = {"prompt": 3, "help_text": 3}
    inlines = (ChoiceInline,)
    delete_protection = QUESTION_PROTECTION

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        # A question's name includes its element's, on every page and autocomplete
        # result. (The changelist then skips list_select_related: nothing else to join.)
        questions = super().get_queryset(request).select_related("element")
        return questions.annotate(answer_total=Count("answers"))

    @admin.display(description=_("Prompt (English)"), ordering="prompt_en")
    def prompt_preview(self, question: Question) -> str:
        return Truncator(question.prompt_en).chars(PREVIEW_LENGTH)

    @admin.display(description=_("answers"), ordering="answer_total")
    def answer_count(self, question: Question) -> int:
        return question.answer_total  # type: ignore[attr-defined]


@admin.register(Choice)
class ChoiceAdmin(ActiveFlagActionsMixin, AnswerProtectedAdmin):
    list_display = (
        "label_preview",
        "question",
        "key",
        "order",
        "score",
        "level__number",
        "active",
        "answer_count",
    )
    list_filter = (
        "question__element__framework",
        "question__element",
        "question__kind",
        "score",
        "active",
    )
    list_select_related = ("question__element", "level")
    search_fields = ("key", "question__key", "label_en", "label_zh_hans")
    ordering = (
        "question__element__framework__order",
        "question__element__order",
        "question__order",
        "order",
    )
    autocomplete_fields = ("question", "level")
    actions = ("mark_inactive", "mark_active", "delete_selected")
    fieldsets = (
        (None, {"fields": ("question", "key", "order")}),
        (_("Label"), {"fields": (("label_en", "label_zh_hans"),)}),
        (_("Scoring"), {"fields": ("score", "level", "active")}),
    )
    textarea_rows = {"label": 3}
    delete_protection = CHOICE_PROTECTION

    def get_queryset(self, request: HttpRequest) -> QuerySet[Choice]:
        return super().get_queryset(request).annotate(answer_total=Count("answers"))

    @admin.display(description=_("Label (English)"), ordering="label_en")
    def label_preview(self, choice: Choice) -> str:
        return Truncator(choice.label_en).chars(PREVIEW_LENGTH)

    @admin.display(description=_("answers"), ordering="answer_total")
    def answer_count(self, choice: Choice) -> int:
        return choice.answer_total  # type: ignore[attr-defined]
