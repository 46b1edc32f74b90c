"""The scoring rules, at their boundaries and as properties; no database."""

from __future__ import annotations

import statistics
from decimal import Decimal
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results import scoring
from results.scoring import (
    ElementScore,
    ScoredAnswer,
    combine_team,
    growth_opportunity,
    level_for_score,
    median_across,
    score_assessment,
    score_element,
)


def answer(
    score: int | None,
    weight: Decimal | float = Decimal(1),
    *,
    question_key: str = "",
    element: str = "c1",
) -> ScoredAnswer:
    return ScoredAnswer(element_key=element, question_key=question_key, weight=weight, score=score)


def answers(*scores: int | None, element: str = "c1") -> list[ScoredAnswer]:
    """Weight-1 answers to questions q0, q1, ... in order."""
    return [
        answer(score, question_key=f"q{index}", element=element)
        for index, score in enumerate(scores)
    ]


def member(score: float | None, element_key: str = "c1") -> ElementScore:
    """One team member's result for an element; None means not enough answers."""
    if score is None:
        return ElementScore(element_key, None, None, answered=1, question_count=4, enough=False)
    return ElementScore(
        element_key, score, level_for_score(score), answered=4, question_count=4, enough=True
    )


# --- level rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1.0, 1),
        (1.49, 1),
        (1.499999, 1),
        (1.5, 2),
        (2.49, 2),
        (2.5, 3),
        (3.5, 4),
        (4.49, 4),
        (4.5, 5),
        (5.0, 5),
    ],
)
def test_level_is_score_rounded_half_up(score: float, level: int) -> None:
    assert level_for_score(score) == level


@pytest.mark.parametrize(("score", "level"), [(0.2, 1), (5.7, 5)])
def test_level_is_kept_within_one_to_five(score: float, level: int) -> None:
    assert level_for_score(score) == level


def test_level_ignores_float_noise_just_below_a_half() -> None:
    assert level_for_score(2.4999999999999996) == 3


def test_level_rejects_not_a_number() -> None:
    with pytest.raises(ValueError, match="finite"):
        level_for_score(float("nan"))


def test_levels_match_the_rubric() -> None:
    from playbook.models import HIGHEST_LEVEL, LEVEL_NUMBERS

    assert (LEVEL_NUMBERS[0], HIGHEST_LEVEL) == (scoring.LOWEST_LEVEL, scoring.HIGHEST_LEVEL)


# --- one element ------------------------------------------------------------


def test_element_score_is_mean_of_answers() -> None:
    result = score_element("c1", answers(2, 3, 5), question_count=3)

    assert result == ElementScore(
        "c1", score=3.333333, level=3, answered=3, question_count=3, enough=True
    )


def test_exactly_half_answered_is_enough() -> None:
    result = score_element("c1", answers(4, 5), question_count=4)

    assert (result.enough, result.score, result.level, result.answered) == (True, 4.5, 5, 2)


def test_one_fewer_than_half_answered_is_not_enough() -> None:
    result = score_element("c1", answers(4), question_count=4)

    assert result == ElementScore(
        "c1", score=None, level=None, answered=1, question_count=4, enough=False
    )


def test_half_of_an_odd_count_rounds_up() -> None:
    assert score_element("c1", answers(3, 3, 3), question_count=5).enough
    assert not score_element("c1", answers(3, 3), question_count=5).enough


def test_not_sure_is_left_out_of_mean_and_answered_count() -> None:
    result = score_element("c1", answers(2, None, 4), question_count=3)

    assert (result.score, result.answered, result.enough) == (3.0, 2, True)


def test_not_sure_answers_do_not_make_enough() -> None:
    result = score_element("c1", answers(5, None, None, None), question_count=4)

    assert (result.answered, result.enough, result.score) == (1, False, None)


def test_all_not_sure_is_not_enough() -> None:
    result = score_element("c1", answers(None, None), question_count=2)

    assert (result.answered, result.enough, result.score, result.level) == (0, False, None, None)


