"""`manage.py load_demo`: a living organisation on first sign-in, loaded once, only with DEBUG."""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers import serialize
from django.test import Client
from django.urls import reverse

from action_items.models import ActionItem
from assessments.models import Answer, Assessment
from demo.builder import DEMO_PASSWORD
from organisations.models import Cycle, Membership, Organisation, Team

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


@pytest.fixture
def demo(db: None, settings: Any) -> Organisation:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)
    return Organisation.objects.get(slug="northwind")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page_text(response: TestResponse) -> str:
    assert response.status_code == 200
    content = re.sub(r"(?s)<script.*?</script>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", content)))


def test_the_organisation_has_a_closed_and_an_open_cycle_and_leads_in_every_team(
    demo: Organisation,
) -> None:
    previous, current = demo.cycles.order_by("opens_on")
    assert (previous.name, previous.is_closed) == ("2026 H1", True)
    assert (current.name, current.is_open) == ("2026 H2", True)
    assert previous.rubric_version_id and current.rubric_version_id
    assert current.previous() == previous
    for team in demo.teams.all():
        assert team.memberships.filter(role=Membership.Role.LEAD).count() >= 2
    assert User.objects.get(username="lead8").check_password(DEMO_PASSWORD)
    assert not previous.assessments.filter(submitted_at__month__gt=6).exists()


def test_the_managers_dashboard_shows_levels_disagreements_and_changes(
    demo: Organisation,
) -> None:
    text = page_text(signed_in("manager").get(reverse("dashboard", args=[demo.pk])))
    assert "Dashboard of Northwind Services" in text
    assert "3 teams submitted" in text
    assert "Changes are counted since 2026 H1." in text
    # The heatmap: every team has a level for every element.
    for team, levels in (
        ("Customer support", "3 3 3 2 4 2 3 3 2 4"),
        ("Logistics", "2 3 2 4 2 3 3 2 3 2"),
    ):
        assert f"{team} {levels}" in text
    assert "Customer support : Empathy (levels 3 to 5)" in text
    assert "Logistics : Consistency (levels 2 to 5)" in text
    # Since the previous cycle, levels went both up and down.
    assert "4 → to 2 ↓ -2" in text
    assert "3 → to 2 ↓ -1" in text
    assert "1 → to 2 ↑ +1" in text


def test_a_team_result_is_the_median_of_several_respondents(demo: Organisation) -> None:
    team = demo.teams.get(slug="logistics")
    cycle = demo.cycles.get(slug="2026-h2")
    response = signed_in("manager").get(reverse("team_result", args=[team.pk, cycle.pk]))
    text = page_text(response)
    assert "Results for Logistics, 2026 H2" in text
    assert "Team result: the median of 3 respondents." in text
    assert "Element 2026 H1 2026 H2" in text


def test_the_action_items_page_lists_items_in_every_status(demo: Organisation) -> None:
    cycle = demo.cycles.get(slug="2026-h2")
    client = signed_in("manager")
    url = reverse("organisation_action_items", args=[demo.pk])
    text = page_text(client.get(url, {"cycle": cycle.pk}))
    assert "Let customer insight drive business decisions carried over from 2026 H1" in text
    for status in ActionItem.Status:
        filtered = page_text(client.get(url, {"cycle": str(cycle.pk), "status": status.value}))
        items = ActionItem.objects.filter(cycle=cycle, status=status)
        assert items.count() >= 2
        for item in items:
            assert item.title in filtered
    carried = ActionItem.objects.filter(cycle=cycle, carried_from__isnull=False)
    assert {item.carried_from.cycle.name for item in carried if item.carried_from} == {"2026 H1"}
    assert set(carried.values_list("status", flat=True)) == {"todo", "doing"}


def test_a_leads_home_shows_their_draft_and_their_teammates_submissions(
    demo: Organisation,
) -> None:
    draft = Assessment.objects.get(respondent__username="lead", cycle__slug="2026-h2")
    assert draft.status == Assessment.Status.DRAFT
    text = page_text(signed_in("lead").get(reverse("home")))
    assert f"In progress (answered {draft.answers.count()} of 56) Continue" in text
    assert "Sam Wu: submitted" in text
    assert "Ana Li: submitted" in text
    text = page_text(signed_in("lead3").get(reverse("home")))
    assert "Submitted View results" in text
    assert "Leo Park: in progress (25 of 56)" in text


def test_loading_twice_changes_nothing(demo: Organisation, settings: Any) -> None:
    models = [User, Organisation, Team, Membership, Cycle, Assessment, Answer, ActionItem]

    def everything() -> str:
        return "".join(serialize("json", model._default_manager.order_by("pk")) for model in models)

    before = everything()
    call_command("load_demo", verbosity=0)
    assert everything() == before


def test_the_bare_demo_is_the_organisation_its_users_and_the_open_cycle(
    db: None, settings: Any
) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)
    assert set(User.objects.values_list("username", flat=True)) == {
        "admin",
        "manager",
        "lead",
        "lead2",
    }
    assert Team.objects.count() == 3
    assert Membership.objects.count() == 3
    cycle = Cycle.objects.get()
    assert cycle.is_open and cycle.rubric_version_id
    assert cycle.frameworks.count() == 3
    assert not Assessment.objects.exists()
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_is_refused_when_debug_is_off(db: None, settings: Any) -> None:
    settings.DEBUG = False
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    with pytest.raises(CommandError, match="only loaded when DEBUG is on"):
        call_command("load_demo", verbosity=0)
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
