"""The PDF action plan: what a reader finds in it, in English and in Chinese."""

from __future__ import annotations

import datetime
import io
import logging
import os
from collections.abc import Iterator

import plotly.graph_objects as go
import pytest
from django.utils import timezone, translation
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
)

from action_items.models import ActionItem
from action_items.services import action_item_carry_over
from assessments.models import Answer, Assessment
from playbook.models import Question
from reports import chart_export, pdf
from results import charts
from results.selectors import AssessmentResult, assessment_result
from tests import factories
from tests.conftest import World
from tests.results.test_results import submitted

FAKE_CHART = "Fake chart drawing"
NOTE = "Charts could not be drawn; the data tables show the same figures."
REAL_FIGURE_TO_SVG = chart_export.figure_to_svg

# alpha: (2 + 4) / 2 = 3.0 -> level 3; beta: (1 + 2) / 2 = 1.5 -> level 2.
ANSWERS = {
    "alpha-element-level": "level-2",
    "alpha-element-agree": "agree",
    "beta-element-level": "level-1",
    "beta-element-agree": "disagree",
}


def fake_svg(figure: go.Figure, **size: int) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100">'
        f'<rect width="400" height="100" fill="#eee"/><text x="10" y="50">{FAKE_CHART}</text></svg>'
    )


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


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def result_for(
    world: World, answers: dict[str, str] | None = None, texts: dict[str, str] | None = None
) -> AssessmentResult:
    return assessment_result(submitted(world, world.lead, answers or ANSWERS, texts))


def test_english_plan_names_team_elements_and_the_steps_for_the_levels_reached(
    world: World,
) -> None:
    text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))

    for expected in ("Alpha support", "Acme", "2026 H2", "Element alpha-element", "Test framework"):
        assert expected in text
    assert "Element beta-element" in text
    # Level 3 for alpha, level 2 for beta: their steps, and no other level's.
    for step in ("alpha-element step 3.1", "alpha-element step 3.2"):
        assert step in text
    for step in ("beta-element step 2.1", "beta-element step 2.2"):
        assert step in text
    for other_level in (1, 2, 4, 5):
        assert f"alpha-element step {other_level}." not in text
    for other_level in (1, 3, 4, 5):
        assert f"beta-element step {other_level}." not in text
    assert "alpha-element looks like level 3." in text
    assert "Focus areas for reaching level 4" in text
    assert "alpha-element focus 3.1" in text
    assert "Level 3: Stage 3" in text
    # One "Owner" and one "Due date" line per step.
    assert text.count("Owner") == 4
    assert text.count("Due date") == 4


def test_summary_table_shows_score_and_level(world: World) -> None:
    pages = pdf_pages(pdf.render_action_plan(result_for(world), language="en"))
    summary = next(page for page in pages if "Summary of levels" in page)
    assert "Element alpha-element 3.0 3 Stage 3" in summary
    assert "Element beta-element growth opportunity 1.5 2 Stage 2" in summary


def test_chinese_plan_has_the_chinese_rubric(world: World) -> None:
    text = pdf_text(pdf.render_action_plan(result_for(world), language="zh-hans"))

    assert "Alpha support" in text
    assert "测试框架" in text
    assert "要素 alpha-element" in text
    assert "要素 beta-element" in text
    for step in ("alpha-element 步骤 3.1", "alpha-element 步骤 3.2", "beta-element 步骤 2.1"):
        assert step in text
    assert "alpha-element 步骤 2.1" not in text
    assert "alpha-element 处于第 3 级。" in text
    assert "alpha-element step 3.1" not in text  # no English rubric text
    assert "行动步骤" in text  # "Action steps", from the project's translations


def test_level_five_lists_where_to_go_from_here(world: World) -> None:
    result = result_for(
        world, {"alpha-element-level": "level-5", "alpha-element-agree": "strongly-agree"}
    )
    text = pdf_text(pdf.render_action_plan(result, language="en"))
    assert "Where to go from here" in text
    assert "alpha-element step 5.1" in text
    assert "alpha-element step 5.2" in text
    assert "Focus areas for reaching level 6" not in text


