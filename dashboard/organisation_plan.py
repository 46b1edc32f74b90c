"""The organisation's PDF action plan: one cycle across every team, for CX managers.

``reports.plans`` prepares it like the team plans (queued, fingerprinted,
stored) through ``PLAN_KIND``, which ``dashboard.apps`` registers. The PDF has a cover;
the organisation summary (each team's median level per element, with the
organisation median); the levels as a heatmap, drawn as vector SVG by
``reports.chart_export`` (with a note and the summary table alone when
Chromium cannot draw it); the most common next-level steps, those of the
levels most teams sit at; then a page per team with its median levels and the
titles of its next-level steps. Same look as the team plan: it reuses
``templates/reports/pdf/action_plan.css`` and the helpers of ``reports.pdf``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from action_items.models import ActionItem
from action_items.services import action_items_with_related
from dashboard.charts import heatmap_chart, level_heatmap_figure
from dashboard.selectors import Dashboard, dashboard_data
from organisations.models import Cycle, Organisation, Team
from playbook.models import ActionStep, Element, Level
from reports import chart_export, pdf
from reports.fingerprint import plain_data, templates_digest
from reports.plans import PlanKind, Subject
from results import scoring
from results.selectors import TeamCycleResult

logger = logging.getLogger(__name__)

TEMPLATE = "reports/pdf/organisation_plan.html"

# How many (element, level) pairs "the most common next steps" lists.
MOST_COMMON_LEVELS = 6
# The heatmap is drawn in parts of this many teams: each part fits an A4 page.
HEATMAP_TEAMS_PER_DRAWING = 28
# CSS pixels; the stylesheet prints the drawing the full text width wide.
HEATMAP_WIDTH = 700


@dataclass(frozen=True)
class TeamElementPlan:
    """A team's median level for one element, and the steps towards the next level."""

    element: Element
    result: scoring.TeamElementResult
    level: Level | None

    @property
    def action_steps(self) -> list[ActionStep]:
        return list(self.level.action_steps.all()) if self.level else []


@dataclass(frozen=True)
class TeamPlan:
    team: Team
    respondents: int
    elements: list[TeamElementPlan]
    action_items: list[ActionItem] = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return any(plan.result.disagreement for plan in self.elements)


@dataclass(frozen=True)
class CommonLevel:
    """A level of one element that ``teams`` teams sit at."""

    element: Element
    level: Level
    teams: int

    @property
    def action_steps(self) -> list[ActionStep]:
        return list(self.level.action_steps.all())


@dataclass
class OrganisationResult:
    cycle: Cycle
    organisation: Organisation
    dashboard: Dashboard
    # The teams with submitted results in the cycle, by name.
    teams: list[TeamPlan]
    most_common: list[CommonLevel]

    @property
    def teams_without_results(self) -> list[Team]:
        return [team.team for team in self.dashboard.teams if not team.submitted]


@dataclass(frozen=True)
class HeatmapDrawing:
    image_uri: str
    team_count: int


def organisation_result(
    cycle: Cycle, *, cycles: Sequence[Cycle] | None = None
) -> OrganisationResult:
    """The dashboard of ``cycle`` and what its PDF shows per team.

    The queries of ``dashboard.dashboard_data`` plus the levels' guidance (three
    queries for a live rubric, none for a pinned one).
    """
    dashboard = dashboard_data(cycle, cycles=cycles)
    levels = dashboard.rubric.levels()
    # The teams' committed action items, one query for all of them.
    items: dict[int, list[ActionItem]] = defaultdict(list)
    for item in action_items_with_related(ActionItem.objects.filter(cycle=cycle)):
        items[item.team_id].append(item)
    teams = [
        _team_plan(team, dashboard.elements, levels, items[team.team.pk])
        for team in dashboard.assessed_teams
    ]
    return OrganisationResult(
        cycle=cycle,
        organisation=dashboard.organisation,
        dashboard=dashboard,
        teams=teams,
        most_common=_most_common(teams, dashboard.elements),
    )


def _team_plan(
    team: TeamCycleResult,
    elements: list[Element],
    levels: dict[tuple[int, int], Level],
    action_items: list[ActionItem],
) -> TeamPlan:
    return TeamPlan(
        team=team.team,
        respondents=team.submitted,
        action_items=action_items,
        elements=[
            TeamElementPlan(
                element=element,
                result=result,
                level=levels.get((element.pk, result.median_level))
                if result.median_level
                else None,
            )
            for element, result in zip(elements, team.elements, strict=True)
        ],
    )


def _most_common(teams: list[TeamPlan], elements: list[Element]) -> list[CommonLevel]:
    """The (element, level) pairs most teams sit at; ties in rubric order, lower level first."""
    position = {element.pk: index for index, element in enumerate(elements)}
    counts: Counter[tuple[int, int]] = Counter()
    found: dict[tuple[int, int], tuple[Element, Level]] = {}
    for team in teams:
        for plan in team.elements:
            if plan.level is not None:
                pair = (plan.element.pk, plan.level.number)
                counts[pair] += 1
                found[pair] = (plan.element, plan.level)
    ranked = sorted(counts, key=lambda pair: (-counts[pair], position[pair[0]], pair[1]))
    return [
        CommonLevel(element=found[pair][0], level=found[pair][1], teams=counts[pair])
        for pair in ranked[:MOST_COMMON_LEVELS]
    ]


