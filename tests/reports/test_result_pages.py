"""Results pages are kept while nothing they show changes, and change when something does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from action_items.models import ActionItem
from assessments.models import Assessment
from playbook.models import ActionStep
from playbook.versions import rubric_version_for
from reports import views
from tests.conftest import World, logged_in
from tests.results.test_results import results_url, submitted

# Each test runs with the local-memory cache and with the shared Redis cache.
pytestmark = pytest.mark.usefixtures("cache_backend")

ALPHA_LOW = {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"}


@pytest.fixture
def pinned(world: World) -> World:
    """The cycle reads a frozen rubric version, as every cycle opened in the app does."""
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    return world


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the assessments whose results were computed for a page."""
    calls: list[int] = []
    original: Callable[[Assessment], Any] = views.assessment_result

    def counting(assessment: Assessment) -> Any:
        calls.append(assessment.pk)
        return original(assessment)

    monkeypatch.setattr(views, "assessment_result", counting)
    return calls


def submit_beta(world: World, level: str, agree: str) -> Assessment:
    beta = submitted(
        world,
        world.lead2,
        {"alpha-element-level": level, "alpha-element-agree": agree},
        team=world.beta,
    )
    # Saved again after its answers, as assessment_submit does.
    beta.save()
    return beta


def test_a_repeat_view_computes_nothing_and_shows_the_same(
    pinned: World, computed: list[int]
) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    client = logged_in(pinned.lead)
    first = client.get(results_url(assessment)).content.decode()
    second = client.get(results_url(assessment)).content.decode()
    assert computed == [assessment.pk]
    for page in (first, second):
        assert "Level 1: Stage 1" in page
        assert "alpha-element focus 1.1" in page
        assert "Prepare PDF action plan" in page


def test_another_teams_submission_updates_the_organisation_figures(
    pinned: World, computed: list[int]
) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    client = logged_in(pinned.lead)
    # alpha alone: its own 1.0 is the organisation median.
    before = client.get(results_url(assessment)).content.decode()
    assert '<th scope="row">Element alpha-element</th><td>1.0</td><td>1.0</td>' in before

    submit_beta(pinned, "level-5", "strongly-agree")
    after = client.get(results_url(assessment)).content.decode()
    # The median of alpha (1.0) and beta (5.0).
    assert '<th scope="row">Element alpha-element</th><td>1.0</td><td>3.0</td>' in after
    assert computed == [assessment.pk, assessment.pk]


def test_a_committed_action_item_shows_at_once(pinned: World) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    client = logged_in(pinned.lead)
    assert "Committed as an action item" not in client.get(results_url(assessment)).content.decode()
    step = ActionStep.objects.get(
        level__element__key="alpha-element", level__number=1, key="step-1"
    )
    ActionItem.objects.create(
        team=pinned.alpha, cycle=pinned.cycle, action_step=step, title_en=step.title_en
    )
    assert "Committed as an action item" in client.get(results_url(assessment)).content.decode()


def test_each_language_has_its_own_page(pinned: World) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    client = logged_in(pinned.lead)
    assert "Level 1: Stage 1" in client.get(results_url(assessment)).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(results_url(assessment)).content.decode()
    assert "阶段 1" in page
    assert "alpha-element 重点 1.1" in page
    assert "alpha-element focus 1.1" not in page


def test_a_renamed_team_shows_its_new_name(pinned: World) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    client = logged_in(pinned.lead)
    assert "Results for Alpha support" in client.get(results_url(assessment)).content.decode()
    pinned.alpha.name = "Alpha care"
    pinned.alpha.save()
    assert "Results for Alpha care" in client.get(results_url(assessment)).content.decode()


def test_a_team_result_without_submissions_stays_404(pinned: World) -> None:
    url = reverse("team_result", args=[pinned.beta.pk, pinned.cycle.pk])
    manager = logged_in(pinned.manager)
    assert manager.get(url).status_code == 404
    assert manager.get(url).status_code == 404
    submit_beta(pinned, "level-3", "neutral")
    page = manager.get(url)
    assert page.status_code == 200
    assert "Team result: the median of 1 respondent." in page.content.decode()


def test_the_kept_page_is_still_only_for_those_who_may_see_it(pinned: World) -> None:
    assessment = submitted(pinned, pinned.lead, ALPHA_LOW)
    assert logged_in(pinned.lead).get(results_url(assessment)).status_code == 200
    for user in (pinned.lead2, pinned.other_lead, pinned.outsider):
        assert logged_in(user).get(results_url(assessment)).status_code == 404
