"""Scores and levels from answers: plain data in, numbers out.

No ORM, no request, no words: views, charts and PDF reports turn model rows into
``ScoredAnswer`` values, call these functions, and word the results themselves.

The rules the results page explains:

- Every scored question is answered on a 1-5 scale. "Not sure" has no score:
  it counts neither in the score nor as an answer.
- An element's score is the weighted mean of its answered questions, rounded to
  six decimals. A question of weight 2 counts twice as much as one of weight 1;
  a question of weight 0 counts as answered but does not move the score.
- An element needs answers to at least half of its scored questions (4 of 8,
  or 3 of 5). With fewer, or if every answered question has weight 0, it has
  "not enough answers": no score and no level.
- The level is the score rounded to the nearest whole number, halves rounding
  up, and kept within 1-5: 2.49 is level 2, 2.5 is level 3, 4.5 is level 5.
- A team's result for an element is the median of its members' scores, leaving
  out members without enough answers; its level follows the same rule. The
  team disagrees when its members' levels are two or more levels apart.
- The biggest growth opportunity among some elements (say the four Cs) is the
  one with the lowest score; on a tie, the one listed first.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# The same five levels as playbook.models.LEVEL_NUMBERS, repeated here so that
# scoring stays importable without Django.
LOWEST_LEVEL = 1
HIGHEST_LEVEL = 5

# Scores are rounded to this many decimals before a level is read off them, so
# that a mean of exactly 2.5 is level 3 however the floats came out.
SCORE_DECIMAL_PLACES = 6
_SCORE_QUANTUM = Decimal(1).scaleb(-SCORE_DECIMAL_PLACES)
# Finer than any score or median this module produces (a median of two scores
# has one decimal more), coarse enough to absorb float noise such as
# 2.4999999999999996.
_FLOAT_NOISE_QUANTUM = Decimal(1).scaleb(-(SCORE_DECIMAL_PLACES + 3))

# Members whose levels are this far apart (or further) disagree.
DISAGREEMENT_LEVEL_GAP = 2


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer to a scored question; ``score`` is 1-5, or None for "not sure"."""

    element_key: str
    question_key: str
    weight: Decimal | float
    score: int | None


@dataclass(frozen=True)
class ElementScore:
    """One assessment's result for one element.

    ``answered`` counts the questions answered with a score ("not sure"
    excluded) out of the ``question_count`` scored questions asked. When
    ``enough`` is False, ``score`` and ``level`` are None.
    """

    element_key: str
    score: float | None
    level: int | None
    answered: int
    question_count: int
    enough: bool


@dataclass(frozen=True)
class TeamElementResult:
    """A team's result for one element across its members' assessments.

    ``respondents`` counts the assessments with enough answers for the element;
    the others are left out. With no respondents, every score and level is None
    and ``disagreement`` is False.
    """

    element_key: str
    respondents: int
    median_score: float | None
    min_score: float | None
    max_score: float | None
    median_level: int | None
    min_level: int | None
    max_level: int | None
    disagreement: bool


def level_for_score(score: float) -> int:
    """The level of a score: rounded half up, kept within 1-5 (2.49 -> 2, 2.5 -> 3)."""
    if not math.isfinite(score):
        raise ValueError(f"A score must be a finite number, not {score!r}.")
    # repr() gives the shortest decimal that is this float, so 2.5 stays 2.5.
    return _level_for_decimal(Decimal(repr(float(score))))


def score_element(
    element_key: str, answers: Iterable[ScoredAnswer], question_count: int
) -> ElementScore:
    """Score one element from its answers (every answer must belong to ``element_key``).

    ``question_count`` is the number of scored questions the element asked.
    """
    if question_count < 0:
        raise ValueError(f"question_count must not be negative, not {question_count}.")
    answers = list(answers)
    question_keys: set[str] = set()
    for answer in answers:
        _check_answer(answer)
        if answer.element_key != element_key:
            raise ValueError(
                f"Answer to {answer.question_key!r} belongs to element "
                f"{answer.element_key!r}, not {element_key!r}."
            )
        if answer.question_key in question_keys:
            raise ValueError(f"Question {answer.question_key!r} is answered twice.")
        question_keys.add(answer.question_key)

    weighted_scores = [
        (_weight(answer), answer.score) for answer in answers if answer.score is not None
    ]
    answered = len(weighted_scores)
    total_weight = sum((weight for weight, _score in weighted_scores), Decimal(0))
    if answered * 2 < question_count or total_weight == 0:
        return ElementScore(
            element_key=element_key,
            score=None,
            level=None,
            answered=answered,
            question_count=question_count,
            enough=False,
        )
    weighted_total = sum((weight * score for weight, score in weighted_scores), Decimal(0))
    mean = (weighted_total / total_weight).quantize(_SCORE_QUANTUM, rounding=ROUND_HALF_UP)
    return ElementScore(
        element_key=element_key,
        score=float(mean),
        level=_level_for_decimal(mean),
        answered=answered,
        question_count=question_count,
        enough=True,
    )


