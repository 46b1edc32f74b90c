"""Every chart on the chart pages draws with the partial plotly.js, no console errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from organisations.models import Cycle, Organisation
from tests.e2e.pages import draw_every_chart, log_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)


def charts_drawn(page: Any, url: str, problems: list[str]) -> int:
    """Open ``url`` and wait for every chart to draw; return the charts.

    ``problems`` collects the page's console errors and uncaught exceptions.
    """
    problems.clear()
    count = draw_every_chart(page, url)
    assert problems == [], f"{url}: {problems}"
    return count


def test_results_dashboard_and_cycle_overview_draw_every_chart(
    page: Any, live_server: Any, demo: None
) -> None:
    base = live_server.url
    northwind = Organisation.objects.get(slug="northwind")
    cycle = Cycle.objects.get(organisation=northwind, slug="2026-h2")
    submitted = Assessment.objects.filter(
        cycle=cycle, respondent__username="lead2", status="submitted"
    ).get()

    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))

    log_in(page, base, "lead2")
    results = base + reverse("assessment_results", args=[submitted.pk])
    assert charts_drawn(page, results, problems) >= 3

    log_in(page, base, "manager")
    assert charts_drawn(page, base + reverse("dashboard", args=[northwind.pk]), problems) >= 3
    assert charts_drawn(page, base + reverse("cycle_overview", args=[cycle.pk]), problems) >= 1
