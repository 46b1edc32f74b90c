"""The dashboard's charts: a level heatmap, spreads per framework, level changes.

Built like ``results.charts``: words from gettext at call time, so call them
inside the request (or ``translation.override``). The page and the
organisation's PDF plan draw the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.selectors import Dashboard, ElementSpread, FrameworkSpread, TeamChanges
from playbook.models import Element
from results import charts, scoring
from results.selectors import ElementLevelCounts, TeamCycleResult

# A row of the heatmap per team: this many CSS pixels each, above a minimum.
HEATMAP_ROW_HEIGHT = 26
HEATMAP_MARGIN = 140


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
    return levels_heatmap_figure(
        [str(element.name) for element in elements],
        [(team.team.name, [result.median_level for result in team.elements]) for team in teams],
        height=height,
    )


def levels_heatmap_figure(
    names: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | None]]],
    *,
    height: int | None = None,
) -> go.Figure:
    """The heatmap of ``rows`` (a team's name and its median level per element in ``names``)."""
    team_names = [name for name, _levels in rows]
    levels = [list(row_levels) for _name, row_levels in rows]
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
        # Each cell says its level; the legend under the map names the colours.
        showscale=True,
        colorbar={
            "orientation": "h",
            "title": {"text": _("Median level"), "side": "right"},
            "tickvals": charts.LEVEL_TICKS,
            "ticktext": [str(level) for level in charts.LEVEL_TICKS],
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "len": 1,
            "lenmode": "fraction",
            "thickness": 14,
            "outlinewidth": 0,
        },
        **charts.checks(),
    )
    return charts.figure(
        [heatmap],
        height=height or heatmap_height(len(rows)),
        # Element names on top, where a tall heatmap starts; the first team first.
        xaxis={"type": "category", "side": "top", "showgrid": False},
        yaxis={"type": "category", "autorange": "reversed", "showgrid": False},
        # Room at the bottom for the legend.
        margin={"l": 60, "r": 30, "t": 40, "b": 90},
    )


def spread_figure(spreads: Sequence[ElementSpread]) -> go.Figure:
    """Per element, the teams' medians from the lowest to the highest, and their median.

    Drawn as ranges (a bar from the lowest team to the highest, the median a
    marker on it), as the team results draw their respondents.
    """
    return charts.figure(
        charts.range_traces(
            [str(spread.element.name) for spread in spreads],
            [spread.lowest for spread in spreads],
            [spread.highest for spread in spreads],
            [spread.median for spread in spreads],
            range_label=_("Lowest to highest team"),
            middle_label=_("Median of the teams"),
        ),
        height=max(charts.HEIGHT, 120 + charts.RANGE_ROW_HEIGHT * len(spreads)),
        barmode="overlay",
        xaxis={**charts._score_axis(), "side": "top"},
        yaxis={"type": "category", "autorange": "reversed"},
        legend={**charts.LEGEND, "yanchor": "top", "y": -0.02, "traceorder": "normal"},
        margin={"l": 60, "r": 30, "t": 60, "b": 60},
    )


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
    """Every team with submitted results (the organisation PDF's summary of its heatmap)."""
    teams = dashboard.assessed_teams
    return team_levels_chart(
        cycle_name=dashboard.cycle.name,
        element_names=[str(element.name) for element in dashboard.elements],
        rows=[
            (team.team.name, [result.median_level for result in team.elements]) for team in teams
        ],
        left_out=len(dashboard.teams) - len(teams),
    )


def team_levels_chart(
    *,
    cycle_name: str,
    element_names: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | None]]],
    left_out: int,
) -> charts.Chart:
    """The heatmap of one page of teams (those with submitted results), with its table.

    ``left_out``: the page's teams without submitted results.
    """
    summary = _(
        "Heatmap of the median level per element of each of the %(count)d teams with "
        "submitted results: a darker cell is a higher level."
    ) % {"count": len(rows)}
    if left_out:
        summary += " " + ngettext(
            "%(count)d team without submitted results is left out.",
            "%(count)d teams without submitted results are left out.",
            left_out,
        ) % {"count": left_out}
    return charts.Chart(
        key="level-heatmap",
        title=_("Levels per team and element"),
        figure=levels_heatmap_figure(element_names, rows),
        table=charts.ChartTable(
            caption=_("Median level per team and element in %(cycle)s") % {"cycle": cycle_name},
            headers=[_("Team"), *element_names],
            rows=[[name, *(_level_cell(level) for level in levels)] for name, levels in rows],
        ),
        text_alternative=summary,
    )


def distribution_chart(dashboard: Dashboard) -> charts.Chart:
    """Per element, how many teams sit at each median level: the organisation at a glance."""
    distribution = dashboard.distribution
    most_common = charts.join_list(
        _most_common_level(counts) for counts in distribution if any(counts.level_counts)
    )
    summary = _(
        "Stacked bar chart of how many of the %(count)d teams with submitted results "
        "sit at each level, per element."
    ) % {"count": dashboard.submitted_count}
    return charts.Chart(
        key="level-distribution",
        title=_("Teams at each level"),
        figure=charts.level_distribution_figure(distribution),
        table=charts.ChartTable(
            caption=_("Teams at each level in %(cycle)s") % {"cycle": dashboard.cycle.name},
            headers=[
                _("Element"),
                *(charts._level_label(level) for level in charts.LEVEL_TICKS),
                _("Not enough answers"),
            ],
            rows=[
                [
                    str(counts.element.name),
                    *(str(count) for count in counts.level_counts),
                    str(counts.not_enough),
                ]
                for counts in distribution
            ],
        ),
        text_alternative=f"{summary} {most_common}." if most_common else summary,
    )


def _most_common_level(counts: ElementLevelCounts) -> str:
    top = max(counts.level_counts)
    # On a tie, the lower level: the cautious reading.
    level = charts.LEVEL_TICKS[counts.level_counts.index(top)]
    return _("%(element)s: most teams at level %(level)d") % {
        "element": counts.element.name,
        "level": level,
    }


def spread_charts(dashboard: Dashboard) -> list[charts.Chart]:
    """One chart per framework: the organisation median per element and the teams' range."""
    return [_spread_chart(framework_spread, dashboard) for framework_spread in dashboard.frameworks]


def _spread_chart(framework_spread: FrameworkSpread, dashboard: Dashboard) -> charts.Chart:
    framework = framework_spread.framework
    details = charts.join_list(
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
    details = charts.join_list(
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
