"""The organisation's PDF action plan: what a CX manager finds in it, and how it is prepared."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dashboard import organisation_plan
from dashboard.organisation_plan import (
    OrganisationResult,
    organisation_fingerprint,
    organisation_plan_filename,
    organisation_result,
    render_organisation_plan,
)
from organisations.models import Cycle
from playbook.models import ActionStep
from reports import chart_export
from reports.models import ActionPlan
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_charts import submit

FAKE_CHART = "Fake heatmap drawing"
NOTE = "Charts could not be drawn; the data tables show the same figures."


def fake_svg(figure: go.Figure, **size: int) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'
        f'<rect width="400" height="100" fill="#eee"/><text x="10" y="50">{FAKE_CHART}</text></svg>'
    )


def broken_svg(figure: go.Figure, **size: int) -> str:
    raise chart_export.ChartExportError("no Chromium")


@pytest.fixture(autouse=True)
def mocked_export(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests draw charts without Chromium; tests marked slow use the real exporter."""
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setattr(chart_export, "figure_to_svg", fake_svg)


@pytest.fixture
def real_chromium() -> Iterator[None]:
    chart_export.stop()
    yield
    chart_export.stop()


@pytest.fixture
def assessed(world: World) -> None:
    """alpha and beta both at level 2 on alpha-element; on beta-element alpha 4, beta 2.

    alpha's two respondents disagree on alpha-element (1.0 and 3.0, median 2.0).
    """
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    submit(
        world.alpha,
        world.cycle,
        world.lead,
        {
            "alpha-element-level": "level-1",
            "alpha-element-agree": "strongly-disagree",
            "beta-element-level": "level-4",
            "beta-element-agree": "agree",
        },
    )
    submit(
        world.alpha,
        world.cycle,
        second,
        {
            "alpha-element-level": "level-3",
            "alpha-element-agree": "neutral",
            "beta-element-level": "level-4",
            "beta-element-agree": "agree",
        },
    )
    submit(
        world.beta,
        world.cycle,
        world.lead2,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "disagree",
            "beta-element-level": "level-1",
            "beta-element-agree": "disagree",
        },
    )


def result_for(world: World) -> OrganisationResult:
    return organisation_result(Cycle.objects.select_related("organisation").get(pk=world.cycle.pk))


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    assert pdf.startswith(b"%PDF-")
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_result_counts_the_teams_at_each_level(world: World, assessed: None) -> None:
    result = result_for(world)

    assert [team.team.name for team in result.teams] == ["Alpha support", "Beta logistics"]
    assert [
        (common.element.key, common.level.number, common.teams) for common in result.most_common
    ] == [("alpha-element", 2, 2), ("beta-element", 2, 1), ("beta-element", 4, 1)]
    alpha = result.teams[0]
    assert alpha.respondents == 2
    assert [plan.result.median_level for plan in alpha.elements] == [2, 4]
    assert alpha.elements[0].result.disagreement


def test_pdf_names_the_organisation_teams_elements_and_most_common_steps(
    world: World, assessed: None
) -> None:
    pages = pdf_pages(render_organisation_plan(result_for(world), language="en"))
    text = " ".join(pages)

    for expected in (
        "Organisation action plan",
        "Acme",
        "2026 H2",
        "Alpha support",
        "Beta logistics",
        "Element alpha-element",
        "Element beta-element",
        FAKE_CHART,
    ):
        assert expected in text
    assert "Globex" not in text
    assert NOTE not in text
    common = next(page for page in pages if "The most common next steps" in page)
    # Two teams sit at level 2 on alpha-element: its steps come first, with the count.
    assert "Element alpha-element · Level 2: Stage 2 2 teams" in common
    assert common.index("alpha-element step 2.1") < common.index("beta-element step 2.1")
    assert "alpha-element step 2.2" in common
    assert "beta-element step 4.1" in common
    # A page per team with its levels and the titles of its next-level steps.
    alpha = next(page for page in pages if page.startswith("Alpha support Median of 2"))
    assert "respondents disagree" in alpha
    assert "beta-element step 4.1" in alpha
    assert "beta-element step 2.1" not in alpha
    beta = next(page for page in pages if page.startswith("Beta logistics Median of 1"))
    assert "beta-element step 2.1" in beta


def test_summary_table_has_every_team_and_the_organisation_median(
    world: World, assessed: None
) -> None:
    pages = pdf_pages(render_organisation_plan(result_for(world), language="en"))
    summary = next(page for page in pages if "Levels per team" in page)
    assert "Alpha support 2! 4" in summary
    assert "Beta logistics 2 2" in summary
    # Team medians 2.0 and 2.0 (level 2); 4.0 and 1.5 -> 2.75 (level 3).
    assert "Organisation median 2 3" in summary


