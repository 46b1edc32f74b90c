"""The summary a result opens with: headline levels, priorities, growth opportunity.

Reads nothing but an ``AssessmentResult`` (no queries: the levels' focus areas
come prefetched with the rubric), so the results page and the PDF's executive
summary show the same summary. The rules, as the page words them:

- A framework's headline level is the median of its elements' levels, leaving
  out elements without enough answers. With an even number of levels it is the
  lower of the two middle ones (levels 2, 2, 3, 4 give level 2): a headline
  never claims a level that half the elements have not reached.
- The priorities are the (up to) three elements with the lowest scores across
  the whole result, leaving out elements at the highest level (there is no next
  level) and elements without a score; on equal scores, the element that comes
  first in the rubric goes first. Each comes with the first focus area for
  reaching its next level.
- The growth opportunity is the lowest-scoring element of each framework that
  names one (the four Cs), as ``FrameworkResult.growth_opportunity`` marks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext

from playbook.models import Element, FocusArea, Framework
from results import scoring
from results.selectors import AssessmentResult, ElementResult, FrameworkResult

PRIORITY_COUNT = 3

# The rule in one sentence, shown with the headline levels.
HEADLINE_RULE: Promise = gettext_lazy(
    "A framework's headline level is the median of its elements' levels: put the "
    "levels in order and take the middle one. With an even number of elements it is "
    "the lower of the two middle levels, so half the elements are at that level or "
    "above. Elements without enough answers are left out."
)
PRIORITY_RULE: Promise = gettext_lazy(
    "The three elements with the lowest scores (on a tie, the one listed first in the "
    "rubric), each with the first focus area for reaching its next level."
)


def headline_level(levels: Sequence[int]) -> int | None:
    """The median of ``levels``; of an even number, the lower middle one. None if empty."""
    if not levels:
        return None
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


def framework_anchor(framework: Framework) -> str:
    """The id of a framework's section on the results page (keys are slugs)."""
    return f"framework-{framework.key}"


def element_anchor(element: Element) -> str:
    """The id of an element's section on the results page."""
    return f"element-{element.key}"


@dataclass(frozen=True)
class FrameworkHeadline:
    """One framework's headline level and the element levels it is the median of."""

    framework: Framework
    elements: tuple[ElementResult, ...]
    level: int | None
    # The levels counted, lowest first; elements without a level are not in it.
    levels: tuple[int, ...]
    without_level: int

    @property
    def anchor(self) -> str:
        return framework_anchor(self.framework)

    @property
    def explanation(self) -> str:
        """How this framework's headline level came about, in the active language."""
        listed = pgettext("separator between the numbers of a list", ", ").join(
            str(level) for level in self.levels
        )
        if self.level is None:
            text = gettext("No element has enough answers yet.")
        elif len(self.levels) == 1:
            text = gettext("The level of its one element with enough answers.")
        elif len(self.levels) % 2:
            text = gettext("The middle one of %(count)d element levels (%(levels)s).") % {
                "count": len(self.levels),
                "levels": listed,
            }
        else:
            text = gettext(
                "The lower of the two middle ones of %(count)d element levels (%(levels)s)."
            ) % {"count": len(self.levels), "levels": listed}
        if self.without_level and self.level is not None:
            text += " " + gettext("Left out for lack of answers: %(count)d.") % {
                "count": self.without_level
            }
        return text


@dataclass(frozen=True)
class Priority:
    """One of the lowest elements, with the first focus area for its next level."""

    rank: int  # 1, 2, 3
    framework: Framework
    element: ElementResult
    focus_area: FocusArea | None

    @property
    def anchor(self) -> str:
        return element_anchor(self.element.element)

    @property
    def next_level(self) -> int | None:
        level = self.element.score.level
        return level + 1 if level is not None else None


@dataclass(frozen=True)
class GrowthOpportunity:
    """The lowest-scoring element of a framework that names one (the four Cs)."""

    framework: Framework
    element: ElementResult
    focus_area: FocusArea | None

    @property
    def anchor(self) -> str:
        return element_anchor(self.element.element)


@dataclass(frozen=True)
class ResultSummary:
    headlines: tuple[FrameworkHeadline, ...]
    priorities: tuple[Priority, ...]
    growth_opportunities: tuple[GrowthOpportunity, ...]

    @property
    def growth_opportunity(self) -> GrowthOpportunity | None:
        """The first (in the demo rubric, the only) framework's growth opportunity."""
        return self.growth_opportunities[0] if self.growth_opportunities else None

    @property
    def priority_element_keys(self) -> frozenset[str]:
        """Keys of the priority elements: their guidance opens by default."""
        return frozenset(priority.element.element.key for priority in self.priorities)


def _first_focus_area(element: ElementResult) -> FocusArea | None:
    focus_areas = element.focus_areas
    return focus_areas[0] if focus_areas else None


def _headline(framework_result: FrameworkResult) -> FrameworkHeadline:
    levels = [item.score.level for item in framework_result.elements]
    counted = tuple(sorted(level for level in levels if level is not None))
    return FrameworkHeadline(
        framework=framework_result.framework,
        elements=tuple(framework_result.elements),
        level=headline_level(counted),
        levels=counted,
        without_level=len(levels) - len(counted),
    )


def _priorities(result: AssessmentResult) -> tuple[Priority, ...]:
    candidates = [
        (framework_result.framework, item)
        for framework_result in result.frameworks
        for item in framework_result.elements
        if item.score.score is not None
        and item.score.level is not None
        and item.score.level < scoring.HIGHEST_LEVEL
    ]
    # sorted() is stable: equal scores keep the rubric's order.
    lowest = sorted(candidates, key=lambda candidate: candidate[1].score.score or 0.0)
    return tuple(
        Priority(rank=rank, framework=framework, element=item, focus_area=_first_focus_area(item))
        for rank, (framework, item) in enumerate(lowest[:PRIORITY_COUNT], 1)
    )


def result_summary(result: AssessmentResult) -> ResultSummary:
    """The summary of ``result`` (a respondent's or a team's); no queries."""
    growth = []
    for framework_result in result.frameworks:
        element = framework_result.growth_opportunity
        if framework_result.framework.names_growth_opportunity and element is not None:
            growth.append(
                GrowthOpportunity(
                    framework=framework_result.framework,
                    element=element,
                    focus_area=_first_focus_area(element),
                )
            )
    return ResultSummary(
        headlines=tuple(_headline(framework_result) for framework_result in result.frameworks),
        priorities=_priorities(result),
        growth_opportunities=tuple(growth),
    )
