from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment
from organisations.models import Team
from playbook.models import Choice, Question
from tests import factories
from tests.conftest import World, logged_in


def submitted(
    world: World,
    respondent,
    choices: dict[str, str],
    texts: dict[str, str] | None = None,
    team: Team | None = None,
) -> Assessment:  # type: ignore[no-untyped-def]
    """A submitted assessment of ``team`` (alpha) answering question key -> choice key."""
    assessment = Assessment.objects.create(
        team=team or world.alpha,
        cycle=world.cycle,
        respondent=respondent,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    for question_key, choice_key in choices.items():
        question = Question.objects.get(key=question_key)
        Answer.objects.create(
            assessment=assessment,
            question=question,
            choice=Choice.objects.get(question=question, key=choice_key),
        )
    for question_key, text in (texts or {}).items():
        Answer.objects.create(
            assessment=assessment, question=Question.objects.get(key=question_key), text=text
        )
    return assessment


def results_url(assessment: Assessment) -> str:
    return reverse("assessment_results", args=[assessment.pk])


def test_results_show_score_level_and_next_level_steps(lead_client: Client, world: World) -> None:
    assessment = submitted(
        world,
        world.lead,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "agree",  # (2 + 4) / 2 = 3.0 -> level 3
            "beta-element-level": "level-1",
            "beta-element-agree": "disagree",  # 1.5 -> level 2
        },
        {"alpha-element-reflect": "We rarely ask customers."},
    )
    page = lead_client.get(results_url(assessment)).content.decode()
    assert "<td>3.0</td>" in page
    assert "Level 3: Stage 3" in page
    assert "alpha-element looks like level 3." in page
    assert "Focus areas for reaching level 4" in page
    assert "alpha-element focus 3.1" in page
    assert "alpha-element step 3.2" in page
    assert "alpha-element step 2.1" not in page  # only the steps for the level reached
    assert "<td>1.5</td>" in page
    assert "beta-element step 2.1" in page
    # beta scored lowest: the framework names it the biggest growth opportunity.
    assert "Biggest growth opportunity:</strong> Element beta-element (1.5)" in page
    assert "We rarely ask customers." in page
    assert "How is this scored?" in page


def test_level_five_shows_where_to_go_from_here(lead_client: Client, world: World) -> None:
    assessment = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-5", "alpha-element-agree": "strongly-agree"},
    )
    page = lead_client.get(results_url(assessment)).content.decode()
    assert "Where to go from here" in page
    assert "alpha-element step 5.1" in page


def test_not_enough_answers_instead_of_a_level(lead_client: Client, world: World) -> None:
    assessment = submitted(
        world, world.lead, {"alpha-element-level": "not-sure", "alpha-element-agree": "not-sure"}
    )
    page = lead_client.get(results_url(assessment)).content.decode()
    assert "Not enough answers to place this element (0 of 2 scored questions answered" in page
    assert "Level 1: Stage 1" not in page


def test_team_result_appears_with_several_respondents(lead_client: Client, world: World) -> None:
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    mine = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"},
    )
    submitted(
        world, second, {"alpha-element-level": "level-4", "alpha-element-agree": "strongly-agree"}
    )
    page = lead_client.get(results_url(mine)).content.decode()
    assert "Team median (lowest–highest)" in page
    assert "2.8 (1.0–4.5)" in page  # median of 1.0 and 4.5 is 2.75
    assert "respondents disagree" in page


def test_single_respondent_shows_no_team_column(lead_client: Client, world: World) -> None:
    assessment = submitted(world, world.lead, {"alpha-element-level": "level-2"})
    assert "Team median" not in lead_client.get(results_url(assessment)).content.decode()


def test_results_in_chinese(lead_client: Client, world: World) -> None:
    assessment = submitted(
        world, world.lead, {"alpha-element-level": "level-2", "alpha-element-agree": "disagree"}
    )
    page = lead_client.get(results_url(assessment), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "alpha-element 处于第 2 级。" in page
    assert "alpha-element 步骤 2.1" in page


def test_manager_sees_results_of_their_organisation(manager_client: Client, world: World) -> None:
    assessment = submitted(world, world.lead, {"alpha-element-level": "level-2"})
    response = manager_client.get(results_url(assessment))
    assert response.status_code == 200
    assert "Results for Alpha support, 2026 H2" in response.content.decode()


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider"])
def test_results_are_404_for_everyone_else(who: str, world: World) -> None:
    assessment = submitted(world, world.lead, {"alpha-element-level": "level-2"})
    assert logged_in(getattr(world, who)).get(results_url(assessment)).status_code == 404


def test_draft_results_send_the_respondent_to_review(lead_client: Client, world: World) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    response = lead_client.get(results_url(assessment))
    assert response["Location"] == reverse("assessment_review", args=[assessment.pk])


def test_draft_results_are_404_for_a_manager(manager_client: Client, world: World) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    assert manager_client.get(results_url(assessment)).status_code == 404


def test_results_need_get(lead_client: Client, world: World) -> None:
    assessment = submitted(world, world.lead, {"alpha-element-level": "level-2"})
    assert lead_client.post(results_url(assessment)).status_code == 405


def test_organisation_median_counts_each_team_once(world: World) -> None:
    from results.selectors import assessment_result

    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    mine = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"},
    )
    submitted(world, second, {"alpha-element-level": "level-2", "alpha-element-agree": "disagree"})
    submitted(
        world,
        world.lead2,
        {"alpha-element-level": "level-5", "alpha-element-agree": "strongly-agree"},
        team=world.beta,
    )

    result = assessment_result(mine)
    # alpha's median is 1.5 (1.0 and 2.0), beta's 5.0: the median of the two teams is 3.25.
    assert result.organisation_teams == 2
    assert result.organisation_medians["alpha-element"] == 3.25
    assert result.organisation_medians["beta-element"] is None


def test_results_name_who_answered_to_them_and_to_their_manager(
    world: World, lead_client: Client, manager_client: Client
) -> None:
    world.lead.first_name, world.lead.last_name = "Lin", "Wei"
    world.lead.save()
    assessment = submitted(world, world.lead, {"alpha-element-level": "level-2"})
    for client in (lead_client, manager_client):
        page = client.get(results_url(assessment)).content.decode()
        assert "Answered by Lin Wei, submitted" in page
    other = submitted(world, world.lead2, {"alpha-element-level": "level-3"}, team=world.beta)
    page = manager_client.get(results_url(other)).content.decode()
    assert "Answered by lead2, submitted" in page