def test_weights_count_in_the_mean() -> None:
    weighted = [
        answer(5, Decimal(2), question_key="heavy"),
        answer(2, Decimal(1), question_key="light"),
    ]

    assert score_element("c1", weighted, question_count=2).score == 4.0


def test_zero_weight_answer_counts_as_answered_but_not_in_the_mean() -> None:
    weighted = [answer(1, Decimal(0), question_key="zero"), answer(4, question_key="one")]

    result = score_element("c1", weighted, question_count=4)

    assert (result.score, result.answered, result.enough) == (4.0, 2, True)


def test_only_zero_weight_answers_is_not_enough() -> None:
    weighted = [answer(4, 0, question_key="a"), answer(5, Decimal(0), question_key="b")]

    result = score_element("c1", weighted, question_count=2)

    assert (result.answered, result.enough, result.score, result.level) == (2, False, None, None)


def test_float_weights_giving_exactly_a_half_reach_the_higher_level() -> None:
    # In floats, (0.1 * 1 + 0.3 * 3) / 0.4 is 2.4999999999999996.
    weighted = [answer(1, 0.1, question_key="a"), answer(3, 0.3, question_key="b")]

    result = score_element("c1", weighted, question_count=2)

    assert (result.score, result.level) == (2.5, 3)


def test_element_without_scored_questions_is_not_enough() -> None:
    result = score_element("c1", [], question_count=0)

    assert (result.enough, result.score) == (False, None)


