"""Pages use a fixed number of queries on the full shipped rubric."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from assessments.questionnaire import load_questionnaire
from organisations.models import Team
from tests import factories
from tests.assessments.helpers import answer_everything, section_url

MAX_QUERIES = 12


@pytest.fixture
def demo_assessment(db: None, settings: Any) -> tuple[Client, Assessment]:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)
    team = Team.objects.get(slug="customer-support")
    lead = team.memberships.get().user
    assessment = Assessment.objects.create(
        team=team, cycle=team.organisation.cycles.get(), respondent=lead
    )
    client = Client()
    client.force_login(lead)
    return client, assessment


def test_every_section_page_uses_a_fixed_number_of_queries(
    demo_assessment: tuple[Client, Assessment], django_assert_max_num_queries: Any
) -> None:
    client, assessment = demo_assessment
    sections = load_questionnaire(assessment).sections
    assert len(sections) == 10
    for section in sections:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(section_url(assessment, section.number))
        assert response.status_code == 200


def test_section_save_uses_a_fixed_number_of_queries(
    demo_assessment: tuple[Client, Assessment], django_assert_max_num_queries: Any
) -> None:
    client, assessment = demo_assessment
    section = load_questionnaire(assessment).sections[0]
    data = {f"answer-{q.key}": q.choices.all()[1].key for q in section.questions if q.is_scored}
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(section_url(assessment, 1), data)
    assert response.status_code == 302
    assert assessment.answers.count() == len(data)


def test_results_page_uses_a_fixed_number_of_queries(
    demo_assessment: tuple[Client, Assessment], django_assert_max_num_queries: Any
) -> None:
    client, assessment = demo_assessment
    answer_everything(client, assessment)
    client.post(reverse("assessment_submit", args=[assessment.pk]))
    # A second respondent makes the team result appear: still the same queries.
    second = factories.make_user("second")
    factories.make_lead(second, assessment.team)
    other = Assessment.objects.create(
        team=assessment.team, cycle=assessment.cycle, respondent=second
    )
    second_client = Client()
    second_client.force_login(second)
    answer_everything(second_client, other, choice_key="level-5")
    second_client.post(reverse("assessment_submit", args=[other.pk]))

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("assessment_results", args=[assessment.pk]))
    page = response.content.decode()
    assert "Team median" in page
    assert "Level 3:" in page


def test_home_page_uses_a_fixed_number_of_queries(
    demo_assessment: tuple[Client, Assessment], django_assert_max_num_queries: Any
) -> None:
    client, _assessment = demo_assessment
    with django_assert_max_num_queries(8):
        response = client.get(reverse("home"))
    assert "In progress (answered 0 of 56)" in response.content.decode()
