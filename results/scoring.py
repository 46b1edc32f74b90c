"""Scores and levels from answers: plain data in, numbers out.

No ORM, no request, no words: views, charts and PDF reports turn model rows into
``ScoredAnswer`` values, call these functions, and word the results themselves.

Every function works on a framework's ``Scale``: its levels run from
``lowest`` (0 when the framework has a level 0, "not started", below level 1;
otherwise 1) to ``highest`` (2 to 7). ``FIVE_LEVELS`` (1-5) is the CX rubric's
scale and the default everywhere; the examples below are on it.

The rules the results page explains:

- Every scored question is answered with a choice whose score is a number on
  the scale, not necessarily whole: on 1-5 a choice may score 1, 2.5 or 4.25;
  on a 0-3 scale 0, 0.25, 0.5 or 1.5. "Not sure" and "not applicable" have no
  score: they count neither in the score nor as answers. Results say how many
  of each were left out (``ElementScore.not_sure`` / ``.not_applicable``).
- An element's score is the weighted mean of its answered questions, rounded to
  six decimals. A question of weight 2 counts twice as much as one of weight 1;
  a question of weight 0 counts as answered but does not move the score.
- An element needs answers to at least half of the scored questions that apply
  to it: a "not applicable" answer takes its question out of the count (an
  element where half the questions do not apply is scored from the rest), a
  "not sure" answer does not (it is a question that applies but was not
  answered). 4 of 8 is enough, 3 of 5 is enough, and 3 of 8 with 2 of them
  not applicable is enough (3 of the 6 that apply). With fewer, or if every
  answered question has weight 0, it has "not enough answers": no score and
  no level. ``ElementScore.question_count`` stays the number of scored
  questions asked; ``applicable_count`` is the count the threshold uses.
- The level is the score rounded to the nearest whole number, halves rounding
  up, and kept within the scale: on 1-5, 2.49 is level 2, 2.5 is level 3, 4.5
  is level 5; on 0-3, 0.49 is level 0 and 0.5 is level 1.
- Where frameworks with different scales are shown together, a score's place
  on its scale is its share of the way from the lowest to the highest level
  (``Scale.share``): on 1-5, 1 is 0%, 3 is 50% and 5 is 100%; on 0-3, 1.5 is
  50%.
- A team's result for an element is the median of its members' scores, leaving
  out members without enough answers; its level follows the same rule. The
  team disagrees when its members' levels are at least half the scale apart:
  the gap between the highest and lowest member level is at least
  ``DISAGREEMENT_SHARE`` (0.5) of the scale's span (highest minus lowest
  level). On 1-5 (span 4) that is two levels or more, as it always was; on
  three levels 1-3 (span 2) one level is enough; on 0-3 (span 3) and on four
  levels 1-4 (span 3) it takes two; on seven levels 1-7 (span 6) three; on a
  two-level scale 1-2 any gap. ``Scale.disagreement_gap`` gives that smallest
  gap in levels, ``TeamElementResult.spread_share`` the team's gap as a share.
- The biggest growth opportunity among some elements (say the four Cs) is the
  one with the lowest score; on a tie, the one listed first.
"""

from __future__ import annotations

import numbers
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

# Scores are rounded to this many decimals before a level is read off them, so
# that a mean of exactly 2.5 is level 3 however the floats came out.
SCORE_DECIMAL_PLACES = 6
_SCORE_QUANTUM = Decimal(1).scaleb(-SCORE_DECIMAL_PLACES)
# Finer than any score or median this module produces (a median of two scores
# has one decimal more), coarse enough to absorb float noise such as
# 2.4999999999999996.
_FLOAT_NOISE_QUANTUM = Decimal(1).scaleb(-(SCORE_DECIMAL_PLACES + 3))

# Members whose levels are at least this share of the scale's span apart disagree.
DISAGREEMENT_SHARE = Decimal("0.5")

# The bounds a framework's scale may have.
LOWEST_LEVEL_CHOICES = (0, 1)
MIN_HIGHEST_LEVEL = 2
MAX_HIGHEST_LEVEL = 7

