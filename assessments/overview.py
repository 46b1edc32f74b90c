"""The home page's overview: each visible team in each open cycle, with assessment status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

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


@dataclass
class TeamCycleRow:
    team: Team
    cycle: Cycle
    own: Assessment | None = None
    others: list[Assessment] = field(default_factory=list)


def team_overview(user: Any) -> list[TeamCycleRow]:
    """Three queries: teams, open cycles with their question count, assessments.

    (Plus one per pinned rubric this process has not read yet.)
    """
    teams = list(visible_teams(user).select_related("organisation"))
    cycles = list(
        Cycle.objects.open()
        .filter(organisation_id__in={team.organisation_id for team in teams})
        .annotate(
            question_count=Count(
                "frameworks__elements__questions",
                filter=Q(frameworks__elements__questions__active=True),
            )
        )
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
        if cycle.organisation_id == team.organisation_id
    }
    assessments = (
        Assessment.objects.filter(team__in=teams, cycle__in=cycles)
        .annotate(answered=Count("answers", filter=ANSWERED))
        .select_related("respondent")
        .order_by("respondent__username")
    )
    for assessment in assessments:
        row = rows[(assessment.team_id, assessment.cycle_id)]
        if assessment.respondent_id == user.pk:
            row.own = assessment
        else:
            row.others.append(assessment)
    return list(rows.values())


@dataclass
class ManagedOrganisation:
    organisation: Organisation
    cycles: list[Cycle] = field(default_factory=list)


def managed_organisations_with_cycles(user: Any) -> list[ManagedOrganisation]:
    """The organisations the user is CX manager of, each with its cycles (open first).

    Two queries.
    """
    organisations = {
        organisation.pk: ManagedOrganisation(organisation=organisation)
        for organisation in Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.MANAGER
        ).order_by("name")
    }
    for cycle in Cycle.objects.filter(organisation_id__in=organisations).order_by(
        "status", "-opens_on"
    ):
        organisations[cycle.organisation_id].cycles.append(cycle)
    return list(organisations.values())
