"""Plotly figures of results: the results page and the PDF action plan draw the same ones.

Every function takes the plain results of ``results.selectors`` and returns a
``go.Figure``; ``assessment_charts`` and ``cycle_charts`` wrap them as ``Chart``
values with a title, a data table and a text alternative, ready for a page or a
report. Words come from gettext at call time and rubric names from the active
language, so build the figures inside the request (or ``translation.override``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from results import scoring
from results.selectors import (
    AssessmentResult,
    CycleOverview,
    ElementLevelCounts,
    ElementResult,
    FrameworkResult,
    TeamProgress,
)

# plotly checks and copies every property of every figure object as it is
# built: about 8 ms a chart, most of the dashboard's time. The figures come from
# this module's and dashboard.py's own code, never from user input, and the
# test suite builds every one with the checks on (tests/conftest.py turns
# VALIDATE on), so serving skips them. The JSON is the same either way.
VALIDATE = False


def join_list(items: Iterable[str]) -> str:
    """The items of a list inside a sentence, separated as the language writes it (；)."""
    return pgettext("between items of a list", "; ").join(items)


def checks() -> dict[str, bool]:
    """The keyword that turns plotly's property checks on or off, per ``VALIDATE``."""
    return {"_validate": VALIDATE}


# Chinese must render in the PDF as well as in browsers: name CJK fonts first.
FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
FONT_SIZE = 14
TEXT_COLOUR = "#212529"
HEIGHT = 420

TEAM_COLOUR = "#0d6efd"
ORGANISATION_COLOUR = "#6c757d"
SCORE_COLOUR = "#0d6efd"
# Dark orange: 4.8:1 on white, so the bar and its label both read; the growth
# bar also carries a hatch pattern and a label, never colour alone.
GROWTH_COLOUR = "#b35900"
# Light to dark: a higher level is a darker blue. Level 1 stays visible on white.
LEVEL_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NOT_ENOUGH_COLOUR = "#adb5bd"
# Colour-blind-safe qualitative colours (Okabe-Ito, then a few more) for one line per element.
ELEMENT_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#999933",
    "#000000",
    "#8c564b",
    "#7f7f7f",
)

# Above the plot: long element names on the x axis need the room below.
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}

# Frameworks with fewer elements get bars: a radar needs three corners to say anything.
RADAR_MIN_ELEMENTS = 3
# Taller than the other charts: the scale's labels (1-5) sit along one spoke
# and need some 20 px apart, even on a phone.
RADAR_HEIGHT = 540
# A framework of one element: a level bullet, one row high.
BULLET_HEIGHT = 220
# Bands behind the bullet, one per level (a score rounds to the level of its band).
LEVEL_BAND_COLOURS = ("#f8f9fa", "#e9ecef")
# A range from the lowest to the highest respondent: a light bar with a dark edge.
RANGE_COLOUR = "#9ecae1"
RANGE_ROW_HEIGHT = 36

SCORE_RANGE = [0, scoring.HIGHEST_LEVEL]
LEVEL_TICKS = list(range(scoring.LOWEST_LEVEL, scoring.HIGHEST_LEVEL + 1))


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers as a table: what screen readers and printouts rely on."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    key: str  # stable, usable as an html id: "radar-cx-culture-four-cs"
    title: str
    figure: go.Figure
    table: ChartTable
    text_alternative: str  # one or two sentences saying what the chart shows

    @property
    def figure_json(self) -> dict[str, Any]:
        """The figure as plain data for ``json_script`` (what ``Plotly.newPlot`` takes)."""
        return self.figure.to_plotly_json()


def team_score(element_result: ElementResult) -> float | None:
    """The team's score: the median of its respondents, or the one respondent's score."""
    if element_result.team is not None:
        return element_result.team.median_score
    return element_result.score.score


def _team_against_medians(
    framework_result: FrameworkResult, organisation_medians: dict[str, float | None]
) -> tuple[list[str], list[float | None], list[float | None]]:
    """Element names, the team's scores and the organisation's medians, in rubric order."""
    return (
        _element_names(framework_result),
        [team_score(result) for result in framework_result.elements],
        [organisation_medians.get(result.element.key) for result in framework_result.elements],
    )


