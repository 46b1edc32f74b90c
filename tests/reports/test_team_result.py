"""A team's combined result for a cycle, and its PDF action plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from reports import pdf
from reports.models import ActionPlan
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_results import submitted


@pytest.fixture
def two_respondents(world: World) -> None:
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"},
        {"alpha-element-reflect": "First view."},
    )
    submitted(
        world,
        second,
        {"alpha-element-level": "level-2", "alpha-element-agree": "agree"},
        {"alpha-element-reflect": "Second view."},
    )


def team_url(world: World) -> str:
    return reverse("team_result", args=[world.alpha.pk, world.cycle.pk])


def test_team_result_shows_the_median_level_and_its_steps(
    lead_client: Client, world: World, two_respondents: None
) -> None:
    page = lead_client.get(team_url(world)).content.decode()
    # Respondents scored 1.0 and 3.0: the median 2.0 is level 2.
    assert "Team result: the median of 2 respondents." in page
    assert "<td>2.0</td>" in page
    assert "Level 2: Stage 2" in page
    assert "alpha-element step 2.1" in page
    assert "First view." in page
    assert "Second view." in page


def test_an_assessment_links_to_its_team_result(
    lead_client: Client, world: World, two_respondents: None
) -> None:
    from assessments.models import Assessment

    mine = Assessment.objects.get(respondent=world.lead)
    page = lead_client.get(reverse("assessment_results", args=[mine.pk])).content.decode()
    assert team_url(world) in page


def test_team_result_without_submissions_is_404(lead_client: Client, world: World) -> None:
    assert lead_client.get(team_url(world)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("manager", 200), ("lead2", 404), ("other_lead", 404), ("outsider", 404)]
)
def test_team_result_access(who: str, status: int, world: World, two_respondents: None) -> None:
    assert logged_in(getattr(world, who)).get(team_url(world)).status_code == status


def test_team_action_plan_is_prepared_and_downloaded(
    manager_client: Client,
    world: World,
    two_respondents: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    rendered: list[Any] = []

    def fake_render(result: Any, *, language: str) -> bytes:
        rendered.append(result)
        return b"%PDF team"

    monkeypatch.setattr(pdf, "render_action_plan", fake_render)
    url = reverse("team_action_plan_request", args=[world.alpha.pk, world.cycle.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url)
    assert response["Location"] == team_url(world) + "#action-plan"
    plan = ActionPlan.objects.get()
    assert plan.kind == ActionPlan.Kind.TEAM
    assert plan.assessment is None
    assert plan.status == ActionPlan.Status.READY
    assert rendered[0].is_team_result
    assert rendered[0].elements[0].score.score == 2.0
    assert "Download PDF action plan" in manager_client.get(team_url(world)).content.decode()
    download = manager_client.get(reverse("action_plan_download", args=[plan.pk]))
    assert download.getvalue() == b"%PDF team"
    # lead2 leads another team: the plan is not theirs to see.
    lead2 = logged_in(world.lead2)
    assert lead2.get(reverse("action_plan_download", args=[plan.pk])).status_code == 404
    assert lead2.post(url).status_code == 404


def test_team_action_plan_needs_post(
    lead_client: Client, world: World, two_respondents: None
) -> None:
    url = reverse("team_action_plan_request", args=[world.alpha.pk, world.cycle.pk])
    assert lead_client.get(url).status_code == 405
    assert not ActionPlan.objects.exists()


@pytest.mark.slow
def test_team_pdf_says_it_is_the_team_median(
    world: World, two_respondents: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from reports import chart_export
    from results.selectors import team_result

    monkeypatch.setattr(
        chart_export,
        "figure_to_svg",
        lambda figure, **kwargs: (_ for _ in ()).throw(chart_export.ChartExportError("off")),
    )
    document = pdf.render_action_plan(team_result(world.alpha, world.cycle), language="en")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(document)).pages)
    assert "Median of 2 respondents" in text
    assert "alpha-element step 2.1" in text
