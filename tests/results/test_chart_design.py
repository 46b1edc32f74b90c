"""How the charts read: legend order, the right chart for the data, legends, ranges, contrast."""

from __future__ import annotations

from typing import Any

import pytest

from assessments.models import Assessment
from dashboard.charts import level_heatmap_figure
from playbook.models import Framework
from results import charts
from results.selectors import assessment_result, cycle_overview
from tests import factories
from tests.conftest import World
from tests.results.test_charts import (
    ALPHA_ANSWERS,
    BETA_ANSWERS,
    FOUR_CS,
    chart_by_key,
    four_cs,  # noqa: F401 (a fixture)
    submit,
    two_teams,  # noqa: F401 (a fixture)
)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two sRGB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def legend_names(figure: Any) -> list[str]:
    """The legend's entries, top to bottom (left to right), as plotly lists them."""
    names = [trace.name for trace in figure.data if trace.showlegend is not False]
    if figure.layout.legend.traceorder and "reversed" in figure.layout.legend.traceorder:
        names.reverse()
    return names


@pytest.fixture
def team_of_two(world: World, four_cs: Framework) -> Assessment:  # noqa: F811
    """Two leads of alpha who disagree: alpha's result has a team median and range."""
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    mine = submit(world.alpha, world.cycle, world.lead, ALPHA_ANSWERS)
    submit(world.alpha, world.cycle, second, BETA_ANSWERS)
    return mine


def test_legends_list_the_traces_in_the_order_they_are_drawn(
    team_of_two: Assessment,
) -> None:
    chart_list = charts.assessment_charts(assessment_result(team_of_two))
    for chart in chart_list:
        figure = chart.figure
        if figure.layout.showlegend is False:
            continue
        assert legend_names(figure) == [trace.name for trace in figure.data], chart.key

    radar = chart_by_key(chart_list, "radar-culture").figure
    team, organisation = radar.data
    assert (team.name, organisation.name) == ("Alpha support", "Organisation median")
    # The team is the filled shape under the organisation's dashed outline.
    assert team.fill == "toself"
    assert organisation.fill == "none"
    assert organisation.line.dash == "dash"

    bars = chart_by_key(chart_list, "scores-test-framework").figure
    assert [trace.name for trace in bars.data] == ["Alpha support", "Organisation median"]
    assert bars.layout.legend.traceorder == "normal"


def test_radars_are_tall_enough_for_their_scale(two_teams: Assessment) -> None:  # noqa: F811
    radar = chart_by_key(charts.assessment_charts(assessment_result(two_teams)), "radar-culture")
    layout = radar.figure.layout
    assert layout.height == charts.RADAR_HEIGHT >= 500
    # The plotting area left for the circle: some 20 px between the scale's five labels.
    radius = (layout.height - layout.margin.t - layout.margin.b) / 2
    assert radius / len(charts.LEVEL_TICKS) >= 20
    assert layout.polar.radialaxis.tickvals == (1, 2, 3, 4, 5)


def test_one_element_framework_gets_a_level_bullet(world: World) -> None:
    strategy = factories.make_rubric("strategy", ("cx-strategy",))
    world.cycle.frameworks.set([strategy])
    mine = submit(
        world.alpha,
        world.cycle,
        world.lead,
        {"cx-strategy-level": "level-2", "cx-strategy-agree": "disagree"},
    )
    submit(
        world.beta,
        world.cycle,
        world.lead2,
        {"cx-strategy-level": "level-4", "cx-strategy-agree": "agree"},
    )

    (chart, _growth) = charts.assessment_charts(assessment_result(mine))

    assert chart.key == "level-strategy"
    assert {trace.type for trace in chart.figure.data} == {"indicator"}
    (bullet,) = chart.figure.data
    assert (bullet.mode, bullet.gauge.shape, bullet.value) == ("number+gauge", "bullet", 2.0)
    # The organisation's median (2.0 and 4.0) is the threshold line.
    assert bullet.gauge.threshold.value == 3.0
    assert chart.table.rows == [["Element cx-strategy", "2.0", "3.0"]]
    assert [line.text for line in chart.figure.layout.annotations] == [
        "Alpha support: 2.0 (bar)",
        "Organisation median: 3.0 (line)",
    ]


def test_respondents_ranges_are_drawn_as_ranges(team_of_two: Assessment) -> None:
    result = assessment_result(team_of_two)
    chart_list = charts.assessment_charts(result)
    chart = chart_by_key(chart_list, "team-range")

    ranges, medians = chart.figure.data
    assert (ranges.type, ranges.orientation, medians.type) == ("bar", "h", "scatter")
    # Credibility has one lead's score only (a range of one point); nobody
    # answered the test framework, which has no range at all.
    assert list(ranges.y) == [f"Element {key}" for key in FOUR_CS]
    # From the lowest (base) to the highest (base + length).
    assert list(ranges.base) == [3.0, 1.5, 2.0, 5.0]
    assert list(ranges.x) == [1.5, 1.5, 2.0, 0.0]
    assert list(medians.x) == [3.75, 2.25, 3.0, 5.0]
    assert chart.table.headers == ["Element", "Lowest", "Team median", "Highest"]
    assert chart.table.rows[0] == ["Element conscience", "3.0", "3.8", "4.5"]
    # No chart draws a range as error bars.
    for each in chart_list:
        for trace in each.figure.data:
            assert "error_y" not in trace.to_plotly_json(), each.key
            assert "error_x" not in trace.to_plotly_json(), each.key


def test_a_single_respondent_gets_no_range_chart(two_teams: Assessment) -> None:  # noqa: F811
    keys = [chart.key for chart in charts.assessment_charts(assessment_result(two_teams))]
    assert "team-range" not in keys


def test_heatmap_has_a_legend_of_its_levels(world: World, two_teams: Assessment) -> None:  # noqa: F811
    overview = cycle_overview(world.cycle)
    figure = level_heatmap_figure(overview.elements, overview.teams)

    (heatmap,) = figure.data
    assert heatmap.showscale is True
    assert heatmap.colorbar.title.text == "Median level"
    assert list(heatmap.colorbar.tickvals) == [1, 2, 3, 4, 5]
    assert heatmap.colorbar.orientation == "h"
    # Each cell still says its level in words, for those who cannot tell the colours apart.
    assert heatmap.texttemplate == "%{text}"


def test_growth_opportunity_is_not_told_by_colour_alone(two_teams: Assessment) -> None:  # noqa: F811
    chart = chart_by_key(charts.assessment_charts(assessment_result(two_teams)), "growth-culture")
    _scores, growth = chart.figure.data

    assert growth.marker.pattern.shape == "/"
    assert growth.name == "Biggest growth opportunity"  # the legend's text label
    assert chart.table.rows[1][2] == "Biggest growth opportunity"
    # Bars against the white page: 3:1 for shapes; 4.5:1 so the orange reads as text too.
    assert contrast(charts.GROWTH_COLOUR) >= 4.5
    assert contrast(charts.SCORE_COLOUR) >= 4.5
    assert contrast(charts.TEAM_COLOUR) >= 3
    assert contrast(charts.ORGANISATION_COLOUR) >= 3
