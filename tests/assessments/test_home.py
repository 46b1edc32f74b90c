"""The home page: scheduled cycles, a CX manager's progress, drafts left in a closed cycle."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from assessments.models import Assessment
from organisations.models import Cycle, Team
from tests import factories
from tests.conftest import World, logged_in


def home(client: Client, **extra: Any) -> str:
    response = client.get(reverse("home"), **extra)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def start_url(world: World, cycle: Cycle) -> str:
    return reverse("assessment_start", args=[world.alpha.pk, cycle.pk])


def scheduled_cycle(world: World, days: int = 10) -> Cycle:
    today = timezone.localdate()
    return factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        opens_on=today + datetime.timedelta(days=days),
        closes_on=today + datetime.timedelta(days=days + 60),
    )


# Scheduled cycles


def test_a_lead_sees_when_a_scheduled_cycle_opens_and_cannot_start_it(
    lead_client: Client, world: World
) -> None:
    cycle = scheduled_cycle(world)
    page = home(lead_client)
    assert f"Opens on {date_format(cycle.opens_on, 'DATE_FORMAT')}" in page
    assert "You can start the assessment once the cycle opens." in page
    assert f'action="{start_url(world, cycle)}"' not in page
    assert f'action="{start_url(world, world.cycle)}"' in page  # the open one


def test_a_scheduled_cycle_opens_by_itself_on_its_date(lead_client: Client, world: World) -> None:
    cycle = scheduled_cycle(world, days=1)
    assert f'action="{start_url(world, cycle)}"' not in home(lead_client)
    Cycle.objects.filter(pk=cycle.pk).update(opens_on=timezone.localdate())
    page = home(lead_client)
    assert f'action="{start_url(world, cycle)}"' in page
    assert "Opens on" not in page


def test_a_cycle_opened_early_can_be_started(
    lead_client: Client, manager_client: Client, world: World
) -> None:
    cycle = scheduled_cycle(world)
    lead_client.post(start_url(world, cycle))
    assert not Assessment.objects.filter(cycle=cycle).exists()

    manager_client.post(reverse("cycle_open_early", args=[cycle.pk]))

    assert f'action="{start_url(world, cycle)}"' in home(lead_client)
    response = lead_client.post(start_url(world, cycle))
    assert response.status_code == 302
    assert Assessment.objects.filter(cycle=cycle, respondent=world.lead).exists()


def test_the_scheduled_date_is_shown_in_chinese(world: World) -> None:
    cycle = scheduled_cycle(world)
    client = logged_in(world.lead)
    page = home(client, headers={"accept-language": "zh-hans"})
    with translation.override("zh-hans"):
        opens = date_format(cycle.opens_on, "DATE_FORMAT")
    assert f"将于{opens}开放" in page


# A CX manager's home page


def test_a_manager_sees_each_open_cycles_progress_and_the_dashboard(
    manager_client: Client, world: World
) -> None:
    Assessment.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        respondent=world.lead,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Assessment.objects.create(team=world.beta, cycle=world.cycle, respondent=world.lead2)
    scheduled = scheduled_cycle(world)

    page = home(manager_client)

    assert "1 of 2 teams submitted" in page
    assert "1 assessment in draft" in page
    dashboard = reverse("dashboard", args=[world.acme.pk]) + f"?cycle={world.cycle.pk}"
    assert f'href="{dashboard}">Dashboard of 2026 H2</a>' in page
    assert f"Opens on {date_format(scheduled.opens_on, 'DATE_FORMAT')}" in page
    assert "Scheduled" in page
    # The open cycle comes before the scheduled one, which opens later.
    assert page.index("Cycle overview: 2026 H2") < page.index("Cycle overview: 2027 H1")


def test_a_manager_is_offered_to_start_only_for_the_teams_they_lead(world: World) -> None:
    manager = logged_in(world.manager)
    page = home(manager)
    assert "Alpha support" in page and "Beta logistics" in page
    assert "Start assessment" not in page

    factories.make_lead(world.manager, world.alpha)
    page = home(manager)
    assert f'action="{start_url(world, world.cycle)}"' in page
    beta_start = reverse("assessment_start", args=[world.beta.pk, world.cycle.pk])
    assert f'action="{beta_start}"' not in page
    assert page.count("Start assessment") == 1


def test_a_managers_home_uses_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(6):
        team = Team.objects.create(
            organisation=world.acme, name=f"Team {number}", slug=f"team-{number}"
        )
        user = factories.make_user(f"lead-{number}")
        factories.make_lead(user, team)
        Assessment.objects.create(team=team, cycle=world.cycle, respondent=user)
    scheduled_cycle(world)
    client = logged_in(world.manager)
    with django_assert_max_num_queries(10):
        page = home(client)
    assert "0 of 8 teams submitted" in page
    assert "6 assessments in draft" in page


# A draft left in a closed cycle


def test_a_draft_of_a_closed_cycle_stays_marked_closed_before_submission(
    lead_client: Client, manager_client: Client, world: World
) -> None:
    lead_client.post(start_url(world, world.cycle))
    draft = Assessment.objects.get(respondent=world.lead)
    manager_client.post(reverse("cycle_close", args=[world.cycle.pk]))

    page = home(lead_client)

    assert "Closed before submission" in page
    assert "In progress" not in page
    assert "2026 H2" in page
    assert f'href="{reverse("assessment_resume", args=[draft.pk])}"' in page
    assert "Start assessment" not in page


def test_a_submitted_assessment_of_a_closed_cycle_leaves_the_home_page(
    lead_client: Client, world: World
) -> None:
    Assessment.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        respondent=world.lead,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    page = home(lead_client)
    assert "2026 H2" not in page
    assert "Closed before submission" not in page


def test_closed_before_submission_in_chinese(lead_client: Client, world: World) -> None:
    Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    page = home(lead_client, headers={"accept-language": "zh-hans"})
    assert "提交前已关闭" in page


def test_other_respondents_are_named_with_the_languages_colon(world: World) -> None:
    factories.make_lead(world.lead2, world.alpha)
    Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead2)
    client = logged_in(world.lead)

    english = home(client)
    chinese = home(client, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "lead2: in progress (0 of" in english
    assert "lead2：进行中" in chinese
