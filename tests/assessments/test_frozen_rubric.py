"""A cycle reads the rubric pinned when it opened: later admin edits leave it unchanged."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment
from organisations.models import Cycle
from playbook.models import Choice, Level, Question, RubricVersion
from playbook.versions import rubric_for_cycle, rubric_version_for
from results.selectors import assessment_result
from tests import factories
from tests.assessments.helpers import section_url
from tests.conftest import World
from tests.results.test_results import submitted


def pin(cycle: Cycle) -> Cycle:
    cycle.rubric_version = rubric_version_for(cycle.frameworks.all())
    cycle.save(update_fields=["rubric_version"])
    return cycle


def edit_rubric() -> None:
    """What an admin might do after a cycle opened: reword, rescore, retire."""
    level = Level.objects.get(element__key="alpha-element", number=2)
    level.description_en = "Reworded level two."
    level.save()
    question = Question.objects.get(key="alpha-element-level")
    question.prompt_en = "A new way to ask."
    question.save()
    Choice.objects.filter(question__key="alpha-element-agree", key="disagree").update(score=5)
    Question.objects.filter(key="alpha-element-reflect").update(active=False)


def test_the_same_rubric_gives_the_same_version(rubric: object) -> None:
    from playbook.models import Framework

    frameworks = Framework.objects.all()
    first = rubric_version_for(frameworks)
    assert rubric_version_for(frameworks) == first
    assert RubricVersion.objects.count() == 1
    edit_rubric()
    assert rubric_version_for(frameworks) != first
    assert RubricVersion.objects.count() == 2


def test_an_edit_after_submission_changes_nothing_in_the_old_cycle(
    lead_client: Client, world: World
) -> None:
    pin(world.cycle)
    assessment = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-2", "alpha-element-agree": "disagree"},
        {"alpha-element-reflect": "We listen."},
    )
    before = lead_client.get(reverse("assessment_results", args=[assessment.pk])).content.decode()
    assert "alpha-element looks like level 2." in before
    assert "<td>2.0</td>" in before

    edit_rubric()

    after = lead_client.get(reverse("assessment_results", args=[assessment.pk])).content.decode()
    assert "alpha-element looks like level 2." in after
    assert "Reworded level two." not in after
    assert "<td>2.0</td>" in after  # "disagree" still scores 2 in this cycle
    assert "We listen." in after  # the retired question's answer is still shown
    result = assessment_result(assessment)
    assert result.elements[0].score.score == 2.0


def test_a_new_cycle_uses_the_edited_rubric(lead_client: Client, world: World) -> None:
    pin(world.cycle)
    edit_rubric()
    next_cycle = pin(
        factories.make_cycle(
            world.acme,
            [world.framework],
            name="2027 H1",
            slug="2027-h1",
            opens_on=world.cycle.opens_on + datetime.timedelta(days=1),
            closes_on=world.cycle.closes_on + datetime.timedelta(days=180),
        )
    )
    old_section = lead_client.post(
        reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk])
    )
    assert old_section.status_code == 302
    old = Assessment.objects.get(cycle=world.cycle)
    assert "Where is alpha-element?" in lead_client.get(section_url(old, 1)).content.decode()

    lead_client.post(reverse("assessment_start", args=[world.alpha.pk, next_cycle.pk]))
    new = Assessment.objects.get(cycle=next_cycle)
    page = lead_client.get(section_url(new, 1)).content.decode()
    assert "A new way to ask." in page
    assert "Reflect on alpha-element." not in page  # retired after the first cycle opened

    # The new cycle scores "disagree" as 5 now.
    lead_client.post(
        section_url(new, 1),
        {"answer-alpha-element-level": "level-5", "answer-alpha-element-agree": "disagree"},
    )
    lead_client.post(
        section_url(new, 2),
        {"answer-beta-element-level": "level-5", "answer-beta-element-agree": "agree"},
    )
    lead_client.post(reverse("assessment_submit", args=[new.pk]))
    new.refresh_from_db()
    assert new.is_submitted
    result = assessment_result(new)
    assert result.elements[0].score.score == 5.0
    assert result.elements[0].level is not None
    assert result.elements[0].level.number == 5


def test_pinned_answers_keep_their_choice_after_a_key_is_renamed(
    lead_client: Client, world: World
) -> None:
    pin(world.cycle)
    lead_client.post(reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]))
    assessment = Assessment.objects.get()
    lead_client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-3"})
    Choice.objects.filter(question__key="alpha-element-level", key="level-3").update(key="third")
    page = lead_client.get(section_url(assessment, 1)).content.decode()
    assert 'value="level-3" checked' in page
    assert Answer.objects.filter(choice__key="third").count() == 1  # the same row, renamed live


def test_progress_matches_elements_by_key_across_versions(world: World) -> None:
    pin(world.cycle)
    old = submitted(
        world, world.lead, {"alpha-element-level": "level-2", "alpha-element-agree": "disagree"}
    )
    edit_rubric()
    later = pin(
        factories.make_cycle(
            world.acme,
            [world.framework],
            name="2027 H1",
            slug="2027-h1",
            opens_on=world.cycle.opens_on + datetime.timedelta(days=1),
            closes_on=world.cycle.closes_on + datetime.timedelta(days=180),
        )
    )
    new = Assessment.objects.create(
        team=world.alpha, cycle=later, respondent=world.lead, status=Assessment.Status.SUBMITTED
    )
    for key, choice in {
        "alpha-element-level": "level-4",
        "alpha-element-agree": "disagree",
    }.items():
        question = Question.objects.get(key=key)
        Answer.objects.create(
            assessment=new, question=question, choice=question.choices.get(key=choice)
        )
    progress = assessment_result(new).progress
    assert [cycle.cycle_name for cycle in progress.cycles] == ["2026 H2", "2027 H1"]
    # Old cycle: (2 + 2) / 2 with the old scores; new cycle: (4 + 5) / 2 with the new ones.
    assert [cycle.medians["alpha-element"] for cycle in progress.cycles] == [2.0, 4.5]
    assert old.pk != new.pk


@pytest.mark.django_db
def test_cycles_without_a_pinned_rubric_read_the_live_one(world: World) -> None:
    assert world.cycle.rubric_version is None
    Question.objects.filter(key="alpha-element-level").update(prompt_en="Live wording.")
    rubric = rubric_for_cycle(world.cycle)
    assert (
        rubric.questions[Question.objects.get(key="alpha-element-level").pk].prompt
        == "Live wording."
    )