def test_element_without_enough_answers_has_no_steps(world: World) -> None:
    result = result_for(
        world, {"alpha-element-level": "not-sure", "alpha-element-agree": "not-sure"}
    )
    text = pdf_text(pdf.render_action_plan(result, language="en"))
    assert "Not enough answers" in text
    assert "alpha-element step" not in text
    assert "Owner" not in text


def test_reflections_are_included(world: World) -> None:
    result = result_for(world, texts={"alpha-element-reflect": "We rarely ask customers."})
    text = pdf_text(pdf.render_action_plan(result, language="en"))
    assert "Reflections" in text
    assert "Reflect on alpha-element." in text
    assert "We rarely ask customers." in text


def test_growth_opportunity_is_named(world: World) -> None:
    text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))
    assert "Biggest growth opportunity: Element beta-element (1.5)" in text


def test_team_result_shows_median_and_spread(world: World) -> None:
    second = factories.make_user("second_lead", first_name="Sam", last_name="Second")
    factories.make_lead(second, world.alpha)
    mine = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"},
    )
    submitted(
        world, second, {"alpha-element-level": "level-4", "alpha-element-agree": "strongly-agree"}
    )
    text = pdf_text(pdf.render_action_plan(assessment_result(mine), language="en"))
    assert "Team median (lowest–highest)" in text
    assert "2.8 (1.0–4.5)" in text  # median of 1.0 and 4.5 is 2.75
    assert "respondents disagree" in text
    assert "Team result Median of 2 respondents" in text


def test_single_respondent_plan_names_the_respondent(world: World) -> None:
    world.lead.first_name, world.lead.last_name = "Lee", "Lead"
    world.lead.save()
    text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))
    assert "Respondent Lee Lead" in text
    assert "Team median" not in text
    assert "Team result" not in text


def test_pages_are_numbered_with_a_running_footer(world: World) -> None:
    pages = pdf_pages(pdf.render_action_plan(result_for(world), language="en"))
    total = len(pages)
    assert total >= 4  # cover, summary, charts, the framework
    assert "Page 1 of" not in pages[0]  # the cover stays clean
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        assert "Alpha support · 2026 H2" in page


def test_frameworks_follow_on_without_a_page_break_each(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forced break before each framework left pages a few lines full."""

    def no_drawing(figure: go.Figure, **size: int) -> str:
        raise chart_export.ChartExportError("tables only: a short plan")

    monkeypatch.setattr(chart_export, "figure_to_svg", no_drawing)
    second_framework = factories.make_rubric("second-framework", ("gamma-element",))
    second_framework.order = 1
    second_framework.save()
    world.cycle.frameworks.add(second_framework)
    # The first framework is short: its elements have too few answers for steps.
    answers = {
        "alpha-element-level": "not-sure",
        "beta-element-level": "not-sure",
        "gamma-element-level": "level-4",
        "gamma-element-agree": "agree",
    }
    pages = pdf_pages(pdf.render_action_plan(result_for(world, answers), language="en"))
    first = next(page for page in pages if "Not enough answers to place this element" in page)
    assert "gamma-element looks like level 4." in first


def test_charts_are_inlined(world: World) -> None:
    text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))
    assert FAKE_CHART in text
    assert "Scores for Test framework" in text  # each chart's data table
    assert NOTE not in text


def test_failed_chart_export_still_gives_a_plan_with_tables_and_a_note(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(figure: go.Figure, **size: int) -> str:
        raise chart_export.ChartExportError("Chromium died")

    monkeypatch.setattr(chart_export, "figure_to_svg", broken)
    with caplog.at_level(logging.WARNING, logger="reports.document"):
        document = pdf.render_action_plan(result_for(world), language="en")

    text = pdf_text(document)
    assert NOTE in text
    assert FAKE_CHART not in text
    assert "Scores for Test framework" in text
    assert "Element alpha-element 3.0" in text  # a data table row
    assert "alpha-element step 3.1" in text  # the rest of the plan is there
    assert "drawn without charts: Chromium died" in caplog.text


def test_chart_export_is_retried_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first export fails, Chromium is restarted, and the charts are drawn after all."""
    started: list[int] = []

    class FlakyServer:
        def __init__(self, browser_path: str) -> None:
            self.pid = os.getpid()
            self.number = len(started)
            started.append(self.number)

        def export_svg(self, figure: go.Figure, options: dict[str, object]) -> str:
            if self.number == 0:
                raise RuntimeError("Chromium died")
            return '<?xml version="1.0"?>' + fake_svg(figure)

        def close(self) -> None:
            pass

    # The real figure_to_svg, with a fake browser behind it.
    monkeypatch.setattr(chart_export, "figure_to_svg", REAL_FIGURE_TO_SVG)
    chart_export.stop()
    monkeypatch.setattr(chart_export, "_KaleidoServer", FlakyServer)
    try:
        text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))
    finally:
        chart_export.stop()

    assert len(started) == 2
    assert FAKE_CHART in text
    assert NOTE not in text