def test_teams_without_results_are_named(world: World, assessed: None) -> None:
    factories.make_lead(
        factories.make_user("lead3"), world.acme.teams.create(name="Delta", slug="d")
    )
    text = " ".join(pdf_pages(render_organisation_plan(result_for(world), language="en")))
    assert "No results yet: Delta" in text
    assert "2 of 3" in text


def test_pdf_in_chinese(world: World, assessed: None) -> None:
    text = " ".join(pdf_pages(render_organisation_plan(result_for(world), language="zh-hans")))
    assert "要素 alpha-element" in text
    assert "alpha-element 步骤 2.1" in text


def test_without_chromium_the_pdf_has_the_table_and_a_note(
    world: World, assessed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_export, "figure_to_svg", broken_svg)
    text = " ".join(pdf_pages(render_organisation_plan(result_for(world), language="en")))
    assert NOTE in text
    assert "Alpha support 2! 4" in text


def test_a_large_organisation_gets_its_heatmap_in_page_sized_parts(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[dict[str, int]] = []

    def recording_svg(figure: go.Figure, **size: int) -> str:
        sizes.append(size)
        return fake_svg(figure)

    monkeypatch.setattr(chart_export, "figure_to_svg", recording_svg)
    monkeypatch.setattr(organisation_plan, "HEATMAP_TEAMS_PER_DRAWING", 2)
    for number in range(3):
        team = world.acme.teams.create(name=f"Team {number}", slug=f"team-{number}")
        submit(team, world.cycle, world.lead, {"alpha-element-level": "level-3"})
    render_organisation_plan(result_for(world), language="en")
    assert len(sizes) == 2
    assert {size["width"] for size in sizes} == {organisation_plan.HEATMAP_WIDTH}


def test_fingerprint_follows_what_the_pdf_shows(world: World, assessed: None) -> None:
    english = organisation_fingerprint(result_for(world), language="en")
    assert organisation_fingerprint(result_for(world), language="en") == english
    assert organisation_fingerprint(result_for(world), language="zh-hans") != english
    # A draft elsewhere does not change the PDF.
    submit(world.beta, world.cycle, world.manager, {"alpha-element-level": "level-5"}, draft=True)
    assert organisation_fingerprint(result_for(world), language="en") == english
    # A step's wording does.
    step = ActionStep.objects.get(
        level__element__key="alpha-element", level__number=2, key="step-1"
    )
    step.title_en = "A sharper first step"
    step.save()
    changed = organisation_fingerprint(result_for(world), language="en")
    assert changed != english
    # And so does another submitted assessment.
    lead3 = factories.make_user("lead3")
    delta = world.acme.teams.create(name="Delta", slug="delta")
    submit(delta, world.cycle, lead3, {"alpha-element-level": "level-5"})
    assert organisation_fingerprint(result_for(world), language="en") != changed


def test_file_name(world: World, assessed: None) -> None:
    result = result_for(world)
    assert organisation_plan_filename(result, "en") == "organisation-plan-acme-2026-h2-en.pdf"
    assert (
        organisation_plan_filename(result, "zh-hans")
        == "organisation-plan-acme-2026-h2-zh-hans.pdf"
    )


# Through the test client: request, prepare (ImmediateBackend), show, download.


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[OrganisationResult]:
    """Replace the WeasyPrint render with a recorder (the real one is tested above)."""
    calls: list[OrganisationResult] = []

    def fake_render(result: OrganisationResult, *, language: str) -> bytes:
        calls.append(result)
        return b"%PDF organisation " + language.encode()

    monkeypatch.setattr(organisation_plan, "render_organisation_plan", fake_render)
    return calls


def request_url(world: World) -> str:
    return reverse("organisation_action_plan_request", args=[world.cycle.pk])


def dashboard_page(client: Client, world: World) -> str:
    url = reverse("dashboard", args=[world.acme.pk])
    return client.get(f"{url}?cycle={world.cycle.pk}").content.decode()


def test_manager_requests_downloads_and_reuses_the_organisation_plan(
    manager_client: Client,
    world: World,
    assessed: None,
    renders: list[OrganisationResult],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert "Prepare PDF action plan" in dashboard_page(manager_client, world)
    assert request_url(world) in dashboard_page(manager_client, world)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(request_url(world))

    dashboard = reverse("dashboard", args=[world.acme.pk])
    assert response["Location"] == f"{dashboard}?cycle={world.cycle.pk}#action-plan"
    plan = ActionPlan.objects.get()
    assert plan.kind == ActionPlan.Kind.ORGANISATION
    assert plan.team is None
    assert plan.assessment is None
    assert plan.status == ActionPlan.Status.READY
    assert [team.team.name for team in renders[0].teams] == ["Alpha support", "Beta logistics"]
    assert "Download PDF action plan" in dashboard_page(manager_client, world)
    status = manager_client.get(reverse("action_plan_status", args=[plan.pk])).json()
    assert status["status"] == "ready"

    download = manager_client.get(reverse("action_plan_download", args=[plan.pk]))
    assert download.status_code == 200
    assert download.getvalue() == b"%PDF organisation en"
    assert (
        download["Content-Disposition"]
        == 'attachment; filename="organisation-plan-acme-2026-h2-en.pdf"'
    )

    # Asking again for unchanged results reuses the stored PDF.
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(request_url(world))
    assert len(renders) == 1
    assert ActionPlan.objects.count() == 1


def test_a_failed_organisation_plan_retries_through_its_own_url(
    manager_client: Client,
    world: World,
    assessed: None,
    immediate_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken_render(result: OrganisationResult, *, language: str) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(organisation_plan, "render_organisation_plan", broken_render)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(request_url(world))
    plan = ActionPlan.objects.get()
    assert plan.status == ActionPlan.Status.FAILED
    status = manager_client.get(reverse("action_plan_status", args=[plan.pk])).json()
    assert "Try again" in status["html"]
    assert f'action="{request_url(world)}"' in status["html"]


@pytest.mark.parametrize("who", ["lead", "lead2", "other_lead", "outsider", "admin"])
def test_only_the_organisations_managers_request_poll_or_download(
    who: str,
    manager_client: Client,
    world: World,
    assessed: None,
    renders: list[OrganisationResult],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(request_url(world))
    plan = ActionPlan.objects.get()
    client = logged_in(getattr(world, who))
    assert client.get(reverse("action_plan_status", args=[plan.pk])).status_code == 404
    assert client.get(reverse("action_plan_download", args=[plan.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(request_url(world)).status_code == 404
    assert ActionPlan.objects.count() == 1


def test_a_manager_of_another_organisation_may_not_download(
    manager_client: Client,
    world: World,
    assessed: None,
    renders: list[OrganisationResult],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(request_url(world))
    plan = ActionPlan.objects.get()
    globex_manager = factories.make_user("globex_manager")
    factories.make_manager(globex_manager, world.globex)
    client = logged_in(globex_manager)
    assert client.get(reverse("action_plan_download", args=[plan.pk])).status_code == 404
    assert client.post(request_url(world)).status_code == 404


def test_request_needs_post(manager_client: Client, world: World) -> None:
    assert manager_client.get(request_url(world)).status_code == 405
    assert not ActionPlan.objects.exists()


def test_request_needs_login(client: Client, world: World) -> None:
    response = client.post(request_url(world))
    assert response.status_code == 302
    assert not ActionPlan.objects.exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "label"), [("en", "Element beta-element"), ("zh-hans", "要素 beta-element")]
)
def test_real_heatmap_is_a_vector_drawing_with_text_labels(
    world: World,
    assessed: None,
    real_chromium: None,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    label: str,
) -> None:
    result = result_for(world)
    drawn = pdf_pages(render_organisation_plan(result, language=language))
    monkeypatch.setattr(chart_export, "figure_to_svg", broken_svg)
    tables_only = pdf_pages(render_organisation_plan(result, language=language))

    drawn_text, tables_text = " ".join(drawn), " ".join(tables_only)
    assert NOTE not in drawn_text
    # The heatmap's labels are text in the PDF, on top of what the table says.
    assert drawn_text.count(label) > tables_text.count(label)
    assert drawn_text.count("Beta logistics") > tables_text.count("Beta logistics")


def test_team_pages_list_the_teams_action_items(world: World, assessed: None) -> None:
    from action_items.models import ActionItem

    before = organisation_fingerprint(result_for(world), language="en")
    ActionItem.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        title_en="Map the onboarding journey",
        owner_name="Priya",
        status=ActionItem.Status.DOING,
    )
    result = result_for(world)
    assert organisation_fingerprint(result, language="en") != before
    text = " ".join(pdf_pages(render_organisation_plan(result, language="en")))
    assert "Committed action items" in text
    assert "Map the onboarding journey" in text
    assert "Priya" in text
    assert "Doing" in text
