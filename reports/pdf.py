"""The PDF action plan: an assessment's results as a printable, bilingual deliverable.

``render_action_plan`` renders ``templates/reports/pdf/action_plan.html`` in the
requested language and lays it out with WeasyPrint: a cover; on page 2 the
executive summary (``results.summary``: the headline level per framework, every
element's level as bars, the three priorities with the team's action items on
them and their owners, the growth opportunity); then the summary of levels, the
action items the team has committed to in the cycle (those carried over from
the previous cycle marked) with owner, due date and status, the charts as vector
SVG images (each with its text alternative and data table), per framework the
next-level focus areas and the action steps to tick off, and the reflections.
Charts come from ``results.charts`` (the same figures as the results page)
drawn by ``reports.chart_export``; when Chromium cannot draw them the PDF still
comes out, with the data tables and a note.

The PDF is tagged for screen readers (PDF/UA-1 as WeasyPrint writes it: a
structure tree, the document's language and title); the README lists what
WeasyPrint's tagging leaves out.

The PDF fetches nothing: the fetcher refuses every URL but ``data:``. The
print stylesheet (``templates/reports/pdf/action_plan.css``) is parsed once per
process and given to WeasyPrint with each document (``write_pdf``); only the
footer text, which names the team, is in the document's own ``<style>``.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from action_items.models import ActionItem
from action_items.services import action_items_for_plan
from reports import chart_export
from results import charts, summary
from results.selectors import AssessmentResult

logger = logging.getLogger(__name__)

TEMPLATE = "reports/pdf/action_plan.html"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf" / "action_plan.css"

# The size charts are drawn at, in CSS pixels; the stylesheet prints them two
# thirds of the text width wide, which makes their 14px labels about 7.5pt.
CHART_WIDTH = 600
CHART_HEIGHT = 360

# Tagged PDF: a structure tree, /MarkInfo, /Lang and the title shown as the window's.
PDF_VARIANT = "pdf/ua-1"

_PAGE_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
_FONT_FAMILY = re.compile(r"font-family:\s*([^;\"]+)")


@dataclass(frozen=True)
class PlannedPriority:
    """One of the summary's priorities and the team's action items on its element."""

    priority: summary.Priority
    action_items: list[ActionItem]


@dataclass(frozen=True)
class DrawnChart:
    """A chart and its drawing as a ``data:`` URI of SVG; None when it could not be drawn."""

    chart: charts.Chart
    image_uri: str | None


def render_action_plan(result: AssessmentResult, *, language: str) -> bytes:
    """The assessment's action plan as an A4 PDF, worded in ``language`` ("en", "zh-hans").

    With several respondents (``result.has_team_result``) the summary of levels
    shows the team median and spread next to the assessment's own scores.
    """
    return write_pdf(action_plan_html(result, language=language))


def action_plan_html(result: AssessmentResult, *, language: str) -> str:
    """The action plan's HTML in ``language``, charts drawn, ready for ``write_pdf``.

    Apart from ``render_action_plan`` so that the layout alone can be timed.
    """
    with translation.override(language):
        drawn_charts, charts_failed = _draw_charts(result)
        assessment = result.assessment
        action_items = action_items_for_plan(
            team_id=assessment.team_id, cycle_id=assessment.cycle_id
        )
        result_summary = summary.result_summary(result)
        return render_to_string(
            TEMPLATE,
            {
                "result": result,
                "assessment": assessment,
                "team": assessment.team,
                "organisation": assessment.team.organisation,
                "cycle": assessment.cycle,
                "respondent_name": _respondent_name(result),
                "prepared_on": timezone.localdate(),
                "language": translation.get_language(),
                "charts": drawn_charts,
                "charts_failed": charts_failed,
                "action_items": action_items,
                "summary": result_summary,
                "priority_rule": summary.PRIORITY_RULE,
                "priorities": _planned_priorities(result_summary, action_items),
                "priority_keys": result_summary.priority_element_keys,
                "footer_css": css_string(f"{assessment.team.name} · {assessment.cycle.name}"),
                "page_number_css": page_number_css(gettext("Page %(page)s of %(pages)s")),
            },
        )


@functools.cache
def _fetcher() -> URLFetcher:
    # Only data: URLs: nothing in a plan may reach the network or the file system.
    # Made once: a fetcher sets up TLS certificates, tens of milliseconds.
    return URLFetcher(allowed_protocols={"data"})


@functools.cache
def _stylesheet() -> CSS:
    """The plans' print stylesheet, parsed once per process."""
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetcher())


