"""The results page's first screen: headline levels, priorities, growth opportunity, jump links."""

from __future__ import annotations

import itertools
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from playbook.models import Framework
from playbook.versions import rubric_version_for
from reports import views
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_charts import submit

# Levels: alpha 3 (3.0), beta 2 (1.5); touch 4 (4.0), path 2 (2.0), deliver 5 (5.0).
ANSWERS = {
    "alpha-element-level": "level-2",
    "alpha-element-agree": "agree",
    "beta-element-level": "level-1",
    "beta-element-agree": "disagree",
    "touch-level": "level-4",
    "touch-agree": "agree",
    "path-level": "level-2",
    "path-agree": "disagree",
    "deliver-level": "level-5",
    "deliver-agree": "strongly-agree",
}


@pytest.fixture
def five(world: World) -> Framework:
    """A second framework, listed first (order 0, key "five"), naming no growth opportunity."""
    framework = factories.make_rubric("five", ("touch", "path", "deliver"))
    framework.names_growth_opportunity = False
    framework.name_en, framework.name_zh_hans = "Five dimensions", "五个维度"
    framework.save()
    world.cycle.frameworks.set([world.framework, framework])
    return framework


@pytest.fixture
def assessment(world: World, five: Framework) -> Assessment:
    return submit(world.alpha, world.cycle, world.lead, ANSWERS)


