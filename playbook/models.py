"""The rubric: frameworks, elements, five levels, focus areas, action steps, questions.

Every framework has the same shape: Framework -> Element -> Level 1..5. A level
says what it looks like, may quote a typical employee, names the focus areas
for reaching the next level and lists ordered action steps (level 5 lists the
"where to go from here" steps instead). Questions belong to an element.

Every row has a stable ``key`` (unique within its parent), which is its natural
key in fixtures and what later cycles match on when they compare results.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from playbook.translation import TranslatedField

LEVEL_NUMBERS = (1, 2, 3, 4, 5)
HIGHEST_LEVEL = 5


# The two columns of a bilingual text: "<name>_en" and "<name>_zh_hans".
def _en(verbose_name: Any, **kwargs: Any) -> models.TextField:
    return models.TextField(format_lazy(_("{field} (English)"), field=verbose_name), **kwargs)


def _zh(verbose_name: Any, **kwargs: Any) -> models.TextField:
    return models.TextField(format_lazy(_("{field} (Chinese)"), field=verbose_name), **kwargs)


def _en_char(verbose_name: Any, **kwargs: Any) -> models.CharField:
    label = format_lazy(_("{field} (English)"), field=verbose_name)
    return models.CharField(label, max_length=200, **kwargs)


def _zh_char(verbose_name: Any, **kwargs: Any) -> models.CharField:
    label = format_lazy(_("{field} (Chinese)"), field=verbose_name)
    return models.CharField(label, max_length=200, **kwargs)


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def get_by_natural_key(self, key: str) -> Framework:
        return self.get(key=key)

    def active(self) -> FrameworkQuerySet:
        return self.filter(active=True)


class Framework(models.Model):
    key = models.SlugField(_("key"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    names_growth_opportunity = models.BooleanField(
        _("names the growth opportunity"),
        default=False,
        help_text=_(
            "Results name this framework's lowest-scoring element as the biggest growth "
            "opportunity (as for the four Cs)."
        ),
    )
    name_en = _en_char(_("Name"))
    name_zh_hans = _zh_char(_("Name"))
    description_en = _en(_("Description"), blank=True)
    description_zh_hans = _zh(_("Description"), blank=True)

    name = TranslatedField()
    description = TranslatedField()

    objects = FrameworkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return str(self.name)

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class ElementQuerySet(models.QuerySet["Element"]):
    def get_by_natural_key(self, key: str) -> Element:
        return self.get(key=key)

    def for_framework(self, framework: Framework) -> ElementQuerySet:
        return self.filter(framework=framework)


class Element(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="elements", verbose_name=_("framework")
    )
    key = models.SlugField(_("key"), unique=True, help_text=_("Stable across rubric edits."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = _en_char(_("Name"))
    name_zh_hans = _zh_char(_("Name"))
    summary_en = _en(_("Summary"), blank=True)
    summary_zh_hans = _zh(_("Summary"), blank=True)

    name = TranslatedField()
    summary = TranslatedField()

    objects = ElementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework__order", "order", "key"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")

    def __str__(self) -> str:
        return str(self.name)

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    natural_key.dependencies = ["playbook.framework"]  # type: ignore[attr-defined]


class LevelQuerySet(models.QuerySet["Level"]):
    def get_by_natural_key(self, element_key: str, number: int) -> Level:
        return self.get(element__key=element_key, number=number)


class Level(models.Model):
    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="levels", verbose_name=_("element")
    )
    number = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(HIGHEST_LEVEL)]
    )
    name_en = _en_char(_("Name"))
    name_zh_hans = _zh_char(_("Name"))
    description_en = _en(_("What it looks like"))
    description_zh_hans = _zh(_("What it looks like"))
    quote_en = _en(_("Typical employee quote"), blank=True)
    quote_zh_hans = _zh(_("Typical employee quote"), blank=True)
    quote_role_en = _en_char(_("Quoted speaker's role"), blank=True)
    quote_role_zh_hans = _zh_char(_("Quoted speaker's role"), blank=True)

    name = TranslatedField()
    description = TranslatedField()
    quote = TranslatedField()
    quote_role = TranslatedField()

    objects = LevelQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["element", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["element", "number"], name="unique_level_per_element"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=HIGHEST_LEVEL),
                name="level_number_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element} · {self.number} {self.name}"

    def natural_key(self) -> tuple[str, int]:
        return (self.element.key, self.number)

    natural_key.dependencies = ["playbook.element"]  # type: ignore[attr-defined]

    @property
    def is_highest(self) -> bool:
        """Level 5 has no next level: its steps are "where to go from here"."""
        return self.number == HIGHEST_LEVEL


class LevelChildQuerySet(models.QuerySet[Any]):
    def get_by_natural_key(self, element_key: str, number: int, key: str) -> Any:
        return self.get(level__element__key=element_key, level__number=number, key=key)


class FocusArea(models.Model):
    """Something to concentrate on to move from this level to the next."""

    level = models.ForeignKey(
        Level, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("level")
    )
    key = models.SlugField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _en_char(_("Title"))
    title_zh_hans = _zh_char(_("Title"))
    description_en = _en(_("Description"), blank=True)
    description_zh_hans = _zh(_("Description"), blank=True)

    title = TranslatedField()
    description = TranslatedField()

    objects = LevelChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "order", "key"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["level", "key"], name="unique_focus_area_key"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def natural_key(self) -> tuple[str, int, str]:
        return (self.level.element.key, self.level.number, self.key)

    natural_key.dependencies = ["playbook.level"]  # type: ignore[attr-defined]


class ActionStep(models.Model):
    """A numbered step towards the next level (on level 5: where to go from here)."""

    level = models.ForeignKey(
        Level, on_delete=models.CASCADE, related_name="action_steps", verbose_name=_("level")
    )
    key = models.SlugField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = _en_char(_("Title"))
    title_zh_hans = _zh_char(_("Title"))
    explanation_en = _en(_("Explanation"))
    explanation_zh_hans = _zh(_("Explanation"))
    sub_points_en = _en(_("Sub-points, one per line"), blank=True)
    sub_points_zh_hans = _zh(_("Sub-points, one per line"), blank=True)

    title = TranslatedField()
    explanation = TranslatedField()
    sub_points = TranslatedField()

    objects = LevelChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "order", "key"]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        constraints = [
            models.UniqueConstraint(fields=["level", "key"], name="unique_action_step_key"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def natural_key(self) -> tuple[str, int, str]:
        return (self.level.element.key, self.level.number, self.key)

    natural_key.dependencies = ["playbook.level"]  # type: ignore[attr-defined]

    def sub_point_list(self) -> list[str]:
        return [line.strip() for line in str(self.sub_points).splitlines() if line.strip()]


class QuestionQuerySet(models.QuerySet["Question"]):
    def get_by_natural_key(self, key: str) -> Question:
        return self.get(key=key)

    def active(self) -> QuestionQuerySet:
        return self.filter(active=True)


class Question(models.Model):
    class Kind(models.TextChoices):
        LEVEL = "level", _("Level-anchored choice")
        AGREEMENT = "agreement", _("Agreement scale")
        TEXT = "text", _("Free text")

    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, related_name="questions", verbose_name=_("element")
    )
    key = models.SlugField(_("key"), unique=True, help_text=_("Stable across rubric edits."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.LEVEL)
    prompt_en = _en(_("Prompt"))
    prompt_zh_hans = _zh(_("Prompt"))
    help_text_en = _en(_("Help text"), blank=True)
    help_text_zh_hans = _zh(_("Help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Relative weight in the element score; free-text questions are not scored."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive questions are no longer asked; past answers keep their meaning."),
    )

    prompt = TranslatedField()
    help_text = TranslatedField()

    objects = QuestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["element__framework__order", "element__order", "order", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.element} · {self.key}"

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    natural_key.dependencies = ["playbook.element", "playbook.level"]  # type: ignore[attr-defined]

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.TEXT


class ChoiceQuerySet(models.QuerySet["Choice"]):
    def get_by_natural_key(self, question_key: str, key: str) -> Choice:
        return self.get(question__key=question_key, key=key)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    key = models.SlugField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label_en = _en(_("Label"))
    label_zh_hans = _zh(_("Label"))
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HIGHEST_LEVEL)],
        help_text=_("1 to 5. Leave empty for “not sure”: such answers are not scored."),
    )
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anchored_choices",
        verbose_name=_("anchored level"),
        help_text=_("For level-anchored questions: the level this choice describes."),
    )
    active = models.BooleanField(_("active"), default=True)

    label = TranslatedField()

    objects = ChoiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order", "key"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_choice_key"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    def natural_key(self) -> tuple[str, str]:
        return (self.question.key, self.key)

    natural_key.dependencies = ["playbook.question"]  # type: ignore[attr-defined]


class RubricVersionQuerySet(models.QuerySet["RubricVersion"]):
    def get_by_natural_key(self, digest: str) -> RubricVersion:
        return self.get(digest=digest)


class RubricVersion(models.Model):
    """A frozen copy of the rubric (texts, questions, choices, scores) as a cycle opened.

    Identical rubrics share one version: ``digest`` is the SHA-256 of ``data``.
    """

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    data = models.JSONField(_("rubric"))
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    objects = RubricVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.created_at:%Y-%m-%d})"

    def natural_key(self) -> tuple[str]:
        return (self.digest,)