def teams_axis(tallest: int) -> dict[str, Any]:
    """A y axis counting teams: whole teams only, and about eight gridlines at most."""
    return {
        "title": {"text": _("Teams")},
        "rangemode": "tozero",
        "tick0": 0,
        "dtick": max(1, math.ceil(tallest / 8)),
    }


def radar_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """The team's element scores against the organisation's medians, as a radar.

    The team is a filled shape, drawn first; the organisation's median a dashed
    outline drawn over it. The legend lists them in that order.
    """
    names, team_scores, medians = _team_against_medians(framework_result, organisation_medians)
    return figure(
        [
            _radar_trace(team_scores, names, name=team_label, colour=TEAM_COLOUR),
            _radar_trace(
                medians, names, name=organisation_label, colour=ORGANISATION_COLOUR, outline=True
            ),
        ],
        height=RADAR_HEIGHT,
        polar={
            # The scale runs between the first two corners, clear of their labels.
            "radialaxis": {
                "range": SCORE_RANGE,
                "tickvals": LEVEL_TICKS,
                "angle": 45,
                "tickangle": 45,
                "tickfont": {"size": FONT_SIZE - 2},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        # Below the radar, out of the top corner's way, in drawing order.
        legend={**LEGEND, "yanchor": "top", "y": -0.06, "traceorder": "normal"},
        # Room either side for the corner labels (element names).
        margin={"l": 90, "r": 90, "t": 40, "b": 70},
    )


def scores_bar_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """The radar's data as grouped bars, for frameworks with two elements.

    In each group the team's bar comes first, then the organisation's median:
    the legend's order.
    """
    names, team_scores, medians = _team_against_medians(framework_result, organisation_medians)
    return figure(
        [
            _score_bars(team_scores, names, name=team_label, colour=TEAM_COLOUR),
            _score_bars(medians, names, name=organisation_label, colour=ORGANISATION_COLOUR),
        ],
        barmode="group",
        xaxis={"type": "category"},
        yaxis=_score_axis(),
        legend={**LEGEND, "traceorder": "normal"},
    )


def level_bullet_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """A framework of one element: the team's score as a bullet over the five level bands.

    The organisation's median is the bullet's threshold line; a line of text
    under the bullet says which mark is which (an indicator has no legend).
    """
    (element_result,) = framework_result.elements
    score = team_score(element_result)
    median = organisation_medians.get(element_result.element.key)
    gauge: dict[str, Any] = {
        "shape": "bullet",
        "axis": {"range": SCORE_RANGE, "tickvals": LEVEL_TICKS},
        "bar": {"color": TEAM_COLOUR, "thickness": 0.45},
        "bgcolor": "white",
        "borderwidth": 1,
        "bordercolor": GRID_COLOUR,
        "steps": [
            {"range": list(band), "color": LEVEL_BAND_COLOURS[index % len(LEVEL_BAND_COLOURS)]}
            for index, band in enumerate(_level_bands())
        ],
    }
    if median is not None:
        gauge["threshold"] = {
            "value": median,
            "thickness": 0.9,
            "line": {"color": TEXT_COLOUR, "width": 4},
        }
    indicator = go.Indicator(
        mode="number+gauge",
        value=score,
        number={"valueformat": ".1f", "font": {"size": 2 * FONT_SIZE}},
        title={"text": str(element_result.element.name), "font": {"size": FONT_SIZE}},
        gauge=gauge,
        domain={"x": [0.22, 1], "y": [0.45, 1]},
        **checks(),
    )
    # Which mark is which, one line each (on a phone one line would run off the chart).
    key = [
        _("%(team)s: %(score)s (bar)") % {"team": team_label, "score": _say_score(score)},
        _("%(organisation)s: %(median)s (line)")
        % {"organisation": organisation_label, "median": _say_score(median)},
    ]
    return figure(
        [indicator],
        height=BULLET_HEIGHT,
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
        annotations=[
            {
                "text": line,
                "x": 0,
                "y": y,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
            for line, y in zip(key, (0.15, 0), strict=True)
        ],
    )


def range_traces(
    names: Sequence[str],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    middles: Sequence[float | None],
    *,
    range_label: str,
    middle_label: str,
) -> list[Any]:
    """Horizontal ranges drawn as ranges: a bar from each low to its high (``base``),
    then a marker at the middle (a median) on top; the legend follows that order."""
    return [
        go.Bar(
            y=list(names),
            x=[
                high - low if high is not None and low is not None else None
                for low, high in zip(lows, highs, strict=True)
            ],
            base=list(lows),
            orientation="h",
            name=range_label,
            width=0.5,
            marker={"color": RANGE_COLOUR, "line": {"color": TEAM_COLOUR, "width": 1.5}},
            customdata=[[low, high] for low, high in zip(lows, highs, strict=True)],
            hovertemplate="%{y}: %{customdata[0]:.1f}–%{customdata[1]:.1f}<extra></extra>",
            **checks(),
        ),
        go.Scatter(
            y=list(names),
            x=list(middles),
            mode="markers",
            name=middle_label,
            marker={"color": TEXT_COLOUR, "symbol": "diamond", "size": 12},
            hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>",
            **checks(),
        ),
    ]


def team_range_figure(result: AssessmentResult) -> go.Figure:
    """Per element, the team's respondents from the lowest to the highest score, and the median."""
    teams = [
        (str(item.element.name), item.team)
        for item in result.elements
        if item.team is not None and item.team.respondents
    ]
    return figure(
        range_traces(
            [name for name, _team in teams],
            [team.min_score for _name, team in teams],
            [team.max_score for _name, team in teams],
            [team.median_score for _name, team in teams],
            range_label=_("Lowest to highest respondent"),
            middle_label=_("Team median"),
        ),
        height=max(HEIGHT, 120 + RANGE_ROW_HEIGHT * len(teams)),
        barmode="overlay",
        xaxis={**_score_axis(), "side": "top"},
        yaxis={"type": "category", "autorange": "reversed"},
        legend={**LEGEND, "yanchor": "top", "y": -0.02, "traceorder": "normal"},
        margin={"l": 60, "r": 30, "t": 60, "b": 60},
    )


def framework_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """A radar for three elements or more, bars for two, a level bullet for one."""
    build = {1: level_bullet_figure, 2: scores_bar_figure}.get(
        len(framework_result.elements), radar_figure
    )
    return build(
        framework_result,
        organisation_medians,
        team_label=team_label,
        organisation_label=organisation_label,
    )


def four_cs_figure(framework_result: FrameworkResult) -> go.Figure:
    """One bar per element (the four Cs); the biggest growth opportunity stands out.

    The bars are the assessment's own scores: the ones the growth opportunity
    is read from. The growth opportunity's bar is a trace of its own, drawn
    after the others: dark orange and hatched, and named in the legend, so
    neither colour alone nor the legend alone tells it apart.
    """
    names = _element_names(framework_result)
    scores = [result.score.score for result in framework_result.elements]
    growth = [result.is_growth_opportunity for result in framework_result.elements]

    def bars(marked: bool, *, name: str, marker: dict[str, Any]) -> go.Bar:
        shown = [
            score if is_growth == marked else None
            for score, is_growth in zip(scores, growth, strict=True)
        ]
        return go.Bar(
            x=names,
            y=shown,
            name=name,
            marker=marker,
            text=[_format_score(score) if score is not None else "" for score in shown],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>",
            **checks(),
        )

    traces = [bars(False, name=_("Score"), marker={"color": SCORE_COLOUR})]
    if any(growth):
        traces.append(
            bars(
                True,
                name=_("Biggest growth opportunity"),
                marker={
                    "color": GROWTH_COLOUR,
                    # White hatching over the orange: the bar stays solid and stands out.
                    "pattern": {
                        "shape": "/",
                        "fillmode": "overlay",
                        "fgcolor": "white",
                        "size": 8,
                        "solidity": 0.3,
                    },
                },
            )
        )
    return figure(
        traces,
        # One bar per element, wherever its trace: the bars do not share a slot.
        barmode="overlay",
        xaxis={"type": "category"},
        yaxis=_score_axis(),
        legend={**LEGEND, "traceorder": "normal"},
    )


def level_distribution_figure(distribution: Sequence[ElementLevelCounts]) -> go.Figure:
    """Per element, how many teams sit at each level (stacked), and how many lack answers."""
    names = [str(counts.element.name) for counts in distribution]
    traces = [
        go.Bar(
            x=names,
            y=[counts.level_counts[index] for counts in distribution],
            name=_level_label(level),
            marker={"color": LEVEL_COLOURS[index]},
            hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            **checks(),
        )
        for index, level in enumerate(LEVEL_TICKS)
    ]
    traces.append(
        go.Bar(
            x=names,
            y=[counts.not_enough for counts in distribution],
            name=_("Not enough answers"),
            marker={"color": NOT_ENOUGH_COLOUR},
            hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
            **checks(),
        )
    )
    tallest = max(
        (sum(counts.level_counts) + counts.not_enough for counts in distribution), default=0
    )
    return figure(
        traces,
        barmode="stack",
        xaxis={"type": "category"},
        yaxis=teams_axis(tallest),
        legend={**LEGEND, "traceorder": "normal"},
    )


def progress_figure(progress: TeamProgress) -> go.Figure:
    """The team's median score per element across cycles: one line per element."""
    cycle_names = [cycle.cycle_name for cycle in progress.cycles]
    return figure(
        [
            go.Scatter(
                x=cycle_names,
                y=[cycle.medians.get(element.key) for cycle in progress.cycles],
                name=str(element.name),
                mode="lines+markers",
                line={"color": ELEMENT_COLOURS[index % len(ELEMENT_COLOURS)]},
                hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>",
                **checks(),
            )
            for index, element in enumerate(progress.elements)
        ],
        # A category axis keeps cycles named like years ("2026") from becoming numbers.
        xaxis={"type": "category", "title": {"text": _("Cycle")}},
        yaxis=_score_axis(),
    )


def assessment_charts(result: AssessmentResult) -> list[Chart]:
    """The results page's charts, in the order they are shown.

    For each framework, the team against the organisation median (a radar; bars
    for two elements, a level bullet for one), then the four-C bars when the
    framework names a growth opportunity; then, with several respondents, how
    far apart they are per element; last, the team's progress when it has
    results from two cycles or more.
    """
    team_label = result.assessment.team.name
    organisation_label = _("Organisation median")
    charts = []
    for framework_result in result.frameworks:
        charts.append(
            _framework_chart(
                framework_result,
                result.organisation_medians,
                team_label=team_label,
                organisation_label=organisation_label,
            )
        )
        if framework_result.framework.names_growth_opportunity:
            charts.append(_growth_chart(framework_result))
    if result.has_team_result:
        charts.append(_team_range_chart(result, team_label=team_label))
    if result.progress.shows_progress:
        charts.append(_progress_chart(result.progress, team_label=team_label))
    return charts


def cycle_charts(overview: CycleOverview) -> list[Chart]:
    """The cycle overview's charts: how the teams spread over the levels."""
    return [_distribution_chart(overview)]


def _framework_chart(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> Chart:
    framework = framework_result.framework
    shape = {1: "level", 2: "scores"}.get(len(framework_result.elements), "radar")
    figure = framework_figure(
        framework_result,
        organisation_medians,
        team_label=team_label,
        organisation_label=organisation_label,
    )
    pairs = [
        (
            str(result.element.name),
            team_score(result),
            organisation_medians.get(result.element.key),
        )
        for result in framework_result.elements
    ]
    details = join_list(
        _("%(element)s %(score)s against %(median)s")
        % {
            "element": name,
            "score": _say_score(score),
            "median": _say_score(median),
        }
        for name, score, median in pairs
    )
    return Chart(
        key=f"{shape}-{framework.key}",
        title=_("%(framework)s: %(team)s and the organisation")
        % {"framework": framework.name, "team": team_label},
        figure=figure,
        table=ChartTable(
            caption=_("Scores for %(framework)s") % {"framework": framework.name},
            headers=[_("Element"), team_label, organisation_label],
            rows=[
                [name, _format_score(score), _format_score(median)] for name, score, median in pairs
            ],
        ),
        text_alternative=_(
            "%(team)s compared with the organisation median on %(framework)s, from 0 to 5: "
            "%(details)s."
        )
        % {"team": team_label, "framework": framework.name, "details": details},
    )


def _growth_chart(framework_result: FrameworkResult) -> Chart:
    framework = framework_result.framework
    growth = framework_result.growth_opportunity
    if growth is None:
        summary = _("No element has enough answers to name a growth opportunity yet.")
    else:
        summary = _(
            "%(element)s scores lowest, %(score)s, and is the biggest growth opportunity."
        ) % {"element": growth.element.name, "score": _say_score(growth.score.score)}
    return Chart(
        key=f"growth-{framework.key}",
        title=_("%(framework)s: the biggest growth opportunity") % {"framework": framework.name},
        figure=four_cs_figure(framework_result),
        table=ChartTable(
            caption=_("Scores for %(framework)s") % {"framework": framework.name},
            headers=[_("Element"), _("Score"), _("Growth opportunity")],
            rows=[
                [
                    str(result.element.name),
                    _format_score(result.score.score),
                    _("Biggest growth opportunity") if result.is_growth_opportunity else "",
                ]
                for result in framework_result.elements
            ],
        ),
        text_alternative=_("Bar chart of the scores for %(framework)s. %(summary)s")
        % {"framework": framework.name, "summary": summary},
    )


def _team_range_chart(result: AssessmentResult, *, team_label: str) -> Chart:
    rows = [
        (str(item.element.name), item.team)
        for item in result.elements
        if item.team is not None and item.team.respondents
    ]
    details = join_list(
        _("%(element)s %(lowest)s to %(highest)s, median %(median)s")
        % {
            "element": name,
            "lowest": _say_score(team.min_score),
            "highest": _say_score(team.max_score),
            "median": _say_score(team.median_score),
        }
        for name, team in rows
    )
    return Chart(
        key="team-range",
        title=_("%(team)s: how far apart the respondents are") % {"team": team_label},
        figure=team_range_figure(result),
        table=ChartTable(
            caption=_("Respondents' scores per element in %(team)s") % {"team": team_label},
            headers=[_("Element"), _("Lowest"), _("Team median"), _("Highest")],
            rows=[
                [
                    name,
                    _format_score(team.min_score),
                    _format_score(team.median_score),
                    _format_score(team.max_score),
                ]
                for name, team in rows
            ],
        ),
        text_alternative=_(
            "Range chart of the lowest and highest score among the %(count)d respondents "
            "of %(team)s per element, with the team median: %(details)s."
        )
        % {"count": result.respondents, "team": team_label, "details": details},
    )


def _progress_chart(progress: TeamProgress, *, team_label: str) -> Chart:
    first, last = progress.cycles[0], progress.cycles[-1]
    changes = join_list(
        _("%(element)s from %(first)s to %(last)s")
        % {
            "element": element.name,
            "first": _say_score(first.medians.get(element.key)),
            "last": _say_score(last.medians.get(element.key)),
        }
        for element in progress.elements
    )
    return Chart(
        key="progress",
        title=_("Progress across cycles"),
        figure=progress_figure(progress),
        table=ChartTable(
            caption=_("Scores of %(team)s per cycle") % {"team": team_label},
            headers=[_("Element"), *(cycle.cycle_name for cycle in progress.cycles)],
            rows=[
                [
                    str(element.name),
                    *(_format_score(cycle.medians.get(element.key)) for cycle in progress.cycles),
                ]
                for element in progress.elements
            ],
        ),
        text_alternative=_(
            "Line chart of the scores of %(team)s across %(count)d cycles, "
            "from %(first)s to %(last)s: %(changes)s."
        )
        % {
            "team": team_label,
            "count": len(progress.cycles),
            "first": first.cycle_name,
            "last": last.cycle_name,
            "changes": changes,
        },
    )


def _distribution_chart(overview: CycleOverview) -> Chart:
    most_common = join_list(
        _most_common_level(counts) for counts in overview.distribution if _assessed(counts)
    )
    summary = _(
        "Stacked bar chart of how many of the %(count)d teams with submitted results "
        "sit at each level, per element."
    ) % {"count": overview.assessed_teams}
    return Chart(
        key="level-distribution",
        title=_("Teams at each level"),
        figure=level_distribution_figure(overview.distribution),
        table=ChartTable(
            caption=_("Teams at each level in %(cycle)s") % {"cycle": overview.cycle.name},
            headers=[
                _("Element"),
                *(_level_label(level) for level in LEVEL_TICKS),
                _("Not enough answers"),
            ],
            rows=[
                [
                    str(counts.element.name),
                    *(str(count) for count in counts.level_counts),
                    str(counts.not_enough),
                ]
                for counts in overview.distribution
            ],
        ),
        text_alternative=f"{summary} {most_common}." if most_common else summary,
    )


def _assessed(counts: ElementLevelCounts) -> bool:
    return sum(counts.level_counts) + counts.not_enough > 0


def _most_common_level(counts: ElementLevelCounts) -> str:
    if not any(counts.level_counts):
        return _("%(element)s: no team has enough answers") % {"element": counts.element.name}
    top = max(counts.level_counts)
    # On a tie, the lower level: the cautious reading.
    level = LEVEL_TICKS[counts.level_counts.index(top)]
    return _("%(element)s: most teams at level %(level)d") % {
        "element": counts.element.name,
        "level": level,
    }


def _element_names(framework_result: FrameworkResult) -> list[str]:
    return [str(result.element.name) for result in framework_result.elements]


def _format_score(score: float | None) -> str:
    """One decimal, as the results table shows it; words in a table cell when there is none."""
    if score is None:
        return _("Not enough answers")
    return str(floatformat(score, 1))


def _say_score(score: float | None) -> str:
    """A score inside a sentence."""
    if score is None:
        return _("no score")
    return str(floatformat(score, 1))


def _level_label(level: int) -> str:
    return _("Level %(number)d") % {"number": level}


def _radar_trace(
    scores: list[float | None],
    names: list[str],
    *,
    name: str,
    colour: str,
    outline: bool = False,
) -> go.Scatterpolar:
    """A filled shape, or (``outline``) a dashed line that leaves what is under it visible."""
    # The first corner repeated closes the outline.
    return go.Scatterpolar(
        r=[*scores, scores[0]] if scores else [],
        theta=[*names, names[0]] if names else [],
        name=name,
        mode="lines+markers",
        fill="none" if outline else "toself",
        line={
            "color": colour,
            "width": 2.5 if outline else 2,
            "dash": "dash" if outline else "solid",
        },
        marker={"color": colour, "size": 7, "symbol": "square" if outline else "circle"},
        opacity=1 if outline else 0.8,
        hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        **checks(),
    )


def _score_bars(scores: list[float | None], names: list[str], *, name: str, colour: str) -> go.Bar:
    return go.Bar(
        x=names,
        y=scores,
        name=name,
        marker={"color": colour},
        text=[_format_score(score) if score is not None else "" for score in scores],
        textposition="outside",
        hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>",
        **checks(),
    )


def _level_bands() -> list[tuple[float, float]]:
    """The score range of each level, 1-5: a score rounds (halves up) to its band's level."""
    edges = [SCORE_RANGE[0], *(level + 0.5 for level in LEVEL_TICKS[:-1]), SCORE_RANGE[1]]
    return list(itertools.pairwise(edges))


def _score_axis() -> dict[str, Any]:
    # A little headroom above 5 for the values printed on top of the bars.
    return {
        "title": {"text": _("Score")},
        "range": [SCORE_RANGE[0], SCORE_RANGE[1] + 0.6],
        "tickvals": LEVEL_TICKS,
    }


GRID_COLOUR = "#e5ecf6"


def figure(traces: Sequence[Any], **layout: Any) -> go.Figure:
    """A figure in the house look, its layout given whole.

    ``layout`` is merged into the house layout, nested dictionaries key by key
    (so ``xaxis`` or ``polar`` add to its axis styles). One layout at construction rather than
    ``update_layout`` calls after it: plotly validates every update, and that
    was most of a results page's time.
    """
    return go.Figure(data=list(traces), layout=_merge(_layout(), layout), **checks())


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _layout() -> dict[str, Any]:
    # The look of plotly's "plotly_white", spelled out: naming the template
    # makes plotly deep-copy all of it into every figure (about 15 ms and 7 KB
    # of JSON per chart on each results page).
    axis = {
        "automargin": True,
        "gridcolor": GRID_COLOUR,
        "linecolor": GRID_COLOUR,
        "zerolinecolor": GRID_COLOUR,
        "ticks": "",
    }
    return {
        # plotly's "none" template (no styling of its own) as plotly writes it
        # out: figures built without checks would send the bare name instead.
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "height": HEIGHT,
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 60, "r": 30, "t": 60, "b": 40},
        "xaxis": axis,
        "yaxis": axis,
        "polar": {
            "bgcolor": "white",
            "radialaxis": {"gridcolor": GRID_COLOUR, "linecolor": GRID_COLOUR, "ticks": ""},
            "angularaxis": {"gridcolor": GRID_COLOUR, "linecolor": GRID_COLOUR, "ticks": ""},
        },
        "hoverlabel": {"align": "left"},
        "legend": LEGEND,
    }
