"""The PDF action plan's executive summary (page 2) and how its pages fill.

Page 1 is the cover, page 2 the executive summary (headline level per
framework, all elements, the three priorities with their owners, the growth
opportunity), then the detail. On the demo organisation's team plans no page
but the cover and the last is under a quarter full, and no action step leaves
its title at the foot of a page.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from pypdf import PageObject, PdfReader
from pytest_django import DjangoDbBlocker

from action_items.models import ActionItem
from organisations.models import Cycle, Team
from reports import chart_export, pdf
from results.selectors import team_result
from tests.conftest import World
from tests.reports.test_pdf import fake_svg, pdf_pages, result_for
from tests.results.test_results import submitted

# The stylesheet's page: A4 with margins of 22mm at the top and 24mm at the
# bottom (templates/reports/pdf/action_plan.css). The running header and footer
# sit in those margins.
POINTS_PER_MM = 72 / 25.4
MARGIN_TOP = 22 * POINTS_PER_MM
MARGIN_BOTTOM = 24 * POINTS_PER_MM
# Text baselines sit a little above the box they are in; allow for that.
TOLERANCE = 3.0
LEAST_FILL = 0.25


@pytest.fixture
def fake_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_export, "figure_to_svg", fake_svg)


def compact(text: str) -> str:
    """Text without whitespace: pypdf breaks Chinese lines with spaces of its own."""
    return re.sub(r"\s+", "", text)


def with_owned_item(world: World) -> None:
    world.lead2.first_name, world.lead2.last_name = "Bea", "Beta"
    world.lead2.save()
    ActionItem.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        element_key="beta-element",
        title_en="Run a customer survey",
        title_zh_hans="开展客户调查",
        owner=world.lead2,
        due_date=datetime.date(2026, 9, 30),
        status=ActionItem.Status.DOING,
    )


def test_page_two_is_the_executive_summary_in_english(world: World, fake_charts: None) -> None:
    with_owned_item(world)
    pages = pdf_pages(pdf.render_action_plan(result_for(world), language="en"))

    assert "Executive summary" not in pages[0]
    summary = pages[1]
    assert summary.startswith("Executive summary Alpha support in 2026 H2, as lead answered.")
    # alpha is at level 3 and beta at level 2: the lower of the two middle levels.
    assert (
        "Test framework Level 2 The lower of the two middle ones of 2 element levels (2, 3)."
        in summary
    )
    # Every element with its score and level, the priorities and the growth opportunity marked.
    assert "Test framework Element alpha-element priority 3.0 3 Stage 3" in summary
    assert "Element beta-element priority growth opportunity 1.5 2 Stage 2" in summary
    assert "Next-level priorities" in summary
    assert (
        "1. Element beta-element · Test framework "
        "Level 2 (score 1.5), towards level 3: beta-element focus 2.1" in summary
    )
    assert "Run a customer survey · Owner: Bea Beta · Doing" in summary
    assert (
        "2. Element alpha-element · Test framework "
        "Level 3 (score 3.0), towards level 4: alpha-element focus 3.1" in summary
    )
    assert (
        "Biggest growth opportunity: Element beta-element (1.5) · Test framework "
        "Start with: beta- element focus 2.1" in summary
    )
    # The detail follows on the next page.
    assert "Summary of levels" not in summary
    assert pages[2].startswith("Summary of levels")


def test_page_two_is_the_executive_summary_in_chinese(world: World, fake_charts: None) -> None:
    with_owned_item(world)
    pages = pdf_pages(pdf.render_action_plan(result_for(world), language="zh-hans"))

    summary = compact(pages[1])
    assert summary.startswith(compact("执行摘要 Alpha support，2026 H2：依据 lead 的回答。"))
    assert compact("各框架的总体等级：其各要素等级的中位数") in summary
    assert compact("测试框架 第 2 级 2 个要素等级（2、3）中间两个中较低的一个。") in summary
    assert compact("要素 beta-element 优先事项 提升机会 1.5 2 阶段 2") in summary
    assert compact("迈向下一级的优先事项") in summary
    assert (
        compact("1. 要素 beta-element · 测试框架")
        + compact("第 2 级（得分 1.5），迈向第 3 级：beta-element 重点 2.1")
        in summary
    )
    assert compact("开展客户调查 · 负责人：Bea Beta · 进行中") in summary
    assert (
        compact("最大的提升机会：要素 beta-element（1.5） · 测试框架")
        + compact("从这里入手：beta-element 重点 2.1")
        in summary
    )
    assert "Run a customer survey" not in pages[1]
    assert "Executive summary" not in pages[1]


def test_team_summary_names_the_respondents_and_no_owner_without_items(
    world: World, fake_charts: None
) -> None:
    submitted(
        world, world.lead, {"alpha-element-level": "level-3", "beta-element-level": "level-2"}
    )
    submitted(
        world, world.lead2, {"alpha-element-level": "level-3", "beta-element-level": "level-2"}
    )
    pages = pdf_pages(pdf.render_action_plan(team_result(world.alpha, world.cycle), language="en"))
    assert pages[1].startswith(
        "Executive summary Alpha support in 2026 H2: the median of 2 respondents."
    )
    assert "Owner" not in pages[1]


# The demo organisation's team plans, laid out once for the tests below (the
# demo takes seconds to load, each plan seconds to render).


@dataclass(frozen=True)
class DemoPlan:
    pdf: bytes
    # Each action step's title and the start of its explanation, in the plan's language.
    steps: list[tuple[str, str]]


def _demo_plan(team: Team, cycle: Cycle, language: str) -> DemoPlan:
    result = team_result(team, cycle)
    with translation.override(language):
        steps = [
            (str(step.title), str(step.explanation))
            for element_result in result.elements
            for step in element_result.action_steps
        ]
    return DemoPlan(pdf=pdf.render_action_plan(result, language=language), steps=steps)


@pytest.fixture(scope="module")
def demo_plans(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, DemoPlan]]:
    """The Customer support team's plan for 2026 H2 in both languages, charts drawn by Chromium.

    The demo is loaded in a transaction that is rolled back: no other test sees it.
    """
    plans = {}
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("loaddata", "fixtures/rubric.json", verbosity=0)
        call_command("load_demo", verbosity=0)
        team = Team.objects.get(organisation__slug="northwind", slug="customer-support")
        cycle = Cycle.objects.get(organisation__slug="northwind", slug="2026-h2")
        chart_export.stop()
        try:
            for language in ("en", "zh-hans"):
                plans[language] = _demo_plan(team, cycle, language)
        finally:
            chart_export.stop()
        transaction.set_rollback(True)
    yield plans


def page_fill(page: PageObject) -> float:
    """How far down its text area a page's content reaches, from 0 (empty) to 1.

    Measured on the PDF itself: the lowest line of text inside the page margins
    (the running header and footer are outside them). Charts are always
    followed by their data table, so text is the lowest content of any page.
    """
    baselines: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *args: object) -> None:
        if text.strip():
            baselines.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    top = float(page.mediabox.height) - MARGIN_TOP
    inside = [y for y in baselines if MARGIN_BOTTOM - TOLERANCE <= y <= top + TOLERANCE]
    if not inside:
        return 0.0
    return (top - min(inside)) / (top - MARGIN_BOTTOM)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_page_but_the_cover_and_the_last_is_under_a_quarter_full(
    demo_plans: dict[str, DemoPlan], language: str
) -> None:
    pages = PdfReader(io.BytesIO(demo_plans[language].pdf)).pages
    fills = [round(page_fill(page), 2) for page in pages]
    assert len(fills) > 10
    short = [number for number, fill in enumerate(fills[1:-1], start=2) if fill < LEAST_FILL]
    assert not short, f"pages under a quarter full: {short} (fill per page: {fills})"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_demo_summary_fits_page_two(demo_plans: dict[str, DemoPlan], language: str) -> None:
    pages = [compact(text) for text in pdf_pages(demo_plans[language].pdf)]
    heading, priorities, detail = {
        "en": ("Executive summary", "Next-level priorities", "Summary of levels"),
        "zh-hans": ("执行摘要", "迈向下一级的优先事项", "等级概述"),
    }[language]
    assert pages[1].startswith(compact(heading))
    assert compact(priorities) in pages[1]
    assert (
        compact("Check targets and incentives" if language == "en" else "检查业绩目标") in pages[1]
    )
    assert pages[2].startswith(compact(detail))


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_action_step_never_leaves_its_title_at_the_foot_of_a_page(
    demo_plans: dict[str, DemoPlan], language: str
) -> None:
    plan = demo_plans[language]
    pages = [compact(text) for text in pdf_pages(plan.pdf)]
    assert plan.steps
    for title, explanation in plan.steps:
        on = [number for number, page in enumerate(pages) if compact(title) in page]
        assert on, title
        # The step's explanation starts (and ends) on the page of its title.
        start, end = compact(explanation)[:30], compact(explanation)[-30:]
        assert any(start in pages[number] and end in pages[number] for number in on), title
