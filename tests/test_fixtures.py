"""The shipped rubric: complete, bilingual, and safe to load twice (the demo: tests/demo/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import serializers
from django.core.management import call_command

from playbook.checks import OPTIONAL_TEXTS, rubric_problems
from playbook.models import (
    ActionStep,
    Choice,
    Element,
    FocusArea,
    Framework,
    Level,
    Question,
)
from playbook.translation import translated_field_names

RUBRIC_MODELS = [Framework, Element, Level, FocusArea, ActionStep, Question, Choice]


def load_rubric() -> None:
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)


def snapshot() -> str:
    rows: list[Any] = []
    for model in RUBRIC_MODELS:
        rows.extend(model._default_manager.order_by("pk"))
    return serializers.serialize("json", rows)


@pytest.fixture
def shipped_rubric(db: None) -> None:
    load_rubric()


def test_loading_the_rubric_twice_changes_nothing(shipped_rubric: None) -> None:
    before = snapshot()
    history_rows = Level.history.count()
    load_rubric()
    assert snapshot() == before
    assert Level.history.count() == history_rows


def test_shipped_rubric_passes_the_system_check(shipped_rubric: None) -> None:
    assert rubric_problems() == []
    call_command("check")


@pytest.mark.parametrize("model", RUBRIC_MODELS, ids=lambda model: model.__name__)
def test_every_text_exists_in_both_languages(shipped_rubric: None, model: Any) -> None:
    optional = OPTIONAL_TEXTS.get(model, set())
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        for name in translated_field_names(model):
            english = getattr(row, f"{name}_en").strip()
            chinese = getattr(row, f"{name}_zh_hans").strip()
            if name in optional and not english and not chinese:
                continue
            assert english, f"{row!r} {name} has no English"
            assert chinese, f"{row!r} {name} has no Chinese"
            assert english != chinese, f"{row!r} {name} is not translated"


def test_three_frameworks_with_their_elements(shipped_rubric: None) -> None:
    elements = {
        framework.key: list(framework.elements.values_list("key", flat=True))
        for framework in Framework.objects.all()
    }
    assert elements == {
        "cx-strategy-maturity": ["cx-strategy"],
        "cx-culture-four-cs": ["conscience", "communication", "consistency", "credibility"],
        "cx-five-dimensions": ["touchpoints", "pathways", "delivery", "ecosystem", "empathy"],
    }
    assert Framework.objects.get(key="cx-culture-four-cs").names_growth_opportunity


def test_levels_have_guidance_and_level_five_where_to_go(shipped_rubric: None) -> None:
    for level in Level.objects.prefetch_related("focus_areas", "action_steps"):
        if level.number < 5:
            assert level.focus_areas.count() >= 2, level
            assert level.action_steps.count() >= 2, level
        else:
            assert level.focus_areas.count() == 0, level
            assert level.action_steps.count() >= 2, level


def test_every_element_has_three_scored_questions(shipped_rubric: None) -> None:
    for element in Element.objects.all():
        scored = element.questions.exclude(kind=Question.Kind.TEXT).count()
        assert scored >= 3, element.key


def test_cx_strategy_quotes_with_roles_and_the_quote_question(shipped_rubric: None) -> None:
    levels = Level.objects.filter(element__key="cx-strategy").order_by("number")
    roles = [level.quote_role_en for level in levels]
    assert roles == [
        "Call centre lead",
        "Logistics team member",
        "Product lead",
        "Digital leader",
        "Product development lead",
    ]
    quotes = {f"“{level.quote_en}” ({level.quote_role_en})" for level in levels}
    quote_questions = [
        question
        for question in Question.objects.filter(element__key="cx-strategy")
        if quotes <= {choice.label_en for choice in question.choices.all()}
    ]
    assert len(quote_questions) == 1
    anchored = [(choice.score, choice.level) for choice in quote_questions[0].choices.all()]
    scored_levels = [(score, level.number) for score, level in anchored if level is not None]
    assert sorted(number for _score, number in scored_levels) == [1, 2, 3, 4, 5]
    assert all(score == number for score, number in scored_levels)


def test_the_five_reflection_questions_are_free_text(shipped_rubric: None) -> None:
    reflections = Question.objects.filter(key__startswith="reflection-")
    assert reflections.count() == 5
    assert set(reflections.values_list("kind", flat=True)) == {Question.Kind.TEXT}
