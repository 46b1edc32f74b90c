"""The save service refuses, by itself, an assessment that takes no more answers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessments import services
from assessments.forms import SectionAnswer
from assessments.models import Answer, Assessment
from organisations.models import Cycle
from playbook.models import Question
from tests.conftest import World


def draft(world: World) -> Assessment:
    return Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)


def level_answer(choice_key: str) -> SectionAnswer:
    question = Question.objects.get(key="alpha-element-level")
    return SectionAnswer(
        question=question, choice=question.choices.get(key=choice_key), text="", note="Seen."
    )


def test_save_stores_answers_and_marks_the_time(world: World) -> None:
    assessment = draft(world)
    before = Assessment.objects.get(pk=assessment.pk).updated_at
    saved = services.assessment_save_section(
        assessment=assessment, section_answers=[level_answer("level-3")]
    )
    answer = Answer.objects.get(assessment=assessment)
    assert answer.choice is not None and answer.choice.key == "level-3"
    assert answer.note == "Seen."
    stored = Assessment.objects.get(pk=assessment.pk).updated_at
    assert stored == saved.updated_at
    assert stored > before


def test_save_refuses_a_submitted_assessment_and_changes_nothing(world: World) -> None:
    assessment = draft(world)
    stale = Assessment.objects.get(pk=assessment.pk)  # an old tab still thinks it is a draft
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    before = Assessment.objects.get(pk=assessment.pk).updated_at
    with pytest.raises(services.AssessmentLocked, match="has been submitted"):
        services.assessment_save_section(
            assessment=stale, section_answers=[level_answer("level-3")]
        )
    assert not Answer.objects.exists()
    assert Assessment.objects.get(pk=assessment.pk).updated_at == before


def test_save_refuses_a_closed_cycle_and_changes_nothing(world: World) -> None:
    assessment = draft(world)
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    # As the next request reads it.
    assessment = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    with pytest.raises(services.AssessmentLocked, match="This cycle is closed"):
        services.assessment_save_section(
            assessment=assessment, section_answers=[level_answer("level-3")]
        )
    assert not Answer.objects.exists()