@pytest.mark.parametrize(
    ("bad_answers", "question_count", "message"),
    [
        ([answer(6, question_key="q")], 1, "scores run from 1 to 5"),
        ([answer(0, question_key="q")], 1, "scores run from 1 to 5"),
        ([answer(3, Decimal(-1), question_key="q")], 1, "not negative"),
        ([answer(3, float("inf"), question_key="q")], 1, "finite"),
        ([answer(3, question_key="q", element="c2")], 1, "belongs to element 'c2'"),
        (answers(3, 4)[:1] * 2, 2, "answered twice"),
        ([], -1, "must not be negative"),
    ],
)
def test_score_element_rejects_inconsistent_input(
    bad_answers: list[ScoredAnswer], question_count: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_element("c1", bad_answers, question_count)


# --- one assessment ---------------------------------------------------------


def test_assessment_scores_every_asked_element() -> None:
    all_answers = [*answers(4, 4, element="c1"), *answers(1, 2, 3, element="c2")]

    results = score_assessment(all_answers, {"c1": 2, "c2": 4, "c3": 3})

    assert list(results) == ["c1", "c2", "c3"]
    assert (results["c1"].score, results["c1"].level) == (4.0, 4)
    assert (results["c2"].score, results["c2"].answered) == (2.0, 3)
    assert results["c3"] == ElementScore(
        "c3", score=None, level=None, answered=0, question_count=3, enough=False
    )


def test_assessment_ignores_answers_to_elements_not_asked() -> None:
    all_answers = [*answers(4, element="c1"), *answers(1, element="retired")]

    assert list(score_assessment(all_answers, {"c1": 1})) == ["c1"]


# --- a team -----------------------------------------------------------------


def test_team_median_min_max_with_odd_respondents() -> None:
    result = combine_team([member(4.0), member(2.2), member(3.6)])

    assert result == scoring.TeamElementResult(
        element_key="c1",
        respondents=3,
        median_score=3.6,
        min_score=2.2,
        max_score=4.0,
        median_level=4,
        min_level=2,
        max_level=4,
        disagreement=True,
    )


def test_team_median_with_even_respondents_is_mean_of_middle_two() -> None:
    result = combine_team([member(2.4), member(1.0), member(5.0), member(2.6)])

    assert (result.respondents, result.median_score, result.median_level) == (4, 2.5, 3)
    assert (result.min_score, result.max_score) == (1.0, 5.0)
    assert (result.min_level, result.max_level) == (1, 5)


def test_team_levels_one_apart_is_not_disagreement() -> None:
    result = combine_team([member(2.0), member(3.49)])

    assert (result.min_level, result.max_level, result.disagreement) == (2, 3, False)


def test_team_levels_two_apart_is_disagreement() -> None:
    # Scores only 1.0 apart, but levels 2 and 4.
    result = combine_team([member(2.49), member(3.5)])

    assert (result.min_level, result.max_level, result.disagreement) == (2, 4, True)


def test_team_leaves_out_members_without_enough_answers() -> None:
    result = combine_team([member(1.0), member(None), member(3.0)])

    assert (result.respondents, result.median_score, result.min_score) == (2, 2.0, 1.0)


def test_team_without_respondents_has_no_scores() -> None:
    result = combine_team([member(None), member(None)])

    assert result == scoring.TeamElementResult(
        element_key="c1",
        respondents=0,
        median_score=None,
        min_score=None,
        max_score=None,
        median_level=None,
        min_level=None,
        max_level=None,
        disagreement=False,
    )


def test_team_with_no_assessments_needs_the_element_key() -> None:
    assert combine_team([], element_key="c1").respondents == 0
    with pytest.raises(ValueError, match="exactly one element"):
        combine_team([])


def test_team_rejects_results_of_different_elements() -> None:
    with pytest.raises(ValueError, match="exactly one element"):
        combine_team([member(2.0, "c1"), member(3.0, "c2")])
    with pytest.raises(ValueError, match="exactly one element"):
        combine_team([member(2.0, "c1")], element_key="c2")


# --- growth opportunity and organisation medians -----------------------------


FOUR_CS = ["c1", "c2", "c3", "c4"]


def test_growth_opportunity_is_lowest_score() -> None:
    scores = {"c1": 3.0, "c2": 2.1, "c3": 4.5, "c4": 2.2}

    assert growth_opportunity(scores, FOUR_CS) == "c2"


def test_growth_opportunity_tie_goes_to_element_listed_first() -> None:
    scores = {"c1": 3.0, "c2": 2.0, "c3": 4.5, "c4": 2.0}

    assert growth_opportunity(scores, FOUR_CS) == "c2"
    assert growth_opportunity(scores, ["c4", "c3", "c2", "c1"]) == "c4"


def test_growth_opportunity_ignores_unscored_elements() -> None:
    scores = {"c1": None, "c2": 3.0, "c3": 2.5}

    assert growth_opportunity(scores, FOUR_CS) == "c3"


def test_growth_opportunity_only_among_given_elements() -> None:
    scores = {"c1": 3.0, "c2": 4.0, "other": 1.0}

    assert growth_opportunity(scores, FOUR_CS) == "c1"


def test_no_growth_opportunity_without_scores() -> None:
    assert growth_opportunity({"c1": None}, FOUR_CS) is None
    assert growth_opportunity({}, FOUR_CS) is None


def test_median_across_teams_skips_teams_without_a_score() -> None:
    assert median_across([3.0, None, 1.0, 4.0]) == 3.0
    assert median_across([2.4, 2.6, None]) == 2.5
    assert median_across([None, None]) is None
    assert median_across([]) is None


# --- properties -------------------------------------------------------------

WEIGHTS = st.one_of(
    st.sampled_from([Decimal("0"), Decimal("0.5"), Decimal("1"), Decimal("1.25"), Decimal("3")]),
    st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False),
)
SCORES_OR_NOT_SURE = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@st.composite
def element_answers(
    draw: st.DrawFn, scores: st.SearchStrategy[int | None] = SCORES_OR_NOT_SURE
) -> list[ScoredAnswer]:
    pairs = draw(st.lists(st.tuples(WEIGHTS, scores), min_size=1, max_size=12))
    return [
        answer(score, weight, question_key=f"q{index}")
        for index, (weight, score) in enumerate(pairs)
    ]


