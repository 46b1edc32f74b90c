"""Action items: the next-level steps a team commits to."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import NOTE_MAX_LENGTH
from organisations.models import Cycle, Team
from playbook.models import ActionStep
from playbook.translation import TranslatedField

TITLE_MAX_LENGTH = 300


class ActionItem(models.Model):
    """A next-level step a team commits to: an owner, a due date and a status."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("team")
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("cycle")
    )
    action_step = models.ForeignKey(
        ActionStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("action step"),
    )
    # Kept on the item so it reads the same after rubric edits, and after the
    # step is removed from the rubric: the step's title in both languages.
    element_key = models.SlugField(_("element key"), blank=True)
    step_key = models.SlugField(_("step key"), blank=True)
    title_en = models.CharField(
        format_lazy(_("{field} (English)"), field=_("title")), max_length=TITLE_MAX_LENGTH
    )
    title_zh_hans = models.CharField(
        format_lazy(_("{field} (Chinese)"), field=_("title")),
        max_length=TITLE_MAX_LENGTH,
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_action_items",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner (name)"), max_length=200, blank=True, help_text=_("When the owner has no login.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    title = TranslatedField()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_actionitem"
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE
