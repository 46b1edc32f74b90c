"""The CX manager's dashboard: one cycle of an organisation across its teams.

``dashboard_data`` gathers, in a fixed number of queries whatever the number
of teams, what the dashboard page and the organisation's PDF action plan
show: each team's completion and median level per element, the organisation
median and spread per element, the teams whose respondents disagree, and the
level changes since the previous cycle (the organisation's cycle that opened
last before this one). ``dashboard.charts`` draws it; the page and the PDF
use the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.models import Assessment
from organisations.models import Cycle, Membership, Organisation, Team
from playbook.models import Element, Framework
from playbook.versions import Rubric, rubric_for_cycle
from results import scoring
from results.selectors import ElementLevelCounts, TeamCycleResult, submitted_scores


@dataclass(frozen=True)
class ElementSpread:
    """One element across the organisation's teams: the median of the team medians and range."""

    element: Element
    median: float | None
    lowest: float | None
    highest: float | None
    teams: int

    @property
    def level(self) -> int | None:
        return scoring.level_for_score(self.median) if self.median is not None else None


@dataclass(frozen=True)
class LevelChange:
    """A level in the previous cycle and in this one (None: no result)."""

    previous: int | None
    current: int | None

    @property
    def difference(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class TeamChanges:
    team: Team
    # In the order of Dashboard.elements.
    changes: list[LevelChange]

    @property
    def moved(self) -> int:
        """How many levels the team moved in all, up or down (elements with both levels)."""
        return sum(abs(change.difference or 0) for change in self.changes)

    @property
    def net(self) -> int:
        """Levels up less levels down."""
        return sum(change.difference or 0 for change in self.changes)


@dataclass(frozen=True)
class Disagreement:
    """A team whose respondents are two levels apart or more on some elements."""

    team: Team
    elements: list[tuple[Element, scoring.TeamElementResult]]


@dataclass(frozen=True)
class FrameworkSpread:
    framework: Framework
    spreads: list[ElementSpread]


@dataclass
class Dashboard:
    organisation: Organisation
    cycle: Cycle
    # Every cycle of the organisation, newest first (the picker's choices).
    cycles: list[Cycle]
    previous_cycle: Cycle | None
    elements: list[Element]
    # Every team of the organisation, by name; elements in the order above.
    teams: list[TeamCycleResult]
    spreads: list[ElementSpread]
    # Teams with results in this cycle or the previous one (empty without a previous cycle).
    team_changes: list[TeamChanges]
    organisation_changes: list[LevelChange]
    # The cycle's rubric, for its levels and guidance (read once per request).
    rubric: Rubric = field(repr=False, compare=False)

    @property
    def assessed_teams(self) -> list[TeamCycleResult]:
        """Teams with at least one submitted assessment in the cycle."""
        return [team for team in self.teams if team.submitted]

    @property
    def submitted_count(self) -> int:
        return len(self.assessed_teams)

    @property
    def in_progress_count(self) -> int:
        return sum(not team.submitted and team.in_progress > 0 for team in self.teams)

    @property
    def not_started_count(self) -> int:
        return len(self.teams) - self.submitted_count - self.in_progress_count

    @property
    def disagreements(self) -> list[Disagreement]:
        found = []
        for team in self.assessed_teams:
            elements = [
                (element, result)
                for element, result in zip(self.elements, team.elements, strict=True)
                if result.disagreement
            ]
            if elements:
                found.append(Disagreement(team=team.team, elements=elements))
        return found

    @property
    def completion_percent(self) -> int:
        """The share of the organisation's teams that submitted, in whole percent."""
        return round(100 * self.submitted_count / len(self.teams)) if self.teams else 0

    @property
    def distribution(self) -> list[ElementLevelCounts]:
        """Per element, how many assessed teams sit at each level (median level)."""
        assessed = self.assessed_teams
        found = []
        for index, element in enumerate(self.elements):
            levels = [team.elements[index].median_level for team in assessed]
            found.append(
                ElementLevelCounts(
                    element=element,
                    level_counts=tuple(
                        levels.count(level)
                        for level in range(scoring.LOWEST_LEVEL, scoring.HIGHEST_LEVEL + 1)
                    ),
                    not_enough=levels.count(None),
                )
            )
        return found

    def most_moved(self, limit: int) -> list[TeamChanges]:
        """The ``limit`` teams that moved most levels since the previous cycle (none unmoved)."""
        moved = [changes for changes in self.team_changes if changes.moved]
        moved.sort(key=lambda changes: (-changes.moved, -abs(changes.net), changes.team.name))
        return moved[:limit]

    def most_disagreeing(self, limit: int) -> list[Disagreement]:
        """The ``limit`` teams that disagree on the most elements."""
        ranked = sorted(self.disagreements, key=lambda found: -len(found.elements))
        return ranked[:limit]

    @property
    def frameworks(self) -> list[FrameworkSpread]:
        """The organisation spreads grouped by framework (the four Cs, the five dimensions...)."""
        grouped: dict[int, FrameworkSpread] = {}
        for spread in self.spreads:
            framework = spread.element.framework
            grouped.setdefault(
                framework.pk, FrameworkSpread(framework=framework, spreads=[])
            ).spreads.append(spread)
        return list(grouped.values())


def cycle_before(cycle: Cycle, cycles: Sequence[Cycle]) -> Cycle | None:
    """The cycle of ``cycles`` that opened last before ``cycle`` did."""
    earlier = [other for other in cycles if other.opens_on < cycle.opens_on]
    return max(earlier, key=lambda other: (other.opens_on, other.pk), default=None)


def _subquery_count(queryset: QuerySet[Any]) -> Coalesce:
    """The number of rows of ``queryset`` (correlated on the team) as an annotation."""
    counted = queryset.order_by().values("team_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _teams_with_completion(cycle: Cycle) -> list[Team]:
    """The organisation's teams, each with ``not_started`` and ``in_progress``: one query.

    Not started counts the team's leads without an assessment in the cycle.
    """
    started = Assessment.objects.filter(
        team_id=OuterRef("team_id"), cycle_id=cycle.pk, respondent_id=OuterRef("user_id")
    )
    leads_not_started = Membership.objects.filter(
        team_id=OuterRef("pk"), role=Membership.Role.LEAD
    ).filter(~Exists(started))
    drafts = Assessment.objects.filter(
        team_id=OuterRef("pk"), cycle_id=cycle.pk, status=Assessment.Status.DRAFT
    )
    return list(
        Team.objects.filter(organisation_id=cycle.organisation_id)
        .annotate(
            not_started=_subquery_count(leads_not_started),
            in_progress=_subquery_count(drafts),
        )
        .order_by("name", "pk")
    )


def _combine(
    assessments: list[dict[str, scoring.ElementScore]], element_key: str
) -> scoring.TeamElementResult:
    # An earlier cycle's pinned rubric may lack an element: it has no result there.
    return scoring.combine_team(
        [scores[element_key] for scores in assessments if element_key in scores],
        element_key=element_key,
    )


def _spread(element: Element, team_medians: list[float]) -> ElementSpread:
    return ElementSpread(
        element=element,
        median=scoring.median_across(team_medians),
        lowest=min(team_medians, default=None),
        highest=max(team_medians, default=None),
        teams=len(team_medians),
    )


def dashboard_data(cycle: Cycle, *, cycles: Sequence[Cycle] | None = None) -> Dashboard:
    """The dashboard of ``cycle`` (whose ``organisation`` should be loaded).

    Pass the organisation's ``cycles`` when they are at hand (one query less).
    Queries: the cycles, the rubric (three when live, none or one when
    pinned), the teams with their completion, and the submitted scores of this
    cycle and the previous one together (two), whatever the number of teams.
    """
    if cycles is None:
        cycles = list(
            Cycle.objects.filter(organisation_id=cycle.organisation_id).order_by("-opens_on", "-pk")
        )
    previous = cycle_before(cycle, cycles)
    rubric = rubric_for_cycle(cycle)
    elements = [element for element in rubric.elements if element.questions.all()]
    teams = _teams_with_completion(cycle)
    cycle_ids = [cycle.pk] if previous is None else [cycle.pk, previous.pk]
    scores: dict[int, dict[int, list[dict[str, scoring.ElementScore]]]] = {
        cycle_id: defaultdict(list) for cycle_id in cycle_ids
    }
    for row in submitted_scores(Assessment.objects.filter(cycle_id__in=cycle_ids), rubric):
        scores[row.cycle_id][row.team_id].append(row.scores)

    current, earlier = scores[cycle.pk], scores[previous.pk] if previous else {}
    team_results = [
        TeamCycleResult(
            team=team,
            not_started=team.not_started,  # type: ignore[attr-defined]
            in_progress=team.in_progress,  # type: ignore[attr-defined]
            submitted=len(current.get(team.pk, [])),
            elements=[_combine(current.get(team.pk, []), element.key) for element in elements],
        )
        for team in teams
    ]
    previous_results = {
        team.pk: [_combine(earlier[team.pk], element.key) for element in elements]
        for team in teams
        if team.pk in earlier
    }

    spreads = [
        _spread(
            element,
            [
                median
                for team in team_results
                if (median := team.elements[index].median_score) is not None
            ],
        )
        for index, element in enumerate(elements)
    ]
    team_changes: list[TeamChanges] = []
    organisation_changes: list[LevelChange] = []
    if previous is not None:
        for team in team_results:
            before = previous_results.get(team.team.pk)
            if before is None and not team.submitted:
                continue
            team_changes.append(
                TeamChanges(
                    team=team.team,
                    changes=[
                        LevelChange(
                            previous=before[index].median_level if before else None,
                            current=result.median_level,
                        )
                        for index, result in enumerate(team.elements)
                    ],
                )
            )
        for index, element in enumerate(elements):
            then = _spread(
                element,
                [
                    median
                    for results in previous_results.values()
                    if (median := results[index].median_score) is not None
                ],
            )
            organisation_changes.append(
                LevelChange(previous=then.level, current=spreads[index].level)
            )

    return Dashboard(
        organisation=cycle.organisation,
        cycle=cycle,
        cycles=list(cycles),
        previous_cycle=previous,
        elements=elements,
        teams=team_results,
        spreads=spreads,
        team_changes=team_changes,
        organisation_changes=organisation_changes,
        rubric=rubric,
    )
