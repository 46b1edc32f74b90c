"""Plotly figures of results: the results page and the PDF action plan draw the same ones.

Every function takes the plain results of ``results.selectors`` and returns a
``go.Figure``; ``assessment_charts`` and ``cycle_charts`` wrap them as ``Chart``
values with a title, a data table and a text alternative, ready for a page or a
report. Words come from gettext at call time and rubric names from the active
language, so build the figures inside the request (or ``translation.override``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

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
GROWTH_COLOUR = "#fd7e14"
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
    """The team's element scores against the organisation's medians, as a radar."""
    names, team_scores, medians = _team_against_medians(framework_result, organisation_medians)
    return figure(
        [
            _radar_trace(medians, names, name=organisation_label, colour=ORGANISATION_COLOUR),
            _radar_trace(team_scores, names, name=team_label, colour=TEAM_COLOUR),
        ],
        polar={
            # The scale runs between the first two corners, clear of their labels.
            "radialaxis": {"range": SCORE_RANGE, "tickvals": LEVEL_TICKS, "angle": 45},
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        # Below the radar, out of the top corner's way. The team is drawn last
        # (on top) but listed first.
        legend={**LEGEND, "yanchor": "top", "y": -0.12, "traceorder": "reversed"},
        # Room either side for the corner labels (element names).
        margin={"l": 100, "r": 100, "t": 40, "b": 80},
    )


def scores_bar_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """The radar's data as grouped bars, for frameworks with one or two elements."""
    names, team_scores, medians = _team_against_medians(framework_result, organisation_medians)
    return figure(
        [
            _score_bars(medians, names, name=organisation_label, colour=ORGANISATION_COLOUR),
            _score_bars(team_scores, names, name=team_label, colour=TEAM_COLOUR),
        ],
        barmode="group",
        xaxis={"type": "category"},
        yaxis=_score_axis(),
        legend={**LEGEND, "traceorder": "reversed"},
    )


def framework_figure(
    framework_result: FrameworkResult,
    organisation_medians: dict[str, float | None],
    *,
    team_label: str,
    organisation_label: str,
) -> go.Figure:
    """A radar for three elements or more, else bars: every framework gets a chart."""
    build = (
        radar_figure if len(framework_result.elements) >= RADAR_MIN_ELEMENTS else scores_bar_figure
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
    is read from.
    """
    names = _element_names(framework_result)
    scores = [result.score.score for result in framework_result.elements]
    growth = [result.is_growth_opportunity for result in framework_result.elements]
    bars = [
        go.Bar(
            x=names,
            y=scores,
            name=_("Score"),
            marker={
                "color": [GROWTH_COLOUR if marked else SCORE_COLOUR for marked in growth],
                # A pattern as well as a colour, for readers who cannot tell them apart.
                "pattern": {"shape": ["/" if marked else "" for marked in growth]},
            },
            text=[_format_score(score) if score is not None else "" for score in scores],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
            **checks(),
        )
    ]
    layout: dict[str, Any] = {
        "showlegend": False,
        "xaxis": {"type": "category"},
        "yaxis": _score_axis(),
    }
    growth_result = framework_result.growth_opportunity
    if growth_result is not None:
        layout["annotations"] = [
            {
                "x": str(growth_result.element.name),
                "y": growth_result.score.score,
                "text": _("Biggest growth opportunity"),
                "showarrow": True,
                "arrowhead": 2,
                "arrowcolor": GROWTH_COLOUR,
                # Above the score printed on the bar.
                "yshift": 22,
                "ax": 0,
                "ay": -40,
                "font": {"color": GROWTH_COLOUR},
            }
        ]
    return figure(bars, **layout)


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

    For each framework, the team against the organisation median (a radar, or
    bars for fewer than three elements), then the four-C bars when the
    framework names a growth opportunity; last, the team's progress when it
    has results from two cycles or more.
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
    is_radar = len(framework_result.elements) >= RADAR_MIN_ELEMENTS
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
    details = "; ".join(
        _("%(element)s %(score)s against %(median)s")
        % {
            "element": name,
            "score": _say_score(score),
            "median": _say_score(median),
        }
        for name, score, median in pairs
    )
    return Chart(
        key=f"{'radar' if is_radar else 'scores'}-{framework.key}",
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


def _progress_chart(progress: TeamProgress, *, team_label: str) -> Chart:
    first, last = progress.cycles[0], progress.cycles[-1]
    changes = "; ".join(
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
    most_common = "; ".join(
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
    scores: list[float | None], names: list[str], *, name: str, colour: str
) -> go.Scatterpolar:
    # The first corner repeated closes the outline.
    return go.Scatterpolar(
        r=[*scores, scores[0]] if scores else [],
        theta=[*names, names[0]] if names else [],
        name=name,
        mode="lines+markers",
        fill="toself",
        line={"color": colour, "width": 2},
        marker={"color": colour, "size": 7},
        opacity=0.8,
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