@given(element_answers(), st.integers(min_value=0, max_value=24))
def test_scores_and_levels_stay_within_one_to_five(
    element_answers: list[ScoredAnswer], question_count: int
) -> None:
    result = score_element("c1", element_answers, question_count)

    if result.enough:
        assert result.score is not None and 1 <= result.score <= 5
        assert result.level is not None and 1 <= result.level <= 5
        assert result.level == level_for_score(result.score)
    else:
        assert (result.score, result.level) == (None, None)


@given(element_answers(st.integers(min_value=1, max_value=5)), st.data())
def test_raising_one_answer_never_lowers_score_or_level(
    element_answers: list[ScoredAnswer], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(element_answers) - 1))
    original = element_answers[index]
    assert original.score is not None
    higher_score = data.draw(st.integers(min_value=original.score, max_value=5))
    raised = [*element_answers]
    raised[index] = answer(higher_score, original.weight, question_key=original.question_key)

    before = score_element("c1", element_answers, len(element_answers))
    after = score_element("c1", raised, len(element_answers))

    assert before.enough == after.enough
    if before.score is not None and before.level is not None:
        assert after.score is not None and after.score >= before.score
        assert after.level is not None and after.level >= before.level


@given(
    st.integers(min_value=1, max_value=5),
    st.lists(WEIGHTS.filter(lambda weight: weight > 0), min_size=1, max_size=12),
    st.data(),
)
def test_all_answers_at_one_level_score_that_level(
    level: int, weights: list[Decimal | float], data: st.DataObject
) -> None:
    # Up to as many "not sure" as scored answers, so half are still answered.
    not_sure_count = data.draw(st.integers(min_value=0, max_value=len(weights)))
    level_answers = [
        answer(level, weight, question_key=f"q{index}") for index, weight in enumerate(weights)
    ]
    not_sure = [answer(None, question_key=f"unsure{index}") for index in range(not_sure_count)]

    result = score_element("c1", level_answers + not_sure, len(level_answers) + not_sure_count)

    assert (result.score, result.level, result.enough) == (level, level, True)


@given(element_answers(), st.integers(min_value=0, max_value=24), st.randoms())
def test_score_does_not_depend_on_answer_order(
    element_answers: list[ScoredAnswer], question_count: int, random: Random
) -> None:
    shuffled = [*element_answers]
    random.shuffle(shuffled)

    assert score_element("c1", shuffled, question_count) == score_element(
        "c1", element_answers, question_count
    )


@given(st.floats(min_value=1, max_value=5), st.floats(min_value=1, max_value=5))
def test_level_never_falls_as_score_rises_and_stays_within_half_a_level(
    score: float, other_score: float
) -> None:
    lower, higher = sorted([score, other_score])

    assert level_for_score(lower) <= level_for_score(higher)
    # level_for_score absorbs float noise beyond nine decimals (2.4999999999 -> 3).
    assert abs(level_for_score(score) - score) <= 0.5 + 1e-9


# Element scores are rounded to six decimals, so members' scores are too.
MEMBER_SCORES = st.integers(min_value=1_000_000, max_value=5_000_000).map(lambda n: n / 1_000_000)


@given(st.lists(st.one_of(st.none(), MEMBER_SCORES), min_size=1))
def test_team_median_lies_between_min_and_max(member_scores: list[float | None]) -> None:
    result = combine_team([member(score) for score in member_scores])
    present = [score for score in member_scores if score is not None]

    assert result.respondents == len(present)
    if not present:
        assert result.median_score is None
        return
    median = statistics.median(present)
    min_level, median_level, max_level = (
        level_for_score(score) for score in (min(present), median, max(present))
    )
    assert (result.min_score, result.max_score) == (min(present), max(present))
    assert result.median_score == pytest.approx(median, abs=1e-9)
    assert result.median_score == median_across(member_scores)
    assert (result.min_level, result.median_level, result.max_level) == (
        min_level,
        median_level,
        max_level,
    )
    assert min_level <= median_level <= max_level
    assert result.disagreement == (max_level - min_level >= 2)
