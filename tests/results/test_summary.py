"""The summary a result opens with (``results.summary``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Assessment
from playbook.models import Element, Framework
from results import scoring
from results.selectors import AssessmentResult, ElementResult, FrameworkResult, assessment_result
from results.summary import headline_level, result_summary
from tests.conftest import World
from tests.results.test_results import submitted


def element_result(framework: Framework, key: str, score: float | None) -> ElementResult:
    """An element's result without rubric rows (no level texts, so no focus areas)."""
    level = scoring.level_for_score(score) if score is not None else None
    return ElementResult(
        element=Element(key=key, framework=framework, name_en=key.title()),
        score=scoring.ElementScore(
            element_key=key,
            score=score,
            level=level,
            answered=2,
            question_count=2,
            enough=score is not None,
        ),
        level=None,
    )


def result_of(*frameworks: tuple[Framework, list[ElementResult]]) -> AssessmentResult:
    return AssessmentResult(
        assessment=Assessment(),
        frameworks=[FrameworkResult(framework=fw, elements=items) for fw, items in frameworks],
        reflections=[],
        respondents=1,
        organisation_medians={},
        organisation_teams=1,
    )


STRATEGY = Framework(key="strategy", name_en="Strategy")
FOUR_CS = Framework(key="four-cs", name_en="Four Cs", names_growth_opportunity=True)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], None),
        ([4], 4),
        ([1, 3, 5], 3),
        ([5, 1, 3], 3),
        ([2, 2, 3, 4], 2),  # even: the lower middle
        ([1, 4], 1),
        ([3, 3, 4, 4, 5, 5], 4),
    ],
)
def test_headline_level_is_the_lower_median(levels: list[int], expected: int | None) -> None:
    assert headline_level(levels) == expected


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=12))
def test_half_the_levels_reach_the_headline_level(levels: list[int]) -> None:
    level = headline_level(levels)
    assert level in levels
    assert sum(item >= level for item in levels) * 2 >= len(levels)
    assert sum(item <= level for item in levels) * 2 >= len(levels)


def test_headlines_per_framework_leave_out_elements_without_a_level() -> None:
    result = result_of(
        (STRATEGY, [element_result(STRATEGY, "strategy", 3.4)]),
        (
            FOUR_CS,
            [
                element_result(FOUR_CS, "conscience", 1.2),
                element_result(FOUR_CS, "communication", 4.0),
                element_result(FOUR_CS, "consistency", None),
                element_result(FOUR_CS, "credibility", 2.5),
            ],
        ),
    )
    strategy, four_cs = result_summary(result).headlines
    assert (strategy.framework, strategy.level, strategy.levels) == (STRATEGY, 3, (3,))
    assert strategy.anchor == "framework-strategy"
    assert strategy.explanation == "The level of its one element with enough answers."
    assert (four_cs.level, four_cs.levels, four_cs.without_level) == (3, (1, 3, 4), 1)
    assert four_cs.explanation == (
        "The middle one of 3 element levels (1, 3, 4). Left out for lack of answers: 1."
    )


def test_even_count_explanation_names_the_lower_middle_in_both_languages() -> None:
    result = result_of(
        (FOUR_CS, [element_result(FOUR_CS, key, score) for key, score in [("a", 2), ("b", 4)]])
    )
    (headline,) = result_summary(result).headlines
    assert headline.level == 2
    assert headline.explanation == ("The lower of the two middle ones of 2 element levels (2, 4).")
    with translation.override("zh-hans"):
        assert "2、4" in headline.explanation
        assert "较低" in headline.explanation


def test_no_level_at_all() -> None:
    result = result_of((STRATEGY, [element_result(STRATEGY, "strategy", None)]))
    (headline,) = result_summary(result).headlines
    assert headline.level is None
    assert headline.explanation == "No element has enough answers yet."
    assert result_summary(result).priorities == ()


def test_priorities_are_the_three_lowest_ties_in_rubric_order() -> None:
    result = result_of(
        (STRATEGY, [element_result(STRATEGY, "strategy", 2.0)]),
        (
            FOUR_CS,
            [
                element_result(FOUR_CS, "conscience", 3.0),
                element_result(FOUR_CS, "communication", 2.0),  # ties with strategy: after it
                element_result(FOUR_CS, "consistency", 1.5),
                element_result(FOUR_CS, "credibility", None),  # no score: never a priority
                element_result(FOUR_CS, "top", 5.0),
            ],
        ),
    )
    priorities = result_summary(result).priorities
    assert [p.element.element.key for p in priorities] == [
        "consistency",
        "strategy",
        "communication",
    ]
    assert [p.rank for p in priorities] == [1, 2, 3]
    assert [p.framework for p in priorities] == [FOUR_CS, STRATEGY, FOUR_CS]
    assert priorities[0].next_level == 3
    assert priorities[0].anchor == "element-consistency"
    assert result_summary(result).priority_element_keys == {
        "consistency",
        "strategy",
        "communication",
    }


def test_elements_at_the_highest_level_are_no_priority() -> None:
    result = result_of(
        (FOUR_CS, [element_result(FOUR_CS, "a", 5.0), element_result(FOUR_CS, "b", 4.6)])
    )
    assert result_summary(result).priorities == ()


def test_growth_opportunity_only_for_frameworks_that_name_one() -> None:
    result = result_of(
        (STRATEGY, [element_result(STRATEGY, "strategy", 1.0)]),
        (
            FOUR_CS,
            [element_result(FOUR_CS, "conscience", 3.0), element_result(FOUR_CS, "comm", 2.0)],
        ),
    )
    for framework_result in result.frameworks:
        if framework_result.framework.names_growth_opportunity:
            framework_result.elements[1].is_growth_opportunity = True
    summary = result_summary(result)
    assert summary.growth_opportunity is not None
    assert summary.growth_opportunity.framework == FOUR_CS
    assert summary.growth_opportunity.element.element.key == "comm"
    assert summary.growth_opportunity.anchor == "element-comm"
    assert len(summary.growth_opportunities) == 1


def test_summary_of_a_real_result_names_first_focus_areas(
    lead_client: Client, world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    assessment = submitted(
        world,
        world.lead,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "agree",  # 3.0 -> level 3
            "beta-element-level": "level-1",
            "beta-element-agree": "disagree",  # 1.5 -> level 2
        },
    )
    result = assessment_result(assessment)
    with django_assert_num_queries(0):
        summary = result_summary(result)
    (headline,) = summary.headlines
    assert headline.level == 2  # levels 2 and 3: the lower middle
    beta, alpha = summary.priorities
    assert beta.element.element.key == "beta-element"
    assert beta.focus_area is not None and beta.focus_area.title == "beta-element focus 2.1"
    assert alpha.focus_area is not None and alpha.focus_area.title == "alpha-element focus 3.1"
    assert summary.growth_opportunity is not None
    assert summary.growth_opportunity.element.element.key == "beta-element"
    assert summary.growth_opportunity.focus_area == beta.focus_area