def test_filename_names_team_cycle_and_language(world: World) -> None:
    result = result_for(world)
    assert pdf.action_plan_filename(result, "en") == "action-plan-alpha-support-2026-h2-en.pdf"
    assert (
        pdf.action_plan_filename(result, "zh-hans")
        == "action-plan-alpha-support-2026-h2-zh-hans.pdf"
    )


def test_filename_is_ascii_for_a_chinese_team_name(world: World) -> None:
    world.alpha.name = "客户支持"
    world.alpha.save()
    result = result_for(world)
    assert pdf.action_plan_filename(result, "zh-hans") == "action-plan-alpha-2026-h2-zh-hans.pdf"


def test_css_string_cannot_break_out_of_the_stylesheet() -> None:
    assert pdf.css_string('A "team" </style>') == '"A \\22 team\\22  \\3c /style\\3e "'


def test_page_numbers_follow_the_word_order_of_the_language() -> None:
    assert pdf.page_number_css("第 %(page)s 页，共 %(pages)s 页") == (
        '"第 " counter(page) " 页，共 " counter(pages) " 页"'
    )
    assert pdf.page_number_css("Page %(page)s of %(pages)s") == (
        '"Page " counter(page) " of " counter(pages)'
    )


def test_rendering_does_not_query_per_element(
    world: World, django_assert_max_num_queries: object
) -> None:
    world.cycle.frameworks.add(
        factories.make_rubric("wide-framework", tuple(f"wide-{index}" for index in range(8)))
    )
    answers = {f"wide-{index}-level": "level-3" for index in range(8)}
    assessment = Assessment.objects.select_related("team__organisation", "cycle", "respondent").get(
        pk=submitted(world, world.lead, {**ANSWERS, **answers}).pk
    )
    result = assessment_result(assessment)
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        pdf.render_action_plan(result, language="en")


def test_plan_lists_the_team_action_items_with_owner_due_date_and_status(world: World) -> None:
    world.lead2.first_name, world.lead2.last_name = "Bea", "Beta"
    world.lead2.save()
    earlier = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2026 H1",
        slug="2026-h1",
        opens_on=world.cycle.opens_on - datetime.timedelta(days=180),
        closes_on=world.cycle.opens_on - datetime.timedelta(days=120),
    )
    ActionItem.objects.create(
        team=world.alpha,
        cycle=earlier,
        title_en="Map the complaint journey",
        owner_name="Sam Smith",
    )
    ActionItem.objects.create(team=world.alpha, cycle=earlier, title_en="Finished", status="done")
    ActionItem.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        title_en="Run a customer survey",
        owner=world.lead2,
        due_date=datetime.date(2026, 9, 30),
        status=ActionItem.Status.DOING,
    )
    action_item_carry_over(team=world.alpha, cycle=world.cycle, user=world.lead)
    ActionItem.objects.create(team=world.beta, cycle=world.cycle, title_en="Beta's own item")
    result = result_for(world)

    with_items = pdf_pages(pdf.render_action_plan(result, language="en"))
    section = next(page for page in with_items if "Committed action items" in page)
    assert "Action item Owner Due date Status" in section
    assert "Run a customer survey Bea Beta 30 Sep 2026 Doing" in section
    # Carried over from the previous cycle, marked, with its status; once.
    assert "Map the complaint journey carried over from 2026 H1 Sam Smith — To do" in section
    text = " ".join(with_items)
    assert text.count("Map the complaint journey") == 1
    assert "Finished" not in text  # done in the previous cycle: not carried over
    assert "Beta's own item" not in text  # another team