def page_of(client: Client, assessment: Assessment, language: str = "en") -> str:
    response = client.get(
        reverse("assessment_results", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """What a reader sees: the text without tags, white space collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def summary_of(page: str) -> str:
    return between(page, 'id="summary-heading"', "</section>")


def test_first_screen_gives_headline_levels_priorities_and_growth(
    lead_client: Client, assessment: Assessment
) -> None:
    page = page_of(lead_client, assessment)
    summary = text(summary_of(page))

    # The summary comes before the PDF box, the scoring notes and the charts.
    assert page.index("summary-heading") < page.index('id="action-plan"')
    assert page.index("summary-heading") < page.index('id="how-scored"')
    assert page.index("summary-heading") < page.index('id="charts-heading"')

    # Headline levels, frameworks in rubric order, each saying how it was found.
    assert (
        "Headline level per framework "
        "Five dimensions Level 4 The middle one of 3 element levels (2, 4, 5). "
        "Test framework Level 2 The lower of the two middle ones of 2 element levels (2, 3)."
    ) in summary
    assert (
        "A framework's headline level is the median of its elements' levels: put the levels "
        "in order and take the middle one. With an even number of elements it is the lower "
        "of the two middle levels"
    ) in summary

    # The three lowest elements across frameworks, each with its first focus area.
    priorities = text(between(page, '<ol class="priority-list">', "</ol>"))
    assert priorities == (
        "Element beta-element (Test framework) "
        "Level 2 now; to reach level 3, start with: beta-element focus 2.1 "
        "Element path (Five dimensions) "
        "Level 2 now; to reach level 3, start with: path focus 2.1 "
        "Element alpha-element (Test framework) "
        "Level 3 now; to reach level 4, start with: alpha-element focus 3.1"
    )
    assert re.findall(r'href="#([^"]+)"', between(page, '<ol class="priority-list">', "</ol>")) == [
        "element-beta-element",
        "element-path",
        "element-alpha-element",
    ]

    # The framework that names a growth opportunity names it, with its first focus area.
    assert (
        "Growth opportunity: Test framework Biggest growth opportunity "
        "Element beta-element scores lowest (1.5, level 2). "
        "First focus area: beta-element focus 2.1"
    ) in summary


def test_jump_links_lead_to_every_framework_and_element(
    lead_client: Client, assessment: Assessment
) -> None:
    page = page_of(lead_client, assessment)
    nav = between(page, '<nav class="mb-4 result-contents"', "</nav>")
    targets = re.findall(r'href="#([^"]+)"', nav)

    for key in ("five", "test-framework"):
        assert f"framework-{key}" in targets
    for key in ("touch", "path", "deliver", "alpha-element", "beta-element"):
        assert f"element-{key}" in targets
    assert {"charts-heading", "how-scored"} <= set(targets)
    ids = re.findall(r'\sid="([^"]+)"', page)
    for target in targets:
        assert ids.count(target) == 1, target
    # The summary's own links go to the same sections.
    for target in re.findall(r'href="#([^"]+)"', summary_of(page)):
        assert ids.count(target) == 1, target


def test_guidance_is_collapsible_and_open_for_the_priorities(
    lead_client: Client, assessment: Assessment
) -> None:
    page = page_of(lead_client, assessment)

    def guidance(key: str) -> str:
        return between(page, f'id="element-{key}"', "</article>")

    for key in ("beta-element", "path", "alpha-element"):
        assert '<details class="guidance" open>' in guidance(key), key
        assert "Next-level priority" in guidance(key)
    assert '<details class="guidance">' in guidance("touch")
    assert "Next-level priority" not in guidance("touch")
    # Level 5: no next level, its steps are "where to go from here", closed.
    assert '<details class="guidance">' in guidance("deliver")
    assert "Where to go from here" in guidance("deliver")
    # The guidance itself is all there, only folded.
    assert "touch focus 4.1" in guidance("touch")
    assert "touch step 4.1" in guidance("touch")


def test_how_is_this_scored_is_a_visible_disclosure_control(
    lead_client: Client, assessment: Assessment
) -> None:
    page = page_of(lead_client, assessment)
    scoring = between(page, '<details class="disclosure mb-4" id="how-scored">', "</details>")
    assert '<summary class="btn btn-outline-secondary">How is this scored?</summary>' in scoring
    assert "lower of the two middle levels" in scoring


def test_headings_go_down_one_level_at_a_time(lead_client: Client, assessment: Assessment) -> None:
    page = page_of(lead_client, assessment)
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
    # Summary, contents, PDF box, charts, then each framework: second-level headings.
    h2 = text(" ".join(re.findall(r"<h2[^>]*>(.*?)</h2>", page)))
    assert h2.startswith("Results summary On this page PDF action plan At a glance")


def test_first_screen_in_chinese(lead_client: Client, assessment: Assessment) -> None:
    page = page_of(lead_client, assessment, language="zh-hans")
    summary = text(summary_of(page))

    assert "结果摘要" in page
    assert "各框架的总体等级" in summary
    assert "第 4 级 3 个要素等级（2、4、5）中居中的一个。" in summary
    assert "第 2 级 2 个要素等级（2、3）中间两个中较低的一个。" in summary
    assert "框架的总体等级是其各要素等级的中位数" in summary
    priorities = text(between(page, '<ol class="priority-list">', "</ol>"))
    assert priorities.startswith(
        "要素 beta-element （测试框架） "
        "目前处于第 2 级；要达到第 3 级，请从这一重点开始：beta-element 重点 2.1"
    )
    assert "五个维度 第 4 级" in summary
    assert "提升机会：测试框架" in summary
    assert (
        "要素 beta-element 得分最低（1.5，第 2 级）。首要重点领域：beta-element 重点 2.1"
    ) in summary
    assert "本页内容" in page
    assert '<summary class="btn btn-outline-secondary">如何计分？</summary>' in page


def test_summary_is_kept_with_the_page_and_renewed_with_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary is part of the cached content: kept while nothing changes, renewed after."""
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    own = {key: value for key, value in ANSWERS.items() if key.startswith(("alpha", "beta"))}
    submit(world.alpha, world.cycle, world.lead, own)
    computed: list[int] = []
    original = views._team_result_or_404

    def counting(team: Any, cycle: Any) -> Any:
        computed.append(team.pk)
        return original(team, cycle)

    monkeypatch.setattr(views, "_team_result_or_404", counting)
    client = logged_in(world.lead)
    url = reverse("team_result", args=[world.alpha.pk, world.cycle.pk])

    first = text(summary_of(client.get(url).content.decode()))
    assert "Element beta-element scores lowest (1.5, level 2)" in first
    assert text(summary_of(client.get(url).content.decode())) == first
    assert computed == [world.alpha.pk]

    # The second lead rates beta-element higher: the team's medians move, and
    # alpha-element (3.0) is now lower than beta-element (3.25).
    submit(
        world.alpha,
        world.cycle,
        second,
        {**own, "beta-element-level": "level-5", "beta-element-agree": "strongly-agree"},
    ).save()
    renewed = text(summary_of(client.get(url).content.decode()))
    assert "Element alpha-element scores lowest (3.0, level 3)" in renewed
    assert computed == [world.alpha.pk, world.alpha.pk]