type Score = Decimal | float | int


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Scale:
    """A framework's levels: ``lowest`` (0 or 1) to ``highest`` (2 to 7), whole numbers.

    ``lowest`` 0 means the framework has a level 0 ("not started") below level
    1; either way it names ``highest`` levels above 0.
    """

    lowest: int
    highest: int

    def __post_init__(self) -> None:
        if not _is_whole_number(self.lowest) or self.lowest not in LOWEST_LEVEL_CHOICES:
            raise ValueError(
                f"A scale's lowest level is 0 (with a level 0) or 1, not {self.lowest!r}."
            )
        if not _is_whole_number(self.highest) or not (
            MIN_HIGHEST_LEVEL <= self.highest <= MAX_HIGHEST_LEVEL
        ):
            raise ValueError(
                f"A scale's highest level is a whole number from {MIN_HIGHEST_LEVEL} "
                f"to {MAX_HIGHEST_LEVEL}, not {self.highest!r}."
            )

    def __str__(self) -> str:
        return f"the {self.lowest}-{self.highest} scale"

    @property
    def levels(self) -> tuple[int, ...]:
        """The level numbers, lowest first: (1, 2, 3, 4, 5) on five levels."""
        return tuple(range(self.lowest, self.highest + 1))

    @property
    def span(self) -> int:
        """The distance from the lowest to the highest level (4 on 1-5)."""
        return self.highest - self.lowest

    @property
    def disagreement_gap(self) -> int:
        """The smallest gap between members' levels that is a disagreement (2 on 1-5)."""
        return int((DISAGREEMENT_SHARE * self.span).to_integral_value(rounding=ROUND_CEILING))

    def contains(self, score: Score) -> bool:
        """Whether ``score`` is a finite number from ``lowest`` to ``highest``."""
        try:
            value = _to_decimal(score)
        except ValueError:
            return False
        return self.lowest <= value <= self.highest

    def share(self, score: Score) -> float:
        """Where ``score`` lies on the scale, from 0.0 (lowest level) to 1.0 (highest).

        For showing frameworks with different scales on a common 0-100%:
        (score - lowest) / span, so 3 on 1-5 is 0.5 and 1.5 on 0-3 is 0.5.
        """
        value = _to_decimal(score)
        if not self.lowest <= value <= self.highest:
            raise ValueError(f"Score {score!r} is not on {self}.")
        return float((value - self.lowest) / self.span)

    def level_for(self, score: Score) -> int:
        """The level of a score: rounded half up, kept within the scale (2.49 -> 2, 2.5 -> 3)."""
        return self._level_for_decimal(_to_decimal(score))

    def _level_for_decimal(self, score: Decimal) -> int:
        without_noise = score.quantize(_FLOAT_NOISE_QUANTUM, rounding=ROUND_HALF_UP)
        level = int(without_noise.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return min(max(level, self.lowest), self.highest)

    def _disagree(self, min_level: int, max_level: int) -> bool:
        return max_level - min_level >= DISAGREEMENT_SHARE * self.span


# The CX rubric's five levels: the same as playbook.models.LEVEL_NUMBERS,
# repeated here so that scoring stays importable without Django.
FIVE_LEVELS = Scale(lowest=1, highest=5)
LOWEST_LEVEL = FIVE_LEVELS.lowest
HIGHEST_LEVEL = FIVE_LEVELS.highest
# Two levels on five: kept for callers that still assume the five-level scale.
DISAGREEMENT_LEVEL_GAP = FIVE_LEVELS.disagreement_gap


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer to a scored question.

    ``score`` is a number on the framework's scale, or None for "not sure" or,
    with ``not_applicable``, for "not applicable".
    """

    element_key: str
    question_key: str
    weight: Decimal | float
    score: Score | None
    not_applicable: bool = False


@dataclass(frozen=True)
class ElementScore:
    """One assessment's result for one element.

    ``answered`` counts the questions answered with a score out of the
    ``question_count`` scored questions asked; ``not_sure`` and
    ``not_applicable`` count the answers left out. When ``enough`` is False,
    ``score`` and ``level`` are None.
    """

    element_key: str
    score: float | None
    level: int | None
    answered: int
    question_count: int
    enough: bool
    not_sure: int = 0
    not_applicable: int = 0

    @property
    def applicable_count(self) -> int:
        """The scored questions asked that apply: at least half must be answered."""
        return max(self.question_count - self.not_applicable, 0)


@dataclass(frozen=True)
class TeamElementResult:
    """A team's result for one element across its members' assessments, on ``scale``.

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
    scale: Scale = FIVE_LEVELS

    @property
    def spread_share(self) -> float | None:
        """The gap between the highest and lowest member level as a share of the scale.

        0.5 on 1-5 for levels 2 and 4; None without respondents.
        """
        if self.min_level is None or self.max_level is None:
            return None
        return (self.max_level - self.min_level) / self.scale.span


def level_for_score(score: Score, *, scale: Scale = FIVE_LEVELS) -> int:
    """The level of a score: rounded half up, kept within the scale (2.49 -> 2, 2.5 -> 3)."""
    return scale.level_for(score)


def score_element(
    element_key: str,
    answers: Iterable[ScoredAnswer],
    question_count: int,
    *,
    scale: Scale = FIVE_LEVELS,
) -> ElementScore:
    """Score one element from its answers (every answer must belong to ``element_key``).

    ``question_count`` is the number of scored questions the element asked,
    including those answered "not applicable".
    """
    if question_count < 0:
        raise ValueError(f"question_count must not be negative, not {question_count}.")
    answers = list(answers)
    question_keys: set[str] = set()
    for answer in answers:
        _check_answer(answer, scale=scale)
        if answer.element_key != element_key:
            raise ValueError(
                f"Answer to {answer.question_key!r} belongs to element "
                f"{answer.element_key!r}, not {element_key!r}."
            )
        if answer.question_key in question_keys:
            raise ValueError(f"Question {answer.question_key!r} is answered twice.")
        question_keys.add(answer.question_key)

    not_applicable = sum(1 for answer in answers if answer.not_applicable)
    not_sure = sum(1 for answer in answers if answer.score is None and not answer.not_applicable)
    weighted_scores = [
        (_weight(answer), _to_decimal(answer.score))
        for answer in answers
        if answer.score is not None
    ]
    answered = len(weighted_scores)
    applicable_count = max(question_count - not_applicable, 0)
    total_weight = sum((weight for weight, _score in weighted_scores), Decimal(0))
    if answered * 2 < applicable_count or total_weight == 0:
        return ElementScore(
            element_key=element_key,
            score=None,
            level=None,
            answered=answered,
            question_count=question_count,
            enough=False,
            not_sure=not_sure,
            not_applicable=not_applicable,
        )
    weighted_total = sum((weight * score for weight, score in weighted_scores), Decimal(0))
    mean = (weighted_total / total_weight).quantize(_SCORE_QUANTUM, rounding=ROUND_HALF_UP)
    return ElementScore(
        element_key=element_key,
        score=float(mean),
        level=scale._level_for_decimal(mean),
        answered=answered,
        question_count=question_count,
        enough=True,
        not_sure=not_sure,
        not_applicable=not_applicable,
    )


def score_assessment(
    answers: Iterable[ScoredAnswer],
    question_counts: Mapping[str, int],
    *,
    scale: Scale = FIVE_LEVELS,
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
        element_key: score_element(
            element_key, answers_by_element[element_key], question_count, scale=scale
        )
        for element_key, question_count in question_counts.items()
    }


def combine_team(
    element_scores: Sequence[ElementScore],
    *,
    element_key: str | None = None,
    scale: Scale = FIVE_LEVELS,
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
            scale=scale,
        )
    median = statistics.median(scores)
    lowest, highest = min(scores), max(scores)
    min_level, max_level = scale._level_for_decimal(lowest), scale._level_for_decimal(highest)
    return TeamElementResult(
        element_key=combined_element_key,
        respondents=len(scores),
        median_score=float(median),
        min_score=float(lowest),
        max_score=float(highest),
        median_level=scale._level_for_decimal(median),
        min_level=min_level,
        max_level=max_level,
        disagreement=scale._disagree(min_level, max_level),
        scale=scale,
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


def _to_decimal(score: Score) -> Decimal:
    """A score as an exact Decimal; refuses NaN and infinities."""
    if isinstance(score, Decimal):
        value = score
    elif isinstance(score, int) and not isinstance(score, bool):
        value = Decimal(score)
    elif isinstance(score, numbers.Real) and not isinstance(score, bool):
        # repr() gives the shortest decimal that is this float, so 2.5 stays 2.5.
        value = Decimal(repr(float(score)))
    else:
        raise ValueError(f"A score must be a number, not {score!r}.")
    if not value.is_finite():
        raise ValueError(f"A score must be a finite number, not {score!r}.")
    return value


def _decimal_score(score: float) -> Decimal:
    # Medians in Decimal: the median of 2.4 and 2.6 is exactly 2.5, so level 3.
    return _to_decimal(float(score))


def _weight(answer: ScoredAnswer) -> Decimal:
    if isinstance(answer.weight, Decimal):
        return answer.weight
    # repr() keeps a weight of 0.1 as 0.1 rather than its binary approximation.
    return Decimal(repr(float(answer.weight)))


def _check_answer(answer: ScoredAnswer, *, scale: Scale = FIVE_LEVELS) -> None:
    if answer.not_applicable and answer.score is not None:
        raise ValueError(
            f"Answer to {answer.question_key!r} is not applicable but has score "
            f"{answer.score}; a not applicable answer has no score."
        )
    if answer.score is not None and not scale.contains(answer.score):
        raise ValueError(
            f"Answer to {answer.question_key!r} has score {answer.score}; "
            f"scores run from {scale.lowest} to {scale.highest} on {scale}, "
            "or None for not sure or not applicable."
        )
    weight = _weight(answer)
    if not weight.is_finite() or weight < 0:
        raise ValueError(
            f"Question {answer.question_key!r} has weight {answer.weight}; "
            "weights are finite and not negative."
        )
