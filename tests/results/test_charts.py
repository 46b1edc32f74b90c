"""Charts: the figures' data (not their pixels), and how the results page carries them."""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Answer, Assessment
from organisations.models import Cycle, Team
from playbook.models import Choice, Framework, Question
from results import charts
from results.selectors import assessment_result, cycle_overview
from tests import factories
from tests.conftest import World

FOUR_CS = ("conscience", "communication", "consistency", "credibility")

# Element score = mean of the level question and the agreement question.
ALPHA_ANSWERS = {
    "conscience-level": "level-2",
    "conscience-agree": "agree",  # 3.0 -> level 3
    "communication-level": "level-1",
    "communication-agree": "disagree",  # 1.5 -> level 2, the lowest
    "consistency-level": "level-4",
    "consistency-agree": "agree",  # 4.0 -> level 4
    "credibility-level": "level-5",
    "credibility-agree": "strongly-agree",  # 5.0 -> level 5
}
BETA_ANSWERS = {
    "conscience-level": "level-4",
    "conscience-agree": "strongly-agree",  # 4.5 -> level 5
    "communication-level": "level-3",
    "communication-agree": "neutral",  # 3.0 -> level 3
    "consistency-level": "level-2",
    "consistency-agree": "disagree",  # 2.0 -> level 2
    # credibility unanswered: not enough answers
}


@pytest.fixture
def four_cs(world: World) -> Framework:
    """A second framework with four elements, asked in the open cycle before the test one."""
    framework = factories.make_rubric("culture", FOUR_CS)
    framework.name_en, framework.name_zh_hans = "The four Cs", "四个C"
    framework.save()
    world.cycle.frameworks.add(framework)
    return framework


def submit(
    team: Team, cycle: Cycle, respondent: User, choices: dict[str, str], *, draft: bool = False
) -> Assessment:
    assessment = Assessment.objects.create(
        team=team,
        cycle=cycle,
        respondent=respondent,
        status=Assessment.Status.DRAFT if draft else Assessment.Status.SUBMITTED,
        submitted_at=None if draft else timezone.now(),
    )
    for question_key, choice_key in choices.items():
        question = Question.objects.get(key=question_key)
        Answer.objects.create(
            assessment=assessment,
            question=question,
            choice=Choice.objects.get(question=question, key=choice_key),
        )
    return assessment


def earlier_cycle(world: World, frameworks: list[Framework], name: str, days_ago: int) -> Cycle:
    today = datetime.date.today()
    return factories.make_cycle(
        world.acme,
        frameworks,
        name=name,
        slug=name.lower().replace(" ", "-"),
        opens_on=today - datetime.timedelta(days=days_ago),
        closes_on=today - datetime.timedelta(days=days_ago - 30),
        status=Cycle.Status.CLOSED,
    )


def chart_by_key(chart_list: list[charts.Chart], key: str) -> charts.Chart:
    by_key = {chart.key: chart for chart in chart_list}
    assert key in by_key, f"{key} not in {sorted(by_key)}"
    return by_key[key]


def trace_named(figure: Any, name: str) -> Any:
    (trace,) = [trace for trace in figure.data if trace.name == name]
    return trace


def plain(figure: Any) -> Any:
    """The figure as the page's JSON carries it."""
    return json.loads(json.dumps(figure.to_plotly_json(), cls=DjangoJSONEncoder))


def page_figures(page: str) -> dict[str, Any]:
    """Every json_script block on the page: id -> parsed JSON."""
    return {
        match["id"]: json.loads(match["data"])
        for match in re.finditer(
            r'<script id="(?P<id>[^"]+)" type="application/json">(?P<data>.*?)</script>',
            page,
            re.DOTALL,
        )
    }


