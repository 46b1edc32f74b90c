"""Kept pages (``assessments.kept_pages``): drawn once per set of inputs, then filled in.

Each test compares what a user gets from a kept page with the same page drawn
in full by the template engine, or shows that a change to something the page
shows reaches the kept page.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments import kept_pages
from assessments.models import ActionPlan, Assessment, Cycle, Membership
from cxmaturity.fragments import without_indentation
from playbook.versions import rubric_for_cycle, rubric_version_for
from tests.assessments.helpers import section_url
from tests.assessments.test_results import results_url, submitted
from tests.conftest import World, logged_in

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def pinned(world: World) -> World:
    """The cycle reads a frozen rubric version, as every cycle opened in the app does."""
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    return world


def start(client: Client, world: World) -> Assessment:
    client.post(reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]))
    return Assessment.objects.get(team=world.alpha, cycle=world.cycle)


def lead_on_first_section(world: World) -> tuple[Client, str]:
    """The lead, signed in, with a started assessment; the URL of its first section."""
    client = logged_in(world.lead)
    return client, section_url(start(client, world), 1)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    """The page with its masked CSRF tokens blanked (each request draws a new mask),
    and without the indentation that kept markup drops."""
    assert CSRF_INPUT.search(html)
    return without_indentation(CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', html))


def drawn_in_full(client: Client, url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(kept_pages, "ENABLED", False)
        return page(client, url)


def kept_sections(world: World) -> int:
    return len(rubric_for_cycle(world.cycle).memo["section-pages"])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_kept_section_page_equals_the_page_drawn_in_full(
    pinned: World, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    client = logged_in(pinned.lead)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assessment = start(client, pinned)
    client.post(
        section_url(assessment, 1),
        {
            "answer-alpha-element-level": "level-4",
            "note-alpha-element-level": 'Seen in <b>review</b> & "retro"',
            "answer-alpha-element-reflect": "We <listen>.",
            "action": "next",
        },
    )
    for number in (1, 2):
        url = section_url(assessment, number)
        first, kept = page(client, url), page(client, url)
        full = drawn_in_full(client, url, monkeypatch)
        assert without_tokens(kept) == without_tokens(full) == without_tokens(first)
    assert kept_sections(pinned) == 2
    first_section = page(client, section_url(assessment, 1))
    assert 'value="level-4" checked' in first_section
    assert "Seen in &lt;b&gt;review&lt;/b&gt; &amp; &quot;retro&quot;" in first_section
    assert "We &lt;listen&gt;.</textarea>" in first_section
    assert "\x00" not in first_section


def test_each_request_gets_its_own_csrf_token_and_path(pinned: World) -> None:
    client, url = lead_on_first_section(pinned)
    first, second = page(client, url), page(client, url)
    tokens = CSRF_INPUT.findall(second)
    assert len(tokens) == 3  # the language switch, the sign-out and the answers
    assert len(set(tokens)) == 1  # one masked token per page
    assert set(tokens).isdisjoint(CSRF_INPUT.findall(first))
    with_query = page(client, url + "?from=email")
    assert f'name="next" value="{url}?from=email"' in with_query
    assert f'name="next" value="{url}"' in second


def test_a_renamed_team_and_cycle_show_on_a_kept_section_page(pinned: World) -> None:
    client, url = lead_on_first_section(pinned)
    before = page(client, url)
    page(client, url)
    assert "Alpha support · " in before
    pinned.alpha.name = "Alpha care"
    pinned.alpha.save()
    Cycle.objects.filter(pk=pinned.cycle.pk).update(name="2027 H1")
    after = page(client, url)
    assert "Alpha care · 2027 H1" in after
    assert "Alpha support" not in after


def test_a_closed_cycle_locks_the_kept_section_page(pinned: World) -> None:
    client, url = lead_on_first_section(pinned)
    open_page = page(client, url)
    assert "This assessment can no longer be changed." not in open_page
    assert "Save and continue" in open_page
    Cycle.objects.filter(pk=pinned.cycle.pk).update(status=Cycle.Status.CLOSED)
    closed_page = page(client, url)
    assert "This assessment can no longer be changed." in closed_page
    assert "Save and continue" not in closed_page
    assert " disabled>" in closed_page


def test_a_message_is_shown_once_over_a_kept_page(pinned: World) -> None:
    client, url = lead_on_first_section(pinned)
    page(client, url)
    client.post(url, {"answer-alpha-element-level": "level-2", "action": "stay"})
    with_message = page(client, url)
    assert "Your answers are saved." in with_message
    assert 'value="level-2" checked' in with_message
    assert "Your answers are saved." not in page(client, url)


def test_the_header_follows_the_users_roles_on_a_kept_page(pinned: World) -> None:
    client, url = lead_on_first_section(pinned)
    assert "Dashboard" not in page(client, url)
    Membership.objects.create(
        user=pinned.lead, organisation=pinned.acme, role=Membership.Role.MANAGER
    )
    assert reverse("dashboard", args=[pinned.acme.pk]) in page(client, url)


def test_a_kept_results_page_follows_its_action_plan(
    pinned: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = submitted(pinned, pinned.lead, {"alpha-element-level": "level-2"})
    client = logged_in(pinned.lead)
    url = results_url(assessment)

    def same_both_ways() -> str:
        page(client, url)  # a message, if any, is shown on the first
        kept = page(client, url)
        assert without_tokens(kept) == without_tokens(drawn_in_full(client, url, monkeypatch))
        return kept

    assert "Prepare PDF action plan" in same_both_ways()
    client.post(reverse("action_plan_request", args=[assessment.pk]))  # queued, not run
    plan = ActionPlan.objects.get()
    assert "Your PDF is being prepared." in same_both_ways()
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.READY)
    ready = same_both_ways()
    assert reverse("action_plan_download", args=[plan.pk]) in ready
    assert "Your PDF is being prepared." not in ready
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.FAILED)
    assert "The PDF could not be prepared." in same_both_ways()
    assert len(kept_pages.pages) >= 4