def score_assessment(
    answers: Iterable[ScoredAnswer], question_counts: Mapping[str, int]
) -> dict[str, ElementScore]:
    """Score every element in ``question_counts`` (element key -> scored questions asked).

    Elements without answers have "not enough answers" (unless they asked no
    scored question either, which is still not enough: there is nothing to
    average). Answers to elements not in ``question_counts`` are ignored.
    """
    answers_by_element: dict[str, list[ScoredAnswer]] = defaultdict(list)
    for answer in answers:
        answers_by_element[answer.element_key].append(answer)
    return {
        element_key: score_element(element_key, answers_by_element[element_key], question_count)
        for element_key, question_count in question_counts.items()
    }


def combine_team(
    element_scores: Sequence[ElementScore], *, element_key: str | None = None
) -> TeamElementResult:
    """Combine the members' results for one element into the team's result.

    All ``element_scores`` must be for the same element. Pass ``element_key``
    when ``element_scores`` may be empty (a team with no submitted assessment);
    when both are given they must agree.
    """
    element_keys = {element_score.element_key for element_score in element_scores}
    if element_key is not None:
        element_keys.add(element_key)
    if len(element_keys) != 1:
        raise ValueError(
            "combine_team needs the results of exactly one element, "
            f"got {sorted(element_keys) or 'none and no element_key'}."
        )
    (combined_element_key,) = element_keys

    scores = [
        _decimal_score(element_score.score)
        for element_score in element_scores
        if element_score.enough and element_score.score is not None
    ]
    if not scores:
        return TeamElementResult(
            element_key=combined_element_key,
            respondents=0,
            median_score=None,
            min_score=None,
            max_score=None,
            median_level=None,
            min_level=None,
            max_level=None,
            disagreement=False,
        )
    median = statistics.median(scores)
    lowest, highest = min(scores), max(scores)
    min_level, max_level = _level_for_decimal(lowest), _level_for_decimal(highest)
    return TeamElementResult(
        element_key=combined_element_key,
        respondents=len(scores),
        median_score=float(median),
        min_score=float(lowest),
        max_score=float(highest),
        median_level=_level_for_decimal(median),
        min_level=min_level,
        max_level=max_level,
        disagreement=max_level - min_level >= DISAGREEMENT_LEVEL_GAP,
    )


def growth_opportunity(
    scores: Mapping[str, float | None], element_keys: Sequence[str]
) -> str | None:
    """The key of the lowest-scoring of ``element_keys``: the biggest growth opportunity.

    Ties go to the element listed first. Elements without a score (None or
    missing from ``scores``) are ignored; None when no element has a score.
    """
    lowest_key: str | None = None
    lowest_score: float | None = None
    for element_key in element_keys:
        score = scores.get(element_key)
        if score is not None and (lowest_score is None or score < lowest_score):
            lowest_key, lowest_score = element_key, score
    return lowest_key


def median_across(scores: Iterable[float | None]) -> float | None:
    """The median of the scores that are not None (e.g. one element across teams)."""
    present = [_decimal_score(score) for score in scores if score is not None]
    if not present:
        return None
    return float(statistics.median(present))


def _level_for_decimal(score: Decimal) -> int:
    without_noise = score.quantize(_FLOAT_NOISE_QUANTUM, rounding=ROUND_HALF_UP)
    level = int(without_noise.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(level, LOWEST_LEVEL), HIGHEST_LEVEL)


def _decimal_score(score: float) -> Decimal:
    # Medians in Decimal: the median of 2.4 and 2.6 is exactly 2.5, so level 3.
    if not math.isfinite(score):
        raise ValueError(f"A score must be a finite number, not {score!r}.")
    return Decimal(repr(float(score)))


def _weight(answer: ScoredAnswer) -> Decimal:
    if isinstance(answer.weight, Decimal):
        return answer.weight
    # repr() keeps a weight of 0.1 as 0.1 rather than its binary approximation.
    return Decimal(repr(float(answer.weight)))


def _check_answer(answer: ScoredAnswer) -> None:
    if answer.score is not None and not LOWEST_LEVEL <= answer.score <= HIGHEST_LEVEL:
        raise ValueError(
            f"Answer to {answer.question_key!r} has score {answer.score}; "
            f"scores run from {LOWEST_LEVEL} to {HIGHEST_LEVEL}, or None for not sure."
        )
    weight = _weight(answer)
    if not weight.is_finite() or weight < 0:
        raise ValueError(
            f"Question {answer.question_key!r} has weight {answer.weight}; "
            "weights are finite and not negative."
        )
