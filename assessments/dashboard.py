"""The CX manager's dashboard: one cycle of an organisation across its teams.

``dashboard_data`` gathers, in a fixed number of queries whatever the number
of teams, what the dashboard page and the organisation's PDF action plan
show: each team's completion and median level per element, the organisation
median and spread per element, the teams whose respondents disagree, and the
level changes since the previous cycle (the organisation's cycle that opened
last before this one). The chart functions below draw it in the style of
``assessments.charts``; the page and the PDF use the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import charts, scoring
from assessments.models import Assessment, Cycle, Membership, Organisation, Team, memberships_of
from assessments.results import TeamCycleResult, submitted_scores
from playbook.models import Element, Framework
from playbook.versions import Rubric, rubric_for_cycle


def managed_organisations(user: Any) -> list[Organisation]:
    """The organisations ``user`` is CX manager of, by name.

    From the user's memberships, which the navigation (every page) and the
    access checks share: no query of its own.
    """
    organisations = [
        membership.organisation
        for membership in memberships_of(user)
        if membership.role == Membership.Role.MANAGER
    ]
    return sorted(organisations, key=lambda organisation: (organisation.name, organisation.pk))


@dataclass(frozen=True)
class ElementSpread:
    """One element across the organisation's teams: the median of the team medians and range."""

    element: Element
    median: float | None
    lowest: float | None
    highest: float | None
    teams: int

    @property
    def level(self) -> int | None:
        return scoring.level_for_score(self.median) if self.median is not None else None