def write_pdf(html: str) -> bytes:
    """A plan's HTML (action or organisation plan) laid out as a tagged PDF (PDF/UA-1).

    The print stylesheet comes in as a user stylesheet: the document's own rules
    (the footer) still win over it, and both win over WeasyPrint's defaults.
    """
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(
        stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT
    )


def action_plan_filename(result: AssessmentResult, language: str) -> str:
    """An ASCII file name naming team, cycle and language.

    For example ``action-plan-customer-support-2026-h2-zh-hans.pdf``.
    """
    assessment = result.assessment
    team = slugify(assessment.team.name) or slugify(assessment.team.slug)
    cycle = slugify(assessment.cycle.name) or slugify(assessment.cycle.slug)
    parts = ["action-plan", team, cycle, slugify(language)]
    return "-".join(part for part in parts if part) + ".pdf"


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(
        f"\\{ord(character):x} " if character in '"\\<>&\n\r\f' else character for character in text
    )
    # Safe: every character that could end the string or the element is escaped.
    return mark_safe(f'"{escaped}"')


def page_number_css(wording: str) -> SafeString:
    """CSS ``content`` for "Page %(page)s of %(pages)s", in whatever order a language puts them."""
    pieces = []
    for index, piece in enumerate(_PAGE_PLACEHOLDER.split(wording)):
        if index % 2:
            pieces.append(f"counter({piece})")
        elif piece:
            pieces.append(css_string(piece))
    return mark_safe(" ".join(pieces))  # counters and escaped strings only


def svg_image_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>``: vector in the PDF, its text real text.

    An ``<img>`` rather than inline ``<svg>`` markup: WeasyPrint would also read
    every SVG style attribute as HTML CSS and log a warning per ``fill`` and
    ``stroke``, hundreds per chart.
    """
    svg = _FONT_FAMILY.sub(_plain_font_family, svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _plain_font_family(match: re.Match[str]) -> str:
    # WeasyPrint splits "'A', 'B', sans-serif" on commas but leaves " 'B'" with its
    # space and quotes, so it finds no family after the first. Chromium measured
    # the labels in the first installed family (often the second listed): without
    # the quotes both pick the same font, and legends are not clipped.
    names = match[1].replace("&quot;", "").split(",")
    return "font-family: " + ",".join(name.strip().strip("'\"") for name in names)


def _draw_charts(result: AssessmentResult) -> tuple[list[DrawnChart], bool]:
    """The charts with their drawings; after the first failure the rest get their tables only."""
    drawn: list[DrawnChart] = []
    failed = False
    plan_charts = charts.assessment_charts(result)
    chart_export.draw_ahead(
        [chart.figure for chart in plan_charts], width=CHART_WIDTH, height=CHART_HEIGHT
    )
    for chart in plan_charts:
        image_uri = None
        if not failed:
            try:
                # Through the module, so that tests can replace the exporter.
                image_uri = svg_image_uri(
                    chart_export.figure_to_svg(chart.figure, width=CHART_WIDTH, height=CHART_HEIGHT)
                )
            except chart_export.ChartExportError as error:
                failed = True
                logger.warning(
                    "Action plan for assessment %s drawn without charts: %s",
                    result.assessment.pk,
                    error,
                )
        drawn.append(DrawnChart(chart=chart, image_uri=image_uri))
    return drawn, failed


def _planned_priorities(
    result_summary: summary.ResultSummary, action_items: list[ActionItem]
) -> list[PlannedPriority]:
    """The priorities, each with the team's items on its element (their owners say who acts)."""
    return [
        PlannedPriority(
            priority=priority,
            action_items=[
                item for item in action_items if item.element_key == priority.element.element.key
            ],
        )
        for priority in result_summary.priorities
    ]


def _respondent_name(result: AssessmentResult) -> str:
    respondent = result.assessment.respondent
    return respondent.get_full_name() or respondent.get_username()
