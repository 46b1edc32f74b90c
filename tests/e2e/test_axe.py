"""axe-core finds no serious or critical accessibility violation on the main pages.

The results page (a lead's own result and the team's), the questionnaire's
section and review pages, and the CX manager's dashboard, in English and in
Simplified Chinese, with every chart drawn. axe-core is the npm package's
browser build, committed in tests/e2e/axe/ (see its README).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from organisations.models import Cycle, Organisation, Team
from tests.e2e.pages import log_in

AXE = Path(__file__).parent / "axe" / "axe.min.js"
# WCAG 2.1 A and AA, plus axe's best practices (headings in order, landmarks...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
# The guide's own standard, whatever impact axe gives it: labelled controls, real
# buttons and links with names, one h1 and headings in order.
GUIDE_RULES = {
    "button-name",
    "empty-heading",
    "heading-order",
    "label",
    "link-name",
    "page-has-heading-one",
}
LANGUAGES = ["en", "zh-hans"]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)


def sign_in(page: Any, base: str, username: str, language: str) -> None:
    log_in(page, base, username)
    if language != "en":
        with page.expect_navigation():  # the menu switches on selection
            page.select_option("#language", language)
    assert page.locator("html").get_attribute("lang") == language


def violations(page: Any, url: str) -> list[str]:
    """Open ``url``, draw every chart, run axe; describe each violation that counts.

    Those are axe's serious and critical ones and any of ``GUIDE_RULES``, and a
    chart without a data table in its section.
    """
    page.goto(url)
    found: list[str] = []
    charts = page.locator("[data-chart-figure]")
    for index in range(charts.count()):
        chart = charts.nth(index)
        # charts.js draws a chart (and loads plotly.js) only as it nears the screen.
        chart.scroll_into_view_if_needed()
        chart.locator("svg.main-svg").first.wait_for(state="attached")
        if chart.locator("xpath=ancestor::section[1]//table/caption").count() != 1:
            found.append(f"{url}: the chart {chart.get_attribute('id')} has no data table")
    page.wait_for_load_state("networkidle")
    # Run as DevTools runs a script: the site's Content-Security-Policy refuses an inline <script>.
    page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return found + [
        f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}, "
        f"{len(violation['nodes'])} element(s): "
        + "; ".join(
            f"{json.dumps(node['target'], ensure_ascii=False)} {node['failureSummary']}"
            for node in violation["nodes"][:3]
        )
        for violation in results["violations"]
        if violation["impact"] in BLOCKING or violation["id"] in GUIDE_RULES
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_lead_pages_have_no_serious_violation(
    page: Any, live_server: Any, demo: None, language: str
) -> None:
    northwind = Organisation.objects.get(slug="northwind")
    cycle = Cycle.objects.get(organisation=northwind, slug="2026-h2")
    logistics = Team.objects.get(organisation=northwind, slug="logistics")
    submitted = Assessment.objects.get(
        cycle=cycle, respondent__username="lead2", status="submitted"
    )
    draft = Assessment.objects.get(cycle=cycle, respondent__username="lead", status="draft")
    base = live_server.url

    found: list[str] = []
    sign_in(page, base, "lead2", language)
    found += violations(page, base + reverse("assessment_results", args=[submitted.pk]))
    found += violations(page, base + reverse("team_result", args=[logistics.pk, cycle.pk]))
    sign_in(page, base, "lead", language)
    found += violations(page, base + reverse("assessment_section", args=[draft.pk, 1]))
    found += violations(page, base + reverse("assessment_review", args=[draft.pk]))

    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_dashboard_has_no_serious_violation(
    page: Any, live_server: Any, demo: None, language: str
) -> None:
    northwind = Organisation.objects.get(slug="northwind")
    base = live_server.url

    sign_in(page, base, "manager", language)
    found = violations(page, base + reverse("dashboard", args=[northwind.pk]))

    assert found == [], "\n".join(found)


def test_the_committed_axe_is_the_version_frontend_pins() -> None:
    package = json.loads((Path(settings.BASE_DIR) / "frontend" / "package.json").read_text())
    banner = AXE.read_text(encoding="utf-8")[:200]

    version = re.search(r"axe v(\S+)", banner)
    assert version is not None
    assert version.group(1) == package["devDependencies"]["axe-core"]