def results_page(client: Client, assessment: Assessment, language: str = "en") -> str:
    response = client.get(
        reverse("assessment_results", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_teams(world: World, four_cs: Framework) -> Assessment:
    """alpha's and beta's results for the four Cs; returns alpha's assessment."""
    mine = submit(world.alpha, world.cycle, world.lead, ALPHA_ANSWERS)
    submit(world.beta, world.cycle, world.lead2, BETA_ANSWERS)
    return mine


def test_radar_traces_carry_team_scores_and_organisation_medians_in_element_order(
    two_teams: Assessment,
) -> None:
    result = assessment_result(two_teams)
    chart = chart_by_key(charts.assessment_charts(result), "radar-culture")

    names = [f"Element {key}" for key in FOUR_CS]
    team = trace_named(chart.figure, "Alpha support")
    organisation = trace_named(chart.figure, "Organisation median")
    assert team.type == organisation.type == "scatterpolar"
    # The first corner is repeated to close the outline.
    assert list(team.theta) == [*names, names[0]]
    assert list(team.r) == [3.0, 1.5, 4.0, 5.0, 3.0]
    assert list(organisation.theta) == [*names, names[0]]
    # Medians of alpha and beta; beta has no credibility score, so alpha's 5.0 alone.
    assert list(organisation.r) == [3.75, 2.25, 3.0, 5.0, 3.75]
    assert chart.figure.layout.polar.radialaxis.range == (0, 5)
    assert chart.figure.layout.polar.radialaxis.tickvals == (1, 2, 3, 4, 5)
    assert chart.table.headers == ["Element", "Alpha support", "Organisation median"]
    assert chart.table.rows[0] == ["Element conscience", "3.0", "3.8"]
    assert "Element communication 1.5 against 2.3" in chart.text_alternative


def test_radar_uses_the_team_median_with_several_respondents(
    world: World, four_cs: Framework
) -> None:
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    mine = submit(world.alpha, world.cycle, world.lead, ALPHA_ANSWERS)
    submit(world.alpha, world.cycle, second, BETA_ANSWERS)

    chart = chart_by_key(charts.assessment_charts(assessment_result(mine)), "radar-culture")

    assert list(trace_named(chart.figure, "Alpha support").r) == [3.75, 2.25, 3.0, 5.0, 3.75]


def test_framework_with_fewer_than_three_elements_gets_bars(two_teams: Assessment) -> None:
    result = assessment_result(two_teams)
    chart_list = charts.assessment_charts(result)

    assert [chart.key for chart in chart_list] == [
        "radar-culture",
        "growth-culture",
        "scores-test-framework",
        "growth-test-framework",
    ]
    bars = chart_by_key(chart_list, "scores-test-framework")
    assert {trace.type for trace in bars.figure.data} == {"bar"}
    assert list(trace_named(bars.figure, "Alpha support").x) == [
        "Element alpha-element",
        "Element beta-element",
    ]


def test_single_element_framework_still_gets_a_chart(world: World) -> None:
    strategy = factories.make_rubric("strategy", ("cx-strategy",))
    strategy.names_growth_opportunity = False
    strategy.save()
    world.cycle.frameworks.set([strategy])
    mine = submit(
        world.alpha,
        world.cycle,
        world.lead,
        {"cx-strategy-level": "level-3", "cx-strategy-agree": "agree"},
    )

    chart_list = charts.assessment_charts(assessment_result(mine))

    # A level bullet, not a one-bar chart: the score against the five level bands.
    assert [chart.key for chart in chart_list] == ["level-strategy"]
    (bullet,) = chart_list[0].figure.data
    assert bullet.type == "indicator"
    assert bullet.value == 3.5
    assert bullet.gauge.shape == "bullet"
    assert bullet.gauge.axis.range == (0, 5)
    assert [tuple(step.range) for step in bullet.gauge.steps] == [
        (0, 1.5),
        (1.5, 2.5),
        (2.5, 3.5),
        (3.5, 4.5),
        (4.5, 5),
    ]
    # The only team is the organisation: its median is the threshold line.
    assert bullet.gauge.threshold.value == 3.5
    assert [line.text for line in chart_list[0].figure.layout.annotations] == [
        "Alpha support: 3.5 (bar)",
        "Organisation median: 3.5 (line)",
    ]
    assert chart_list[0].table.rows == [["Element cx-strategy", "3.5", "3.5"]]


def test_growth_opportunity_bar_is_the_lowest_and_is_marked(two_teams: Assessment) -> None:
    chart = chart_by_key(charts.assessment_charts(assessment_result(two_teams)), "growth-culture")

    scores, growth = chart.figure.data
    # Every element has one bar, in its own slot: the growth opportunity's is a
    # trace of its own, drawn last and listed last in the legend.
    assert list(scores.x) == list(growth.x)
    assert list(scores.y) == [3.0, None, 4.0, 5.0]
    assert list(growth.y) == [None, 1.5, None, None]
    assert growth.x[1] == "Element communication"
    assert chart.figure.layout.barmode == "overlay"
    # Not colour alone: a hatch pattern and a label in the legend.
    assert growth.marker.color == charts.GROWTH_COLOUR
    assert growth.marker.pattern.shape == "/"
    assert not scores.marker.pattern.shape
    assert growth.name == "Biggest growth opportunity"
    assert chart.figure.layout.showlegend is not False
    assert chart.figure.layout.legend.traceorder == "normal"
    assert list(growth.text) == ["", "1.5", "", ""]
    assert chart.table.rows[1] == ["Element communication", "1.5", "Biggest growth opportunity"]
    assert "Element communication scores lowest, 1.5" in chart.text_alternative


def test_level_distribution_counts_teams_per_level(world: World, four_cs: Framework) -> None:
    delta = Team.objects.create(organisation=world.acme, name="Delta finance", slug="delta")
    delta_lead = factories.make_user("delta_lead")
    factories.make_lead(delta_lead, delta)
    submit(world.alpha, world.cycle, world.lead, ALPHA_ANSWERS)
    submit(world.beta, world.cycle, world.lead2, BETA_ANSWERS)
    submit(delta, world.cycle, delta_lead, {"conscience-level": "level-1"}, draft=True)

    overview = cycle_overview(world.cycle)
    counts = {row.element.key: (row.level_counts, row.not_enough) for row in overview.distribution}

    # Delta submitted nothing: it is not counted.
    assert counts["conscience"] == ((0, 0, 1, 0, 1), 0)
    assert counts["communication"] == ((0, 1, 1, 0, 0), 0)
    assert counts["consistency"] == ((0, 1, 0, 1, 0), 0)
    assert counts["credibility"] == ((0, 0, 0, 0, 1), 1)
    assert counts["alpha-element"] == ((0, 0, 0, 0, 0), 2)

    (chart,) = charts.cycle_charts(overview)
    figure = chart.figure
    assert figure.layout.barmode == "stack"
    names = [f"Element {key}" for key in FOUR_CS]
    assert list(trace_named(figure, "Level 5").x)[:4] == names
    assert list(trace_named(figure, "Level 5").y)[:4] == [1, 0, 0, 1]
    assert list(trace_named(figure, "Level 2").y)[:4] == [0, 1, 1, 0]
    assert list(trace_named(figure, "Not enough answers").y)[:4] == [0, 0, 0, 1]
    assert chart.table.headers == [
        "Element",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
        "Level 5",
        "Not enough answers",
    ]
    assert chart.table.rows[0] == ["Element conscience", "0", "0", "1", "0", "1", "0"]
    assert "2 teams with submitted results" in chart.text_alternative


def test_progress_chart_needs_two_cycles(world: World) -> None:
    mine = submit(
        world.alpha,
        world.cycle,
        world.lead,
        {"alpha-element-level": "level-4", "alpha-element-agree": "agree"},
    )
    assert "progress" not in [
        chart.key for chart in charts.assessment_charts(assessment_result(mine))
    ]

    earlier = earlier_cycle(world, [world.framework], "2025 H2", days_ago=200)
    submit(
        world.alpha,
        earlier,
        world.lead,
        {"alpha-element-level": "level-2", "alpha-element-agree": "disagree"},
    )
    chart = chart_by_key(charts.assessment_charts(assessment_result(mine)), "progress")

    line = trace_named(chart.figure, "Element alpha-element")
    assert line.type == "scatter"
    assert list(line.x) == ["2025 H2", "2026 H2"]
    assert list(line.y) == [2.0, 4.0]
    assert list(trace_named(chart.figure, "Element beta-element").y) == [None, None]
    assert chart.figure.layout.xaxis.type == "category"
    assert chart.table.headers == ["Element", "2025 H2", "2026 H2"]
    assert chart.table.rows[0] == ["Element alpha-element", "2.0", "4.0"]
    assert "Element alpha-element from 2.0 to 4.0" in chart.text_alternative


def test_progress_counts_only_the_team_and_cycles_up_to_the_one_shown(world: World) -> None:
    earlier = earlier_cycle(world, [world.framework], "2025 H2", days_ago=200)
    older = submit(world.alpha, earlier, world.lead, {"alpha-element-level": "level-2"})
    # Another team's earlier result is not alpha's progress.
    submit(world.beta, earlier, world.lead2, {"alpha-element-level": "level-5"})
    submit(world.alpha, world.cycle, world.lead, {"alpha-element-level": "level-4"})

    progress = assessment_result(older).progress

    assert [cycle.cycle_name for cycle in progress.cycles] == ["2025 H2"]
    assert progress.cycles[0].medians["alpha-element"] == 2.0
    assert not progress.shows_progress


def test_results_page_carries_the_figures_the_chart_functions_build(
    lead_client: Client, two_teams: Assessment
) -> None:
    page = results_page(lead_client, two_teams)
    figures = page_figures(page)

    with translation.override("en"):
        result = assessment_result(two_teams)
        radar = charts.radar_figure(
            result.frameworks[0],
            result.organisation_medians,
            team_label="Alpha support",
            organisation_label="Organisation median",
        )
        growth = charts.four_cs_figure(result.frameworks[0])
    assert figures["radar-culture-figure"] == plain(radar)
    assert figures["growth-culture-figure"] == plain(growth)
    assert figures["radar-culture-figure"]["layout"]["font"]["family"] == charts.FONT_FAMILY
    assert figures["radar-culture-figure"]["layout"]["height"] == charts.RADAR_HEIGHT


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_figures_are_the_same_without_plotlys_checks(
    lead_client: Client, two_teams: Assessment, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = page_figures(results_page(lead_client, two_teams, language))
    cache.clear()  # the page's content is kept: build it again
    monkeypatch.setattr(charts, "VALIDATE", False)

    unchecked = page_figures(results_page(lead_client, two_teams, language))

    assert unchecked == checked
    assert {"radar-culture-figure", "growth-culture-figure"} <= checked.keys()


def test_charts_speak_chinese(lead_client: Client, two_teams: Assessment) -> None:
    page = results_page(lead_client, two_teams, language="zh-hans")
    figures = page_figures(page)

    radar = figures["radar-culture-figure"]
    assert radar["data"][0]["theta"][:4] == [f"要素 {key}" for key in FOUR_CS]
    bars = figures["scores-test-framework-figure"]
    assert bars["layout"]["yaxis"]["title"]["text"] == "得分"
    assert '<th scope="row">要素 conscience</th>' in page
    assert '<th scope="col">要素</th>' in page  # the "Element" header

    with translation.override("zh-hans"):
        chart_list = charts.assessment_charts(assessment_result(two_teams))
    assert list(chart_list[1].figure.data[0].x) == [f"要素 {key}" for key in FOUR_CS]


class ChartSections(HTMLParser):
    """Per chart section on a page: its plot container's attributes and its table's parts."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__()
        self.keys = set(keys)
        self.sections: dict[str, dict[str, Any]] = {}
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section":
            key = attributes.get("id")
            if self.current is not None:
                self.depth += 1
            elif key is not None and key in self.keys:
                self.current = key
                self.sections[key] = {"plots": [], "tags": [], "th_scopes": []}
            return
        if self.current is None:
            return
        section = self.sections[self.current]
        section["tags"].append(tag)
        if "data-chart-figure" in attributes:
            section["plots"].append(attributes)
        if tag == "th":
            section["th_scopes"].append(attributes.get("scope"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.current is not None:
            if self.depth:
                self.depth -= 1
            else:
                self.current = None


def test_every_chart_on_the_page_has_a_table_and_an_aria_label(
    lead_client: Client, world: World, two_teams: Assessment
) -> None:
    earlier = earlier_cycle(world, [world.framework], "2025 H2", days_ago=200)
    submit(world.alpha, earlier, world.lead, {"alpha-element-level": "level-2"})
    page = results_page(lead_client, two_teams)
    with translation.override("en"):
        chart_list = charts.assessment_charts(assessment_result(two_teams))
    keys = [chart.key for chart in chart_list]
    assert "progress" in keys

    parser = ChartSections(keys)
    parser.feed(page)

    assert sorted(parser.sections) == sorted(keys)
    assert page.count("data-chart-figure=") == len(keys)
    for chart in chart_list:
        section = parser.sections[chart.key]
        (plot,) = section["plots"]
        assert plot["role"] == "img"
        assert plot["aria-label"] == chart.text_alternative
        assert plot["data-chart-figure"] == f"{chart.key}-figure"
        assert {"table", "caption", "thead", "tbody"} <= set(section["tags"])
        assert section["th_scopes"] and set(section["th_scopes"]) <= {"col", "row"}
        caption = f'<caption id="{chart.key}-caption">{chart.table.caption}</caption>'
        assert caption in page
        # A wide table scrolls in its own region, which the keyboard can reach,
        # named by its chart as well: two charts may share a caption.
        region = (
            '<div class="table-responsive" role="region" tabindex="0" '
            f'aria-labelledby="{chart.key}-heading {chart.key}-caption">'
        )
        assert region in page


def test_results_page_loads_plotly_from_this_site_only(
    lead_client: Client, two_teams: Assessment
) -> None:
    page = results_page(lead_client, two_teams)
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)

    # Loaded by a script tag or by charts.js from a link: from this site either way.
    plotly = re.findall(r'"(/static/vendor/plotly/[^"]+\.js)"', page)
    assert plotly
    assert "/static/js/charts.js" in sources
    assert not [source for source in sources if re.match(r"(https?:)?//", source)]
    assert not re.search(r"https?://[^\"' ]*\.js", page)
    assert finders.find(plotly[0].removeprefix("/static/"))
    assert finders.find("js/charts.js")


def test_figures_are_tidy_and_readable(two_teams: Assessment) -> None:
    for chart in charts.assessment_charts(assessment_result(two_teams)):
        layout = chart.figure.layout
        assert layout.height == (charts.RADAR_HEIGHT if "radar" in chart.key else charts.HEIGHT)
        assert layout.font.family == charts.FONT_FAMILY
        assert layout.paper_bgcolor == "white"
        assert layout.plot_bgcolor == "white"
        assert re.fullmatch(r"[a-z0-9-]+", chart.key)
        assert chart.title and chart.text_alternative
