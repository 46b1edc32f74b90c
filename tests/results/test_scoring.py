"""The scoring rules, at their boundaries and as properties; no database."""

from __future__ import annotations

import statistics
from decimal import Decimal
from fractions import Fraction
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results import scoring
from results.scoring import (
    FIVE_LEVELS,
    ElementScore,
    Scale,
    ScoredAnswer,
    combine_team,
    growth_opportunity,
    level_for_score,
    median_across,
    score_assessment,
    score_element,
)


def answer(
    score: Decimal | float | None,
    weight: Decimal | float = Decimal(1),
    *,
    question_key: str = "",
    element: str = "c1",
    not_applicable: bool = False,
) -> ScoredAnswer:
    return ScoredAnswer(
        element_key=element,
        question_key=question_key,
        weight=weight,
        score=score,
        not_applicable=not_applicable,
    )


def answers(*scores: Decimal | float | None, element: str = "c1") -> list[ScoredAnswer]:
    """Weight-1 answers to questions q0, q1, ... in order."""
    return [
        answer(score, question_key=f"q{index}", element=element)
        for index, score in enumerate(scores)
    ]


def not_applicable(count: int, element: str = "c1") -> list[ScoredAnswer]:
    """``count`` answers "not applicable" to questions na0, na1, ..."""
    return [
        answer(None, question_key=f"na{index}", element=element, not_applicable=True)
        for index in range(count)
    ]


def member(
    score: float | None, element_key: str = "c1", *, scale: Scale = FIVE_LEVELS
) -> ElementScore:
    """One team member's result for an element; None means not enough answers."""
    if score is None:
        return ElementScore(element_key, None, None, answered=1, question_count=4, enough=False)
    return ElementScore(
        element_key,
        score,
        level_for_score(score, scale=scale),
        answered=4,
        question_count=4,
        enough=True,
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
    assert isinstance(original.score, int)
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


# --- a framework's scale ----------------------------------------------------

ZERO_TO_THREE = Scale(lowest=0, highest=3)  # three levels and "not started", as in SAMM
FOUR_LEVELS = Scale(lowest=1, highest=4)
SEVEN_LEVELS = Scale(lowest=1, highest=7)
ALL_SCALES = [Scale(lowest=lowest, highest=highest) for lowest in (0, 1) for highest in range(2, 8)]


@pytest.mark.parametrize(
    ("lowest", "highest", "message"),
    [
        (2, 5, "lowest level is 0 \\(with a level 0\\) or 1, not 2"),
        (-1, 5, "lowest level is 0 \\(with a level 0\\) or 1, not -1"),
        (True, 5, "lowest level is 0 \\(with a level 0\\) or 1, not True"),
        (1, 1, "highest level is a whole number from 2 to 7, not 1"),
        (0, 8, "highest level is a whole number from 2 to 7, not 8"),
        (1, 5.0, "highest level is a whole number from 2 to 7, not 5.0"),
    ],
)
def test_scale_refuses_levels_outside_the_rules(lowest: int, highest: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scale(lowest=lowest, highest=highest)


def test_five_levels_is_the_cx_scale_and_the_old_constants() -> None:
    assert (FIVE_LEVELS.levels, FIVE_LEVELS.span) == ((1, 2, 3, 4, 5), 4)
    assert (scoring.LOWEST_LEVEL, scoring.HIGHEST_LEVEL) == (1, 5)
    assert scoring.DISAGREEMENT_LEVEL_GAP == FIVE_LEVELS.disagreement_gap == 2


@pytest.mark.parametrize(
    ("scale", "levels", "span", "disagreement_gap"),
    [
        (Scale(lowest=1, highest=2), (1, 2), 1, 1),
        (Scale(lowest=1, highest=3), (1, 2, 3), 2, 1),
        (ZERO_TO_THREE, (0, 1, 2, 3), 3, 2),
        (FOUR_LEVELS, (1, 2, 3, 4), 3, 2),
        (FIVE_LEVELS, (1, 2, 3, 4, 5), 4, 2),
        (SEVEN_LEVELS, (1, 2, 3, 4, 5, 6, 7), 6, 3),
        (Scale(lowest=0, highest=7), (0, 1, 2, 3, 4, 5, 6, 7), 7, 4),
    ],
    ids=str,
)
def test_scale_levels_span_and_disagreement_gap(
    scale: Scale, levels: tuple[int, ...], span: int, disagreement_gap: int
) -> None:
    assert (scale.levels, scale.span, scale.disagreement_gap) == (levels, span, disagreement_gap)


@pytest.mark.parametrize(
    ("scale", "score", "share"),
    [
        (FIVE_LEVELS, 1, 0.0),
        (FIVE_LEVELS, 3, 0.5),
        (FIVE_LEVELS, 4.5, 0.875),
        (FIVE_LEVELS, 5, 1.0),
        (ZERO_TO_THREE, 0, 0.0),
        (ZERO_TO_THREE, Decimal("1.5"), 0.5),
        (ZERO_TO_THREE, 2.25, 0.75),
        (ZERO_TO_THREE, 3, 1.0),
        (SEVEN_LEVELS, 4, 0.5),
    ],
)
def test_share_is_the_place_on_the_scale(
    scale: Scale, score: Decimal | float, share: float
) -> None:
    assert scale.share(score) == share


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (-0.25, "not on the 0-3 scale"),
        (3.25, "not on the 0-3 scale"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
    ],
)
def test_share_refuses_a_score_off_the_scale(score: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ZERO_TO_THREE.share(score)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, 0),
        (0.25, 0),
        (0.49, 0),
        (0.5, 1),
        (Decimal("1.5"), 2),
        (2.25, 2),
        (2.4999999999999996, 3),
        (3, 3),
        (-0.3, 0),
        (3.7, 3),
    ],
)
def test_level_on_a_scale_with_level_zero(score: Decimal | float, level: int) -> None:
    assert ZERO_TO_THREE.level_for(score) == level
    assert level_for_score(score, scale=ZERO_TO_THREE) == level


