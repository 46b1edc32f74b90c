"""The home page's overview: the user's teams in each cycle, and their organisations' progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from assessments.models import Assessment
from organisations.access import visible_teams
from organisations.models import Cycle, Membership, Organisation, Team
from playbook.models import Question
from playbook.versions import rubric_for_version

# A pinned cycle asks exactly its rubric's questions; a live one, the active questions.
ANSWERED = (Q(cycle__rubric_version__isnull=False) | Q(answers__question__active=True)) & (
    Q(answers__choice__isnull=False)
    | (Q(answers__question__kind=Question.Kind.TEXT) & ~Q(answers__text=""))
)


def _state_order(cycle: Cycle) -> int:
    """Open cycles first, then scheduled ones, then closed ones (a stable sort keeps dates)."""
    return 0 if cycle.is_open else 1 if cycle.is_scheduled else 2


@dataclass
class TeamCycleRow:
    team: Team
    cycle: Cycle
    own: Assessment | None = None
    others: list[Assessment] = field(default_factory=list)

    @property
    def can_start(self) -> bool:
        """Only a team's own lead starts its assessment, once the cycle has opened."""
        return self.own is None and bool(getattr(self.team, "led", False)) and self.cycle.is_open

    @property
    def closed_before_submission(self) -> bool:
        """The user's draft stayed a draft when the cycle closed: kept, but no longer editable."""
        return self.own is not None and not self.own.is_submitted and self.cycle.is_closed


def team_overview(user: Any) -> list[TeamCycleRow]:
    """The user's rows: each visible team in each open or scheduled cycle, and each
    draft of their own left in a closed cycle.

    Three queries: teams, cycles with their question count, assessments (plus
    one per pinned rubric this process has not read yet).
    """
    teams = list(
        visible_teams(user)
        .select_related("organisation")
        .annotate(
            led=Exists(
                Membership.objects.filter(
                    team=OuterRef("pk"), user_id=user.pk, role=Membership.Role.LEAD
                )
            )
        )
    )
    own_drafts = Assessment.objects.filter(respondent_id=user.pk, status=Assessment.Status.DRAFT)
    cycles = list(
        Cycle.objects.filter(organisation_id__in={team.organisation_id for team in teams})
        .filter(Q(status=Cycle.Status.OPEN) | Q(pk__in=own_drafts.values("cycle_id")))
        .annotate(
            question_count=Count(
                "frameworks__elements__questions",
                filter=Q(frameworks__elements__questions__active=True),
            )
        )
        .order_by("organisation", "-opens_on", "-pk")
    )
    for cycle in cycles:
        if cycle.rubric_version_id:
            cycle.question_count = sum(  # type: ignore[attr-defined]
                len(element.questions.all())
                for element in rubric_for_version(cycle.rubric_version_id).elements
            )
    rows = {
        (team.pk, cycle.pk): TeamCycleRow(team=team, cycle=cycle)
        for team in teams
        for cycle in cycles
        if cycle.organisation_id == team.organisation_id and not cycle.is_closed
    }
    teams_by_pk = {team.pk: team for team in teams}
    cycles_by_pk = {cycle.pk: cycle for cycle in cycles}
    assessments = (
        Assessment.objects.filter(team__in=teams, cycle__in=cycles)
        .annotate(answered=Count("answers", filter=ANSWERED))
        .select_related("respondent")
        .order_by("respondent__username")
    )
    others: list[Assessment] = []
    for assessment in assessments:
        if assessment.respondent_id != user.pk:
            others.append(assessment)
            continue
        cycle = cycles_by_pk[assessment.cycle_id]
        if cycle.is_closed and assessment.is_submitted:
            continue
        key = (assessment.team_id, assessment.cycle_id)
        if key not in rows:  # a draft left in a closed cycle
            rows[key] = TeamCycleRow(team=teams_by_pk[assessment.team_id], cycle=cycle)
        rows[key].own = assessment
    for other in others:
        row = rows.get((other.team_id, other.cycle_id))
        if row is not None:
            row.others.append(other)
    team_order = {team.pk: index for index, team in enumerate(teams)}
    cycle_order = {cycle.pk: index for index, cycle in enumerate(sorted(cycles, key=_state_order))}
    return sorted(
        rows.values(), key=lambda row: (team_order[row.team.pk], cycle_order[row.cycle.pk])
    )


@dataclass
class ManagedOrganisation:
    organisation: Organisation
    cycles: list[Cycle] = field(default_factory=list)


def managed_organisations_with_cycles(user: Any) -> list[ManagedOrganisation]:
    """The organisations the user is CX manager of, each with its cycles: open ones
    first (latest started first), then scheduled, then closed.

    Each organisation has ``team_count``; each cycle ``submitted_team_count``
    (teams with a submitted assessment) and ``draft_count``. Two queries.
    """
    organisations = {
        organisation.pk: ManagedOrganisation(organisation=organisation)
        for organisation in Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.MANAGER
        )
        .annotate(team_count=Count("teams", distinct=True))
        .order_by("name")
    }
    cycles = Cycle.objects.filter(organisation_id__in=organisations).annotate(
        submitted_team_count=Count(
            "assessments__team",
            filter=Q(assessments__status=Assessment.Status.SUBMITTED),
            distinct=True,
        ),
        draft_count=Count(
            "assessments", filter=Q(assessments__status=Assessment.Status.DRAFT), distinct=True
        ),
    )
    for cycle in sorted(cycles.order_by("-opens_on", "-pk"), key=_state_order):
        organisations[cycle.organisation_id].cycles.append(cycle)
    return list(organisations.values())