def test_plan_without_action_items_has_no_such_section(world: World) -> None:
    text = pdf_text(pdf.render_action_plan(result_for(world), language="en"))
    assert "Committed action items" not in text


def _answer(assessment: Assessment, question_key: str, choice_key: str) -> None:
    question = Question.objects.get(key=question_key)
    Answer.objects.create(
        assessment=assessment, question=question, choice=question.choices.get(key=choice_key)
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Element alpha-element", "Element beta-element"]),
        ("zh-hans", ["要素 alpha-element", "要素 beta-element"]),
    ],
)
def test_real_charts_are_vector_drawings_with_text_labels(
    world: World,
    real_chromium: None,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    names: list[str],
) -> None:
    # A second team gives the organisation median a value of its own.
    beta = Assessment.objects.create(
        team=world.beta,
        cycle=world.cycle,
        respondent=world.lead2,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    _answer(beta, "alpha-element-level", "level-4")
    _answer(beta, "alpha-element-agree", "agree")
    result = result_for(world)

    drawn = pdf.render_action_plan(result, language=language)

    def broken(figure: go.Figure, **size: int) -> str:
        raise chart_export.ChartExportError("no Chromium")

    monkeypatch.setattr(chart_export, "figure_to_svg", broken)
    tables_only = pdf.render_action_plan(result, language=language)

    drawn_text, tables_text = pdf_text(drawn), pdf_text(tables_only)
    assert NOTE not in drawn_text
    # The charts' category labels are text in the PDF, on top of what the tables say.
    for name in names:
        assert drawn_text.count(name) > tables_text.count(name)
    # Vector: no bitmap anywhere in the PDF.
    assert all(not page.images for page in PdfReader(io.BytesIO(drawn)).pages)


def structure_elements(reader: PdfReader) -> list[DictionaryObject]:
    """The tagged PDF's structure elements, depth first from the structure tree's root."""
    found: list[DictionaryObject] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject):
            if node.get("/Type") == "/StructElem":
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.root_object["/StructTreeRoot"])
    return found


def dictionary(value: object) -> DictionaryObject:
    """A PDF dictionary, through its indirect reference if need be."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    assert isinstance(value, DictionaryObject)
    return value


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Action plan for Alpha support, 2026 H2"),
        ("zh-hans", "Alpha support的行动计划（2026 H2）"),
    ],
)
def test_plan_is_a_tagged_pdf_with_its_language_title_and_described_charts(
    world: World, language: str, title: str
) -> None:
    result = result_for(world)
    reader = PdfReader(io.BytesIO(pdf.render_action_plan(result, language=language)))
    catalog = reader.root_object

    assert dictionary(catalog["/MarkInfo"])["/Marked"] == BooleanObject(True)
    assert catalog["/Lang"] == language
    assert reader.metadata is not None and reader.metadata.title == title
    assert dictionary(catalog["/ViewerPreferences"])["/DisplayDocTitle"] == BooleanObject(True)
    metadata = catalog["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert b'pdfuaid:part="1"' in metadata.get_data()

    elements = structure_elements(reader)
    tags = {str(element["/S"]) for element in elements}
    assert {"/Document", "/Sect", "/H1", "/H2", "/H3", "/P", "/L", "/LI"} <= tags
    assert {"/Table", "/TH", "/TD", "/Caption", "/Figure"} <= tags
    # Each chart is a figure with its text alternative, in the plan's language.
    with translation.override(language):
        alternatives = [chart.text_alternative for chart in charts.assessment_charts(result)]
    figures = [str(element.get("/Alt")) for element in elements if element["/S"] == "/Figure"]
    assert figures == alternatives
    assert alternatives and all(alternatives)