def test_scale_contains_only_finite_scores_between_its_ends() -> None:
    assert ZERO_TO_THREE.contains(0) and ZERO_TO_THREE.contains(Decimal("2.25"))
    assert not ZERO_TO_THREE.contains(3.01)
    assert not FIVE_LEVELS.contains(0)
    assert not FIVE_LEVELS.contains(float("nan"))
    assert not FIVE_LEVELS.contains(Decimal("NaN"))


def test_fractional_choices_on_a_zero_to_three_scale() -> None:
    result = score_element(
        "c1", answers(Decimal("1.5"), Decimal("2.25")), question_count=2, scale=ZERO_TO_THREE
    )

    assert (result.score, result.level, result.enough) == (1.875, 2, True)
    assert result.score is not None and ZERO_TO_THREE.share(result.score) == 0.625


def test_samm_style_quarter_choices_can_score_level_zero() -> None:
    quarters = answers(0, 0.25, 0.5, 1)

    result = score_element("c1", quarters, question_count=4, scale=ZERO_TO_THREE)

    assert (result.score, result.level) == (0.4375, 0)


def test_zero_to_three_scale_accepts_zero_and_refuses_above_three() -> None:
    assert score_element("c1", answers(0, 0), 2, scale=ZERO_TO_THREE).level == 0
    with pytest.raises(ValueError, match="scores run from 0 to 3 on the 0-3 scale"):
        score_element("c1", answers(3.5), 1, scale=ZERO_TO_THREE)


def test_four_level_scale() -> None:
    result = score_element("c1", answers(4, 4, 1), question_count=3, scale=FOUR_LEVELS)

    assert (result.score, result.level) == (3.0, 3)
    with pytest.raises(ValueError, match="scores run from 1 to 4 on the 1-4 scale"):
        score_element("c1", answers(5), 1, scale=FOUR_LEVELS)


