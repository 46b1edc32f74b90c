"""Admin for organisations, teams, memberships, cycles and assessments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Assessment
from organisations.models import Cycle, Membership, Organisation, Team
from playbook.models import Choice, Question
from tests import factories
from tests.conftest import World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

LOGIN_URL = reverse("admin:login")


def admin_url(instance_or_model: Any, view: str) -> str:
    opts = instance_or_model._meta
    args = [instance_or_model.pk] if view in {"change", "delete"} else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def page_text(response: TestResponse) -> str:
    return response.content.decode()


def make_assessment(world: World, team: Team, respondent: Any) -> Assessment:
    """An assessment with the level question of both elements answered and a reflection."""
    assessment = Assessment.objects.create(team=team, cycle=world.cycle, respondent=respondent)
    for element_key in ("alpha-element", "beta-element"):
        Answer.objects.create(
            assessment=assessment,
            question=Question.objects.get(key=f"{element_key}-level"),
            choice=Choice.objects.get(question__key=f"{element_key}-level", key="level-2"),
            note=f"Note on {element_key}.",
        )
    Answer.objects.create(
        assessment=assessment,
        question=Question.objects.get(key="alpha-element-reflect"),
        text="We answer every complaint within a day.",
    )
    return assessment


@pytest.fixture
def assessment(world: World) -> Assessment:
    return make_assessment(world, world.alpha, world.lead)


def sample(model: type[models.Model], world: World, assessment: Assessment) -> models.Model:
    samples: dict[type[models.Model], models.Model] = {
        Organisation: world.acme,
        Team: world.alpha,
        Membership: Membership.objects.get(user=world.lead),
        Cycle: world.cycle,
        Assessment: assessment,
    }
    return samples[model]


# Text each changelist and change form must show for the sample row.
EXPECTED_TEXT: dict[type[models.Model], str] = {
    Organisation: "Acme",
    Team: "Alpha support",
    Membership: "Alpha support",
    Cycle: "2026 H2",
    Assessment: "Alpha support",
}


# Text the changelist shows only once the extra rows of the query-count test exist.
GROWN_TEXT: dict[type[models.Model], str] = {
    Organisation: "Org 2",
    Team: "Team 2",
    Membership: "extra-manager-2",
    Cycle: "Org 2",
    Assessment: "extra-lead-2",
}


def test_every_registered_organisations_and_assessments_model_is_covered_here() -> None:
    registered = {
        model
        for app in ("organisations", "assessments")
        for model in apps.get_app_config(app).get_models()
        if admin.site.is_registered(model)
    }
    assert registered == set(EXPECTED_TEXT)


@pytest.mark.parametrize("model", EXPECTED_TEXT, ids=lambda model: model.__name__)
def test_superuser_sees_changelist_add_and_change_pages(
    admin_client_: Client, world: World, assessment: Assessment, model: type[models.Model]
) -> None:
    instance = sample(model, world, assessment)

    changelist = admin_client_.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert admin_url(instance, "change") in page_text(changelist)
    assert EXPECTED_TEXT[model] in page_text(changelist)

    add = admin_client_.get(admin_url(model, "add"))
    assert add.status_code == 200
    assert f"Add {model._meta.verbose_name}" in page_text(add)

    change = admin_client_.get(admin_url(instance, "change"))
    assert change.status_code == 200
    assert EXPECTED_TEXT[model] in page_text(change)


@pytest.mark.parametrize("model", EXPECTED_TEXT, ids=lambda model: model.__name__)
def test_team_lead_is_sent_to_admin_login(
    lead_client: Client, world: World, assessment: Assessment, model: type[models.Model]
) -> None:
    instance = sample(model, world, assessment)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(instance, "change"),
        admin_url(instance, "delete"),
    ):
        response = lead_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN_URL), url
    assert lead_client.post(admin_url(instance, "delete"), {"post": "yes"}).status_code == 302
    assert model._default_manager.filter(pk=instance.pk).exists()


def test_staff_without_permissions_is_forbidden(world: World) -> None:
    world.manager.is_staff = True
    world.manager.save()
    client = Client()
    client.force_login(world.manager)
    assert client.get(admin_url(Assessment, "changelist")).status_code == 403
    assert client.get(admin_url(world.cycle, "change")).status_code == 403


@pytest.mark.parametrize("model", EXPECTED_TEXT, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_the_data(
    admin_client_: Client, world: World, assessment: Assessment, model: type[models.Model]
) -> None:
    url = admin_url(model, "changelist")
    admin_client_.get(url)  # session and content types warmed up
    with CaptureQueriesContext(connection) as small:
        assert admin_client_.get(url).status_code == 200

    for number in range(3):
        organisation = Organisation.objects.create(name=f"Org {number}", slug=f"org-{number}")
        team = Team.objects.create(organisation=organisation, name=f"Team {number}", slug="team")
        cycle = factories.make_cycle(organisation, [world.framework])
        lead = factories.make_user(f"extra-lead-{number}")
        factories.make_lead(lead, team)
        factories.make_manager(factories.make_user(f"extra-manager-{number}"), organisation)
        extra = Assessment.objects.create(team=team, cycle=cycle, respondent=lead)
        Answer.objects.create(
            assessment=extra, question=Question.objects.get(key="beta-element-reflect"), text="…"
        )

    with CaptureQueriesContext(connection) as large:
        response = admin_client_.get(url)
    assert response.status_code == 200
    assert GROWN_TEXT[model] in page_text(response)
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


def test_assessment_change_page_shows_answers_read_only(
    admin_client_: Client, assessment: Assessment
) -> None:
    response = admin_client_.get(admin_url(assessment, "change"))
    text = page_text(response)
    assert "alpha-element at level 2" in text
    assert "beta-element at level 2" in text
    assert "Note on alpha-element." in text
    assert "We answer every complaint within a day." in text
    assert 'name="answers-0-note"' not in text
    assert 'name="answers-0-DELETE"' not in text
    assert "Add another answer" not in text


def test_assessment_changelist_filters_by_status(
    admin_client_: Client, world: World, assessment: Assessment
) -> None:
    submitted = make_assessment(world, world.beta, world.lead2)
    submitted.status = Assessment.Status.SUBMITTED
    submitted.save()
    response = admin_client_.get(
        admin_url(Assessment, "changelist"), {"status__exact": "submitted"}
    )
    assert admin_url(submitted, "change") in page_text(response)
    assert admin_url(assessment, "change") not in page_text(response)


def test_cycle_form_picks_frameworks_in_a_horizontal_filter(
    admin_client_: Client, world: World
) -> None:
    second = factories.make_rubric("second-framework", ("gamma-element",))
    response = admin_client_.get(admin_url(world.cycle, "change"))
    text = page_text(response)
    assert 'class="selectfilter" data-field-name="frameworks"' in text
    assert f'<option value="{world.framework.pk}" selected>' in text
    assert f'<option value="{second.pk}">' in text


def test_adding_a_team_lead_inline_sets_role_and_organisation(
    admin_client_: Client, world: World
) -> None:
    new_lead = factories.make_user("new_lead")
    existing = Membership.objects.get(user=world.lead, team=world.alpha)
    data = {
        "organisation": world.acme.pk,
        "name": world.alpha.name,
        "slug": world.alpha.slug,
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": existing.pk,
        "memberships-0-team": world.alpha.pk,
        "memberships-0-user": world.lead.pk,
        "memberships-0-role": "lead",
        "memberships-1-team": world.alpha.pk,
        "memberships-1-user": new_lead.pk,
        "memberships-1-role": "lead",
    }
    response = admin_client_.post(admin_url(world.alpha, "change"), data)
    assert response.status_code == 302
    membership = Membership.objects.get(user=new_lead)
    assert membership.team == world.alpha
    assert membership.organisation == world.acme
    assert membership.role == Membership.Role.LEAD


def test_team_lead_inline_refuses_a_second_membership_for_the_same_lead(
    admin_client_: Client, world: World
) -> None:
    existing = Membership.objects.get(user=world.lead, team=world.alpha)
    data = {
        "organisation": world.acme.pk,
        "name": world.alpha.name,
        "slug": world.alpha.slug,
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": existing.pk,
        "memberships-0-team": world.alpha.pk,
        "memberships-0-user": world.lead.pk,
        "memberships-0-role": "lead",
        "memberships-1-team": world.alpha.pk,
        "memberships-1-user": world.lead.pk,
        "memberships-1-role": "lead",
    }
    response = admin_client_.post(admin_url(world.alpha, "change"), data)
    assert response.status_code == 200
    assert "Please correct" in page_text(response)
    assert Membership.objects.filter(user=world.lead).count() == 1


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"role": "lead", "team": ""}, "A team lead needs a team."),
        (
            {"role": "manager", "team": "alpha"},
            "A CX manager looks after the whole organisation: leave the team empty.",
        ),
        ({"role": "lead", "team": "gamma"}, "“Gamma sales” belongs to Globex, not Acme."),
    ],
    ids=["lead without team", "manager with team", "team of another organisation"],
)
def test_membership_form_explains_what_is_wrong(
    admin_client_: Client, world: World, values: dict[str, str], error: str
) -> None:
    user = factories.make_user("newcomer")
    teams = {"alpha": world.alpha.pk, "gamma": world.gamma.pk, "": ""}
    data = {
        "user": user.pk,
        "organisation": world.acme.pk,
        "role": values["role"],
        "team": teams[values["team"]],
    }
    response = admin_client_.post(admin_url(Membership, "add"), data)
    assert response.status_code == 200
    assert error in page_text(response)
    assert not Membership.objects.filter(user=user).exists()


def test_membership_add_form_saves_a_valid_manager(admin_client_: Client, world: World) -> None:
    user = factories.make_user("newcomer")
    data = {"user": user.pk, "organisation": world.globex.pk, "role": "manager", "team": ""}
    response = admin_client_.post(admin_url(Membership, "add"), data)
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.team, membership.role) == (
        world.globex,
        None,
        Membership.Role.MANAGER,
    )


def test_the_cycle_changelist_shows_a_scheduled_cycle_as_scheduled(
    admin_client_: Client, world: World
) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        opens_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    changelist = page_text(admin_client_.get(admin_url(Cycle, "changelist")))
    assert "Scheduled" in changelist