def organisation_fingerprint(result: OrganisationResult, *, language: str) -> str:
    """A sha256 of everything the PDF shows in ``language``, and of the report templates.

    Each level's texts and steps count once however many teams sit at it; per
    team, what the PDF prints of it: its name, respondents and levels.
    """
    dashboard = result.dashboard
    levels: dict[str, Level] = {}
    for team in result.teams:
        for plan in team.elements:
            if plan.level is not None:
                levels[f"{plan.element.pk}-{plan.level.number}"] = plan.level
    for common in result.most_common:
        levels[f"{common.element.pk}-{common.level.number}"] = common.level
    with translation.override(language):
        payload = {
            "language": language,
            "header": [
                result.organisation.name,
                result.cycle.name,
                str(result.cycle.opens_on),
                str(result.cycle.closes_on),
                len(dashboard.teams),
            ],
            "templates": templates_digest(),
            "elements": plain_data(
                [[element, element.framework] for element in dashboard.elements]
            ),
            "levels": {
                key: [plain_data(level), plain_data(list(level.action_steps.all()))]
                for key, level in levels.items()
            },
            "teams": [
                [
                    team.team.name,
                    team.respondents,
                    [
                        [plan.result.median_level, plan.result.disagreement]
                        for plan in team.elements
                    ],
                    plain_data(team.action_items),
                ]
                for team in result.teams
            ],
            "organisation": [spread.level for spread in dashboard.spreads],
            "without_results": [team.name for team in result.teams_without_results],
            "most_common": [
                [common.element.pk, common.level.number, common.teams]
                for common in result.most_common
            ],
        }
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def render_organisation_plan(result: OrganisationResult, *, language: str) -> bytes:
    """The organisation's plan for the cycle as an A4 PDF, worded in ``language``."""
    with translation.override(language):
        heatmaps, heatmap_failed = _draw_heatmaps(result)
        organisation, cycle = result.organisation, result.cycle
        html = render_to_string(
            TEMPLATE,
            {
                "result": result,
                "dashboard": result.dashboard,
                "organisation": organisation,
                "cycle": cycle,
                "prepared_on": timezone.localdate(),
                "language": translation.get_language(),
                "heatmaps": heatmaps,
                "heatmap_failed": heatmap_failed,
                "heatmap_text": heatmap_chart(result.dashboard).text_alternative,
                "footer_css": pdf.css_string(f"{organisation.name} · {cycle.name}"),
                "page_number_css": pdf.page_number_css(gettext("Page %(page)s of %(pages)s")),
            },
        )
        return pdf.write_pdf(html)


def organisation_plan_filename(result: OrganisationResult, language: str) -> str:
    """An ASCII file name, e.g. ``organisation-plan-northwind-services-2026-h2-en.pdf``."""
    organisation = slugify(result.organisation.name) or slugify(result.organisation.slug)
    cycle = slugify(result.cycle.name) or slugify(result.cycle.slug)
    parts = ["organisation-plan", organisation, cycle, slugify(language)]
    return "-".join(part for part in parts if part) + ".pdf"


def _draw_heatmaps(result: OrganisationResult) -> tuple[list[HeatmapDrawing], bool]:
    """The heatmap in page-sized parts; none at all when Chromium cannot draw them."""
    dashboard = result.dashboard
    teams = dashboard.assessed_teams
    drawings = []
    for start in range(0, len(teams), HEATMAP_TEAMS_PER_DRAWING):
        part = teams[start : start + HEATMAP_TEAMS_PER_DRAWING]
        figure = level_heatmap_figure(dashboard.elements, part)
        try:
            # Through the module, so that tests can replace the exporter.
            svg = chart_export.figure_to_svg(
                figure, width=HEATMAP_WIDTH, height=int(figure.layout.height)
            )
        except chart_export.ChartExportError as error:
            logger.warning(
                "Organisation plan for cycle %s drawn without its heatmap: %s",
                result.cycle.pk,
                error,
            )
            return [], True
        drawings.append(HeatmapDrawing(image_uri=pdf.svg_image_uri(svg), team_count=len(part)))
    return drawings, False


def _result(subject: Subject) -> OrganisationResult:
    return organisation_result(subject.cycle)


def _fingerprint(result: OrganisationResult, language: str, _action_items: Any) -> str:
    return organisation_fingerprint(result, language=language)


def _render(result: OrganisationResult, language: str) -> bytes:
    return render_organisation_plan(result, language=language)


PLAN_KIND = PlanKind(
    result=_result,
    fingerprint=_fingerprint,
    render=_render,
    filename=organisation_plan_filename,
)