def test_seven_level_scale() -> None:
    high = score_element("c1", answers(7, 6), question_count=2, scale=SEVEN_LEVELS)
    low = score_element("c1", answers(1, 1.5, 2), question_count=3, scale=SEVEN_LEVELS)

    assert (high.score, high.level) == (6.5, 7)
    assert (low.score, low.level) == (1.5, 2)
    with pytest.raises(ValueError, match="scores run from 1 to 7 on the 1-7 scale"):
        score_element("c1", answers(0), 1, scale=SEVEN_LEVELS)


def test_a_default_scale_score_is_the_five_level_score() -> None:
    some = answers(2, None, 4.5, 3)

    assert score_element("c1", some, 4) == score_element("c1", some, 4, scale=FIVE_LEVELS)
    assert score_assessment(some, {"c1": 4}) == score_assessment(some, {"c1": 4}, scale=FIVE_LEVELS)


def test_assessment_on_a_scale_scores_each_element_on_it() -> None:
    all_answers = [*answers(0, 1, element="c1"), *answers(3, element="c2")]

    results = score_assessment(all_answers, {"c1": 2, "c2": 1}, scale=ZERO_TO_THREE)

    assert (results["c1"].score, results["c1"].level) == (0.5, 1)
    assert (results["c2"].score, results["c2"].level) == (3.0, 3)


# --- "not applicable" and "not sure" ----------------------------------------


def test_not_sure_and_not_applicable_are_counted_and_left_out() -> None:
    result = score_element("c1", answers(2, None, 4) + not_applicable(2), question_count=5)

    assert result == ElementScore(
        "c1",
        score=3.0,
        level=3,
        answered=2,
        question_count=5,
        enough=True,
        not_sure=1,
        not_applicable=2,
    )
    assert result.applicable_count == 3


def test_not_applicable_questions_leave_the_half_threshold() -> None:
    # 3 answered of 8 asked is not enough; of the 6 that apply it is half.
    assert not score_element("c1", answers(3, 3, 3), question_count=8).enough
    assert score_element("c1", answers(3, 3, 3) + not_applicable(2), question_count=8).enough
    assert not score_element("c1", answers(3, 3) + not_applicable(2), question_count=8).enough


def test_not_sure_stays_in_the_half_threshold() -> None:
    # 4 asked, 1 does not apply: 1 answered of the 3 that apply is not enough.
    result = score_element("c1", answers(3, None, None) + not_applicable(1), question_count=4)

    assert (result.enough, result.answered, result.not_sure, result.not_applicable) == (
        False,
        1,
        2,
        1,
    )
    assert (result.score, result.level, result.applicable_count) == (None, None, 3)


def test_all_not_applicable_is_not_enough() -> None:
    result = score_element("c1", not_applicable(3), question_count=3)

    assert (result.enough, result.score, result.answered, result.not_applicable) == (
        False,
        None,
        0,
        3,
    )


def test_a_not_applicable_answer_with_a_score_is_refused() -> None:
    both = [answer(3, question_key="q", not_applicable=True)]

    with pytest.raises(ValueError, match="not applicable but has score 3"):
        score_element("c1", both, question_count=1)


def test_one_question_cannot_be_both_not_sure_and_not_applicable() -> None:
    with pytest.raises(ValueError, match="answered twice"):
        score_element(
            "c1", [*answers(None), answer(None, question_key="q0", not_applicable=True)], 2
        )


# --- team disagreement as a share of the scale ------------------------------


def test_team_spread_share_on_five_levels() -> None:
    result = combine_team([member(2.49), member(3.5)])

    assert (result.spread_share, result.disagreement, result.scale) == (0.5, True, FIVE_LEVELS)
    assert combine_team([member(None)]).spread_share is None