@dataclass(frozen=True)
class LevelChange:
    """A level in the previous cycle and in this one (None: no result)."""

    previous: int | None
    current: int | None

    @property
    def difference(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class TeamChanges:
    team: Team
    # In the order of Dashboard.elements.
    changes: list[LevelChange]


@dataclass(frozen=True)
class Disagreement:
    """A team whose respondents are two levels apart or more on some elements."""

    team: Team
    elements: list[tuple[Element, scoring.TeamElementResult]]


@dataclass(frozen=True)
class FrameworkSpread:
    framework: Framework
    spreads: list[ElementSpread]


@dataclass
class Dashboard:
    organisation: Organisation
    cycle: Cycle
    # Every cycle of the organisation, newest first (the picker's choices).
    cycles: list[Cycle]
    previous_cycle: Cycle | None
    elements: list[Element]
    # Every team of the organisation, by name; elements in the order above.
    teams: list[TeamCycleResult]
    spreads: list[ElementSpread]
    # Teams with results in this cycle or the previous one (empty without a previous cycle).
    team_changes: list[TeamChanges]
    organisation_changes: list[LevelChange]
    # The cycle's rubric, for its levels and guidance (read once per request).
    rubric: Rubric = field(repr=False, compare=False)

    @property
    def assessed_teams(self) -> list[TeamCycleResult]:
        """Teams with at least one submitted assessment in the cycle."""
        return [team for team in self.teams if team.submitted]

    @property
    def submitted_count(self) -> int:
        return len(self.assessed_teams)

    @property
    def in_progress_count(self) -> int:
        return sum(not team.submitted and team.in_progress > 0 for team in self.teams)

    @property
    def not_started_count(self) -> int:
        return len(self.teams) - self.submitted_count - self.in_progress_count

    @property
    def disagreements(self) -> list[Disagreement]:
        found = []
        for team in self.assessed_teams:
            elements = [
                (element, result)
                for element, result in zip(self.elements, team.elements, strict=True)
                if result.disagreement
            ]
            if elements:
                found.append(Disagreement(team=team.team, elements=elements))
        return found

    @property
    def frameworks(self) -> list[FrameworkSpread]:
        """The organisation spreads grouped by framework (the four Cs, the five dimensions...)."""
        grouped: dict[int, FrameworkSpread] = {}
        for spread in self.spreads:
            framework = spread.element.framework
            grouped.setdefault(
                framework.pk, FrameworkSpread(framework=framework, spreads=[])
            ).spreads.append(spread)
        return list(grouped.values())


def previous_cycle(cycle: Cycle, cycles: Sequence[Cycle]) -> Cycle | None:
    """The cycle of ``cycles`` that opened last before ``cycle`` did."""
    earlier = [other for other in cycles if other.opens_on < cycle.opens_on]
    return max(earlier, key=lambda other: (other.opens_on, other.pk), default=None)


def _subquery_count(queryset: QuerySet[Any]) -> Coalesce:
    """The number of rows of ``queryset`` (correlated on the team) as an annotation."""
    counted = queryset.order_by().values("team_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _teams_with_completion(cycle: Cycle) -> list[Team]:
    """The organisation's teams, each with ``not_started`` and ``in_progress``: one query.

    Not started counts the team's leads without an assessment in the cycle.
    """
    started = Assessment.objects.filter(
        team_id=OuterRef("team_id"), cycle_id=cycle.pk, respondent_id=OuterRef("user_id")
    )
    leads_not_started = Membership.objects.filter(
        team_id=OuterRef("pk"), role=Membership.Role.LEAD
    ).filter(~Exists(started))
    drafts = Assessment.objects.filter(
        team_id=OuterRef("pk"), cycle_id=cycle.pk, status=Assessment.Status.DRAFT
    )
    return list(
        Team.objects.filter(organisation_id=cycle.organisation_id)
        .annotate(
            not_started=_subquery_count(leads_not_started),
            in_progress=_subquery_count(drafts),
        )
        .order_by("name", "pk")
    )


def _combine(
    assessments: list[dict[str, scoring.ElementScore]], element_key: str
) -> scoring.TeamElementResult:
    # An earlier cycle's pinned rubric may lack an element: it has no result there.
    return scoring.combine_team(
        [scores[element_key] for scores in assessments if element_key in scores],
        element_key=element_key,
    )


def _spread(element: Element, team_medians: list[float]) -> ElementSpread:
    return ElementSpread(
        element=element,
        median=scoring.median_across(team_medians),
        lowest=min(team_medians, default=None),
        highest=max(team_medians, default=None),
        teams=len(team_medians),
    )


def dashboard_data(cycle: Cycle, *, cycles: Sequence[Cycle] | None = None) -> Dashboard:
    """The dashboard of ``cycle`` (whose ``organisation`` should be loaded).

    Pass the organisation's ``cycles`` when they are at hand (one query less).
    Queries: the cycles, the rubric (three when live, none or one when
    pinned), the teams with their completion, and the submitted scores of this
    cycle and the previous one together (two), whatever the number of teams.
    """
    if cycles is None:
        cycles = list(
            Cycle.objects.filter(organisation_id=cycle.organisation_id).order_by("-opens_on", "-pk")
        )
    previous = previous_cycle(cycle, cycles)
    rubric = rubric_for_cycle(cycle)
    elements = [element for element in rubric.elements if element.questions.all()]
    teams = _teams_with_completion(cycle)
    cycle_ids = [cycle.pk] if previous is None else [cycle.pk, previous.pk]
    scores: dict[int, dict[int, list[dict[str, scoring.ElementScore]]]] = {
        cycle_id: defaultdict(list) for cycle_id in cycle_ids
    }
    for row in submitted_scores(Assessment.objects.filter(cycle_id__in=cycle_ids), rubric):
        scores[row.cycle_id][row.team_id].append(row.scores)

    current, earlier = scores[cycle.pk], scores[previous.pk] if previous else {}
    team_results = [
        TeamCycleResult(
            team=team,
            not_started=team.not_started,  # type: ignore[attr-defined]
            in_progress=team.in_progress,  # type: ignore[attr-defined]
            submitted=len(current.get(team.pk, [])),
            elements=[_combine(current.get(team.pk, []), element.key) for element in elements],
        )
        for team in teams
    ]
    previous_results = {
        team.pk: [_combine(earlier[team.pk], element.key) for element in elements]
        for team in teams
        if team.pk in earlier
    }

    spreads = [
        _spread(
            element,
            [
                median
                for team in team_results
                if (median := team.elements[index].median_score) is not None
            ],
        )
        for index, element in enumerate(elements)
    ]
    team_changes: list[TeamChanges] = []
    organisation_changes: list[LevelChange] = []
    if previous is not None:
        for team in team_results:
            before = previous_results.get(team.team.pk)
            if before is None and not team.submitted:
                continue
            team_changes.append(
                TeamChanges(
                    team=team.team,
                    changes=[
                        LevelChange(
                            previous=before[index].median_level if before else None,
                            current=result.median_level,
                        )
                        for index, result in enumerate(team.elements)
                    ],
                )
            )
        for index, element in enumerate(elements):
            then = _spread(
                element,
                [
                    median
                    for results in previous_results.values()
                    if (median := results[index].median_score) is not None
                ],
            )
            organisation_changes.append(
                LevelChange(previous=then.level, current=spreads[index].level)
            )

    return Dashboard(
        organisation=cycle.organisation,
        cycle=cycle,
        cycles=list(cycles),
        previous_cycle=previous,
        elements=elements,
        teams=team_results,
        spreads=spreads,
        team_changes=team_changes,
        organisation_changes=organisation_changes,
        rubric=rubric,
    )


# Charts ---------------------------------------------------------------------
#
# Built like assessments.charts: words from gettext at call time, so call
# them inside the request (or translation.override).

# A row of the heatmap per team: this many CSS pixels each, above a minimum.
HEATMAP_ROW_HEIGHT = 26
HEATMAP_MARGIN = 140

SPREAD_BAR_WIDTH = 0.5

MOVED_UP_COLOUR = "#009e73"
SAME_LEVEL_COLOUR = "#adb5bd"
MOVED_DOWN_COLOUR = "#d55e00"


def _level_cell(level: int | None) -> str:
    return str(level) if level is not None else "—"


def heatmap_height(team_count: int) -> int:
    return max(charts.HEIGHT, HEATMAP_MARGIN + HEATMAP_ROW_HEIGHT * team_count)


def level_heatmap_figure(
    elements: Sequence[Element], teams: Sequence[TeamCycleResult], *, height: int | None = None
) -> go.Figure:
    """Teams (rows, first at the top) by elements (columns), coloured by median level."""
    names = [str(element.name) for element in elements]
    team_names = [team.team.name for team in teams]
    levels = [[result.median_level for result in team.elements] for team in teams]
    count = len(charts.LEVEL_COLOURS)
    # Five bands of equal width over 0.5-5.5: each level one flat colour.
    colour_scale = [
        [position / count, colour]
        for index, colour in enumerate(charts.LEVEL_COLOURS)
        for position in (index, index + 1)
    ]
    heatmap = go.Heatmap(
        z=levels,
        x=names,
        y=team_names,
        zmin=scoring.LOWEST_LEVEL - 0.5,
        zmax=scoring.HIGHEST_LEVEL + 0.5,
        colorscale=colour_scale,
        text=[[_level_cell(level) for level in row] for row in levels],
        texttemplate="%{text}",
        xgap=2,
        ygap=2,
        hoverongaps=False,
        hovertemplate="%{y} · %{x}: " + _("level %{z}") + "<extra></extra>",
        # Each cell says its level: no colour scale to read off.
        showscale=False,
        **charts.checks(),
    )
    return charts.figure(
        [heatmap],
        height=height or heatmap_height(len(teams)),
        # Element names on top, where a tall heatmap starts; the first team first.
        xaxis={"type": "category", "side": "top", "showgrid": False},
        yaxis={"type": "category", "autorange": "reversed", "showgrid": False},
        margin={"l": 60, "r": 30, "t": 40, "b": 20},
    )


def spread_figure(spreads: Sequence[ElementSpread]) -> go.Figure:
    """Per element, the median of the team medians, with a whisker from the lowest to highest."""
    names = [str(spread.element.name) for spread in spreads]
    medians = [spread.median for spread in spreads]
    bars = go.Bar(
        x=names,
        y=medians,
        name=_("Median of the teams"),
        marker={"color": charts.ORGANISATION_COLOUR},
        # Narrower than the whole category: a lone element is not one wide slab.
        width=SPREAD_BAR_WIDTH,
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [_distance(spread.median, spread.highest) for spread in spreads],
            "arrayminus": [_distance(spread.lowest, spread.median) for spread in spreads],
            "color": charts.TEXT_COLOUR,
            "thickness": 1.5,
            "width": 6,
        },
        customdata=[[spread.lowest, spread.highest] for spread in spreads],
        hovertemplate=("%{x}: %{y:.1f} (%{customdata[0]:.1f}–%{customdata[1]:.1f})<extra></extra>"),
        **charts.checks(),
    )
    return charts.figure(
        [bars], showlegend=False, xaxis={"type": "category"}, yaxis=charts._score_axis()
    )


def _distance(low: float | None, high: float | None) -> float | None:
    return high - low if low is not None and high is not None else None


def changes_figure(elements: Sequence[Element], team_changes: Sequence[TeamChanges]) -> go.Figure:
    """Per element, how many teams moved up, stayed or moved down a level (stacked)."""
    names = [str(element.name) for element in elements]
    counts = _change_counts(len(elements), team_changes)
    traces = [
        go.Bar(
            x=names,
            y=[count[position] for count in counts],
            name=label,
            marker={"color": colour},
            hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            **charts.checks(),
        )
        for position, (label, colour) in enumerate(
            [
                (_("Moved up"), MOVED_UP_COLOUR),
                (_("Same level"), SAME_LEVEL_COLOUR),
                (_("Moved down"), MOVED_DOWN_COLOUR),
            ]
        )
    ]
    tallest = max((sum(count) for count in counts), default=0)
    return charts.figure(
        traces,
        barmode="stack",
        xaxis={"type": "category"},
        yaxis=charts.teams_axis(tallest),
        # Stacked bars list their legend bottom-up unless told otherwise.
        legend={**charts.LEGEND, "traceorder": "normal"},
    )


def _change_counts(
    element_count: int, team_changes: Sequence[TeamChanges]
) -> list[tuple[int, int, int]]:
    """Per element: teams up, the same, down (teams with a level in both cycles)."""
    counts = []
    for index in range(element_count):
        differences = [
            difference
            for team in team_changes
            if (difference := team.changes[index].difference) is not None
        ]
        counts.append(
            (
                sum(difference > 0 for difference in differences),
                sum(difference == 0 for difference in differences),
                sum(difference < 0 for difference in differences),
            )
        )
    return counts


def heatmap_chart(dashboard: Dashboard) -> charts.Chart:
    teams = dashboard.assessed_teams
    left_out = len(dashboard.teams) - len(teams)
    summary = _(
        "Heatmap of the median level per element of each of the %(count)d teams with "
        "submitted results: a darker cell is a higher level."
    ) % {"count": len(teams)}
    if left_out:
        summary += " " + ngettext(
            "%(count)d team without submitted results is left out.",
            "%(count)d teams without submitted results are left out.",
            left_out,
        ) % {"count": left_out}
    return charts.Chart(
        key="level-heatmap",
        title=_("Levels per team and element"),
        figure=level_heatmap_figure(dashboard.elements, teams),
        table=charts.ChartTable(
            caption=_("Median level per team and element in %(cycle)s")
            % {"cycle": dashboard.cycle.name},
            headers=[_("Team"), *(str(element.name) for element in dashboard.elements)],
            rows=[
                [team.team.name, *(_level_cell(result.median_level) for result in team.elements)]
                for team in teams
            ],
        ),
        text_alternative=summary,
    )


def spread_charts(dashboard: Dashboard) -> list[charts.Chart]:
    """One chart per framework: the organisation median per element and the teams' range."""
    return [_spread_chart(framework_spread, dashboard) for framework_spread in dashboard.frameworks]


def _spread_chart(framework_spread: FrameworkSpread, dashboard: Dashboard) -> charts.Chart:
    framework = framework_spread.framework
    details = "; ".join(
        _("%(element)s %(median)s (%(lowest)s to %(highest)s)")
        % {
            "element": spread.element.name,
            "median": charts._say_score(spread.median),
            "lowest": charts._say_score(spread.lowest),
            "highest": charts._say_score(spread.highest),
        }
        for spread in framework_spread.spreads
    )
    return charts.Chart(
        key=f"spread-{framework.key}",
        title=_("%(framework)s across the organisation") % {"framework": framework.name},
        figure=spread_figure(framework_spread.spreads),
        table=charts.ChartTable(
            caption=_("Team medians for %(framework)s in %(cycle)s")
            % {"framework": framework.name, "cycle": dashboard.cycle.name},
            headers=[_("Element"), _("Median"), _("Lowest"), _("Highest"), _("Teams")],
            rows=[
                [
                    str(spread.element.name),
                    charts._format_score(spread.median),
                    charts._format_score(spread.lowest),
                    charts._format_score(spread.highest),
                    str(spread.teams),
                ]
                for spread in framework_spread.spreads
            ],
        ),
        text_alternative=_(
            "Bar chart of the median of the team medians on %(framework)s, from 0 to 5, "
            "with a line from the lowest to the highest team: %(details)s."
        )
        % {"framework": framework.name, "details": details},
    )


def changes_chart(dashboard: Dashboard) -> charts.Chart | None:
    """Level changes since the previous cycle; None when there is none."""
    previous = dashboard.previous_cycle
    if previous is None:
        return None
    counts = _change_counts(len(dashboard.elements), dashboard.team_changes)
    details = "; ".join(
        _("%(element)s: %(up)d up, %(same)d the same, %(down)d down")
        % {"element": element.name, "up": up, "same": same, "down": down}
        for element, (up, same, down) in zip(dashboard.elements, counts, strict=True)
    )
    return charts.Chart(
        key="level-changes",
        title=_("Level changes since %(previous)s") % {"previous": previous.name},
        figure=changes_figure(dashboard.elements, dashboard.team_changes),
        table=charts.ChartTable(
            caption=_("Teams per element whose level changed from %(previous)s to %(cycle)s")
            % {"previous": previous.name, "cycle": dashboard.cycle.name},
            headers=[_("Element"), _("Moved up"), _("Same level"), _("Moved down")],
            rows=[
                [str(element.name), str(up), str(same), str(down)]
                for element, (up, same, down) in zip(dashboard.elements, counts, strict=True)
            ],
        ),
        text_alternative=_(
            "Stacked bar chart of how many teams with results in both cycles moved up a "
            "level, stayed or moved down, per element: %(details)s."
        )
        % {"details": details},
    )
