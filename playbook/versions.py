"""Frozen rubric versions, and the rubric a cycle reads.

Opening a cycle pins the rubric as it is then: every framework, element,
level, focus area, action step, active question and active choice, with
their texts in both languages and their scores, copied into a
``RubricVersion``. Later admin edits change the live rows only, so a pinned
cycle keeps its questions, scores, results and PDFs. Identical rubrics share
one version (its digest is a hash of the copy).

``Rubric`` is what the questionnaire, scoring, results and reports read: the
elements of one cycle as model instances with their related rows already
attached, built either from a version (no queries once cached in the process:
a version never changes) or from the live tables (cycles opened before
pinning existed, and tests).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch, QuerySet

from playbook.models import (
    ActionStep,
    Choice,
    Element,
    FocusArea,
    Framework,
    Level,
    Question,
    RubricVersion,
)

FORMAT = 1


def _fields(instance: models.Model) -> dict[str, Any]:
    return {
        field.attname: field.value_from_object(instance) for field in instance._meta.concrete_fields
    }


def snapshot(frameworks: Iterable[Framework]) -> dict[str, Any]:
    """The rubric of ``frameworks`` as plain JSON-ready data."""
    framework_ids = [framework.pk for framework in frameworks]
    elements = (
        Element.objects.filter(framework_id__in=framework_ids)
        .select_related("framework")
        .prefetch_related(
            Prefetch(
                "levels", queryset=Level.objects.prefetch_related("focus_areas", "action_steps")
            ),
            Prefetch(
                "questions",
                queryset=Question.objects.active().prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.filter(active=True))
                ),
            ),
        )
    )
    data: dict[str, Any] = {"format": FORMAT, "frameworks": {}, "elements": []}
    for element in elements:
        data["frameworks"][str(element.framework_id)] = _fields(element.framework)
        data["elements"].append(
            {
                **_fields(element),
                "levels": [
                    {
                        **_fields(level),
                        "focus_areas": [_fields(item) for item in level.focus_areas.all()],
                        "action_steps": [_fields(item) for item in level.action_steps.all()],
                    }
                    for level in element.levels.all()
                ],
                "questions": [
                    {
                        **_fields(question),
                        "choices": [_fields(choice) for choice in question.choices.all()],
                    }
                    for question in element.questions.all()
                ],
            }
        )
    return data


def rubric_version_for(frameworks: Iterable[Framework]) -> RubricVersion:
    """The version holding the current rubric of ``frameworks`` (created if new)."""
    data = json.loads(json.dumps(snapshot(frameworks), cls=DjangoJSONEncoder, sort_keys=True))
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    version, _created = RubricVersion.objects.get_or_create(digest=digest, defaults={"data": data})
    return version


def _attach(instance: models.Model, name: str, related: list[Any]) -> None:
    """Make ``instance.<name>.all()`` return ``related`` without a query."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = related
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


def _instance(model: type[models.Model], values: dict[str, Any]) -> Any:
    # JSON turned decimals, dates and times into strings: each field reads its own back.
    instance = model(
        **{
            field.attname: field.to_python(values[field.attname])
            for field in model._meta.concrete_fields
            if field.attname in values
        }
    )
    instance._state.adding = False
    instance._state.db = "default"
    return instance


def _elements_from_data(data: dict[str, Any]) -> list[Element]:
    frameworks = {
        int(key): _instance(Framework, values) for key, values in data["frameworks"].items()
    }
    elements = []
    for element_data in data["elements"]:
        element = _instance(Element, element_data)
        element.framework = frameworks[element.framework_id]
        levels = []
        for level_data in element_data["levels"]:
            level = _instance(Level, level_data)
            level.element = element
            _attach(
                level, "focus_areas", [_instance(FocusArea, x) for x in level_data["focus_areas"]]
            )
            _attach(
                level,
                "action_steps",
                [_instance(ActionStep, x) for x in level_data["action_steps"]],
            )
            levels.append(level)
        questions = []
        for question_data in element_data["questions"]:
            question = _instance(Question, question_data)
            question.element = element
            choices = []
            for choice_data in question_data["choices"]:
                choice = _instance(Choice, choice_data)
                choice.question = question
                choices.append(choice)
            _attach(question, "choices", sorted(choices, key=lambda c: (c.order, c.key)))
            questions.append(question)
        _attach(element, "levels", sorted(levels, key=lambda level: level.number))
        _attach(element, "questions", sorted(questions, key=lambda q: (q.order, q.key)))
        elements.append(element)
    return sorted(elements, key=lambda e: (e.framework.order, e.framework.key, e.order, e.key))


@dataclass
class Rubric:
    """The elements one cycle asks about, with levels, guidance, questions and choices."""

    elements: list[Element]
    version_id: int | None = None
    _levels: dict[tuple[int, int], Level] | None = field(default=None, repr=False)

    # Lists, read once: each ``.all()`` on a prefetched relation builds a new
    # QuerySet, which the busiest pages would otherwise do dozens of times.
    @cached_property
    def questions_by_element(self) -> dict[int, list[Question]]:
        return {element.pk: list(element.questions.all()) for element in self.elements}

    @cached_property
    def choices_by_question(self) -> dict[int, list[Choice]]:
        return {
            question.pk: list(question.choices.all())
            for questions in self.questions_by_element.values()
            for question in questions
        }

    @cached_property
    def questions(self) -> dict[int, Question]:
        return {q.pk: q for questions in self.questions_by_element.values() for q in questions}

    @cached_property
    def choices(self) -> dict[int, Choice]:
        return {c.pk: c for choices in self.choices_by_question.values() for c in choices}

    @cached_property
    def scored_question_counts(self) -> dict[str, int]:
        questions = self.questions_by_element
        return {
            element.key: sum(q.is_scored for q in questions[element.pk])
            for element in self.elements
            if questions[element.pk]
        }

    def levels(self) -> dict[tuple[int, int], Level]:
        """(element id, level number) -> level with its guidance (three queries when live)."""
        if self._levels is None:
            if self.version_id is not None:
                self._levels = {
                    (element.pk, level.number): level
                    for element in self.elements
                    for level in element.levels.all()
                }
            else:
                queryset = Level.objects.filter(
                    element_id__in=[element.pk for element in self.elements]
                ).prefetch_related("focus_areas", "action_steps")
                self._levels = {(level.element_id, level.number): level for level in queryset}
        return self._levels


@lru_cache(maxsize=32)
def rubric_for_version(version_id: int) -> Rubric:
    """A pinned rubric; one query the first time this process reads it, none after."""
    data = RubricVersion.objects.values_list("data", flat=True).get(pk=version_id)
    return Rubric(elements=_elements_from_data(data), version_id=version_id)


def live_rubric(frameworks: QuerySet[Framework]) -> Rubric:
    """Today's rubric of ``frameworks``: three queries (elements, questions, choices)."""
    from playbook.queries import questionnaire_elements

    return Rubric(elements=questionnaire_elements(frameworks))


def rubric_for_cycle(cycle: Any) -> Rubric:
    """The rubric a cycle reads: its pinned version, or the live one if it has none.

    A pinned version costs one query the first time a process reads it and
    none after: versions never change. Callers must not modify what it returns.
    """
    if cycle.rubric_version_id:
        return rubric_for_version(cycle.rubric_version_id)
    return live_rubric(cycle.frameworks.all())