def test_one_level_apart_disagrees_on_three_levels() -> None:
    three = Scale(lowest=1, highest=3)

    result = combine_team([member(1.0, scale=three), member(2.0, scale=three)], scale=three)

    assert (result.min_level, result.max_level, result.spread_share) == (1, 2, 0.5)
    assert result.disagreement


@pytest.mark.parametrize(
    ("low", "high", "disagreement"),
    [(2.0, 4.0, False), (2.0, 4.5, True), (1.0, 3.49, False), (1.0, 7.0, True)],
)
def test_three_levels_apart_disagree_on_seven_levels(
    low: float, high: float, disagreement: bool
) -> None:
    result = combine_team(
        [member(low, scale=SEVEN_LEVELS), member(high, scale=SEVEN_LEVELS)], scale=SEVEN_LEVELS
    )

    assert result.min_level is not None and result.max_level is not None
    assert result.disagreement is disagreement
    assert result.spread_share == (result.max_level - result.min_level) / 6


def test_team_levels_on_a_zero_to_three_scale() -> None:
    result = combine_team(
        [member(0.25, scale=ZERO_TO_THREE), member(1.5, scale=ZERO_TO_THREE)],
        scale=ZERO_TO_THREE,
    )

    assert (result.min_level, result.median_level, result.max_level) == (0, 1, 2)
    assert (result.disagreement, result.scale) == (True, ZERO_TO_THREE)


# --- properties on every scale ----------------------------------------------


def on_scale(scale: Scale) -> st.SearchStrategy[Decimal | float | int]:
    """Choice scores on ``scale``: whole levels, quarters (Decimal) and floats."""
    return st.one_of(
        st.sampled_from(scale.levels),
        st.integers(min_value=scale.lowest * 4, max_value=scale.highest * 4).map(
            lambda quarters: Decimal(quarters) / 4
        ),
        st.floats(min_value=scale.lowest, max_value=scale.highest),
    )


@st.composite
def answers_on(draw: st.DrawFn, scale: Scale, *, left_out: bool = True) -> list[ScoredAnswer]:
    """Answers to one element on ``scale``, with "not sure" and "not applicable" if ``left_out``."""
    kinds = st.one_of(
        on_scale(scale).map(lambda score: (score, False)),
        *([st.just((None, False)), st.just((None, True))] if left_out else []),
    )
    drawn = draw(st.lists(st.tuples(WEIGHTS, kinds), min_size=1, max_size=12))
    return [
        answer(score, weight, question_key=f"q{index}", not_applicable=is_not_applicable)
        for index, (weight, (score, is_not_applicable)) in enumerate(drawn)
    ]


every_scale = pytest.mark.parametrize("scale", ALL_SCALES, ids=str)


@every_scale
@given(
    st.lists(WEIGHTS.filter(lambda weight: weight > 0), min_size=1, max_size=12),
    st.data(),
)
def test_all_answers_at_level_k_score_level_k_on_every_scale(
    scale: Scale, weights: list[Decimal | float], data: st.DataObject
) -> None:
    level = data.draw(st.sampled_from(scale.levels))
    # Up to as many "not sure" as scored answers, and any number not applicable.
    not_sure_count = data.draw(st.integers(min_value=0, max_value=len(weights)))
    not_applicable_count = data.draw(st.integers(min_value=0, max_value=6))
    level_answers = [
        answer(level, weight, question_key=f"q{index}") for index, weight in enumerate(weights)
    ]
    not_sure = [answer(None, question_key=f"unsure{index}") for index in range(not_sure_count)]
    all_answers = level_answers + not_sure + not_applicable(not_applicable_count)

    result = score_element("c1", all_answers, len(all_answers), scale=scale)

    assert (result.score, result.level, result.enough) == (level, level, True)
    assert (result.not_sure, result.not_applicable) == (not_sure_count, not_applicable_count)
    assert scale.share(level) == pytest.approx((level - scale.lowest) / scale.span)


