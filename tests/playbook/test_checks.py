from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from playbook.checks import rubric_problems
from playbook.models import ActionStep, Choice, Framework, Level, Question


def test_complete_test_rubric_has_no_problems(rubric: Framework) -> None:
    assert rubric_problems() == []
    call_command("check")


def test_missing_level_is_reported_by_name(rubric: Framework) -> None:
    Choice.objects.filter(level__element__key="alpha-element", level__number=3).delete()
    Level.objects.filter(element__key="alpha-element", number=3).delete()
    assert "Element 'alpha-element' has no level 3." in rubric_problems()
    with pytest.raises(SystemCheckError, match="Element 'alpha-element' has no level 3"):
        call_command("check")


def test_level_without_steps_is_reported(rubric: Framework) -> None:
    ActionStep.objects.filter(level__element__key="beta-element", level__number=2).delete()
    assert "Element 'beta-element', level 2 has no action steps." in rubric_problems()


def test_missing_chinese_text_is_reported(rubric: Framework) -> None:
    Level.objects.filter(element__key="alpha-element", number=4).update(description_zh_hans="")
    assert "Element 'alpha-element', level 4: description has no Chinese text." in rubric_problems()


def test_missing_english_text_is_reported(rubric: Framework) -> None:
    Question.objects.filter(key="alpha-element-agree").update(prompt_en="")
    assert (
        "Question 'alpha-element-agree' (alpha-element): prompt has no English text."
        in rubric_problems()
    )


def test_question_without_choices_is_reported(rubric: Framework) -> None:
    Choice.objects.filter(question__key="beta-element-agree").delete()
    assert "Question 'beta-element-agree' (beta-element) has no choices." in rubric_problems()