@every_scale
@given(st.data())
def test_raising_one_answer_never_lowers_score_or_level_on_every_scale(
    scale: Scale, data: st.DataObject
) -> None:
    scored = data.draw(answers_on(scale, left_out=False))
    left_out = data.draw(st.lists(st.booleans(), max_size=4))
    element_answers = scored + [
        answer(None, question_key=f"out{index}", not_applicable=is_not_applicable)
        for index, is_not_applicable in enumerate(left_out)
    ]
    index = data.draw(st.integers(min_value=0, max_value=len(scored) - 1))
    original = scored[index]
    assert original.score is not None
    # Every score drawn here (whole, quarter or float) is exact as a float.
    original_score = float(original.score)
    higher_score = data.draw(on_scale(scale).filter(lambda score: float(score) >= original_score))
    raised = [*element_answers]
    raised[index] = answer(higher_score, original.weight, question_key=original.question_key)
    question_count = len(element_answers)

    before = score_element("c1", element_answers, question_count, scale=scale)
    after = score_element("c1", raised, question_count, scale=scale)

    assert before.enough == after.enough
    if before.score is not None and before.level is not None:
        assert after.score is not None and after.score >= before.score
        assert after.level is not None and after.level >= before.level


@every_scale
@given(st.data(), st.integers(min_value=0, max_value=24))
def test_scores_levels_and_shares_stay_within_every_scale(
    scale: Scale, data: st.DataObject, question_count: int
) -> None:
    element_answers = data.draw(answers_on(scale))

    result = score_element("c1", element_answers, question_count, scale=scale)

    assert result.answered + result.not_sure + result.not_applicable == len(element_answers)
    if result.enough:
        assert result.score is not None and scale.lowest <= result.score <= scale.highest
        assert 0.0 <= scale.share(result.score) <= 1.0
        assert result.level in scale.levels
        assert result.level == level_for_score(result.score, scale=scale)
    else:
        assert (result.score, result.level) == (None, None)


def member_scores_on(scale: Scale) -> st.SearchStrategy[float]:
    # Element scores are rounded to six decimals, so members' scores are too.
    return st.integers(min_value=scale.lowest * 1_000_000, max_value=scale.highest * 1_000_000).map(
        lambda n: n / 1_000_000
    )


@every_scale
@given(st.data())
def test_team_results_stay_within_every_scale_and_disagree_by_share(
    scale: Scale, data: st.DataObject
) -> None:
    member_scores = data.draw(
        st.lists(st.one_of(st.none(), member_scores_on(scale)), min_size=1, max_size=8)
    )

    result = combine_team([member(score, scale=scale) for score in member_scores], scale=scale)

    if result.respondents == 0:
        assert (result.spread_share, result.disagreement) == (None, False)
        return
    assert result.median_score is not None and result.median_level is not None
    assert result.min_level is not None and result.max_level is not None
    assert result.spread_share is not None
    assert scale.lowest <= result.median_score <= scale.highest
    assert 0.0 <= scale.share(result.median_score) <= 1.0
    assert result.min_level <= result.median_level <= result.max_level
    assert {result.min_level, result.median_level, result.max_level} <= set(scale.levels)
    gap = result.max_level - result.min_level
    assert 0.0 <= result.spread_share <= 1.0
    assert result.disagreement == (Fraction(gap, scale.span) >= Fraction(1, 2))
    assert result.disagreement == (result.spread_share >= 0.5)
    assert result.disagreement == (gap >= scale.disagreement_gap)
    if scale == FIVE_LEVELS:
        assert result.disagreement == (gap >= 2)


@given(st.lists(st.one_of(st.none(), MEMBER_SCORES), min_size=1))
def test_five_levels_team_result_is_todays(member_scores: list[float | None]) -> None:
    members = [member(score) for score in member_scores]

    result = combine_team(members, scale=FIVE_LEVELS)

    assert result == combine_team(members)
    if result.min_level is not None and result.max_level is not None:
        assert result.disagreement == (result.max_level - result.min_level >= 2)
