"""Who may see what: the object lookups every view module shares.

Each returns the object or raises 404, so that whatever a user may not see
looks the same as what does not exist. Team leads see their teams; CX
managers see every team of the organisations they manage.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from assessments.models import (
    ActionPlan,
    Assessment,
    Cycle,
    Membership,
    Organisation,
    Team,
    can_see_action_plan,
    can_see_team,
)


class AuthenticatedHttpRequest(HttpRequest):
    """What ``login_required`` views receive: the user is signed in."""

    user: User


def managed_organisation_ids(user: Any) -> QuerySet[Membership, Any]:
    """The ids of the organisations ``user`` is CX manager of, as a subquery."""
    return Membership.objects.filter(user=user, role=Membership.Role.MANAGER).values(
        "organisation_id"
    )


def get_assessment_for_user(request: HttpRequest, pk: int, *, own: bool = False) -> Assessment:
    """An assessment the user may see (``own``: one they answer themselves), else 404.

    The rule is ``Assessment.objects.visible_to``, checked in Python against the
    user's memberships (read once per request and shared with the navigation).
    """
    assessment = (
        Assessment.objects.select_related("team__organisation", "cycle").filter(pk=pk).first()
    )
    if (
        assessment is None
        or not can_see_team(request.user, assessment.team)
        or (own and assessment.respondent_id != request.user.pk)
    ):
        raise Http404
    if assessment.respondent_id == request.user.pk:
        assessment.respondent = request.user  # type: ignore[assignment]
    return assessment


def get_action_plan_for_user(request: HttpRequest, pk: int, *, ready: bool = False) -> ActionPlan:
    """A PDF action plan the user may see (``ready``: one that can be downloaded), else 404.

    Checked in Python against the user's memberships, like assessments: a
    download then costs one simple query besides them.
    """
    action_plan = ActionPlan.objects.select_related("team", "cycle").filter(pk=pk).first()
    if (
        action_plan is None
        or (ready and not action_plan.is_ready)
        or not can_see_action_plan(request.user, action_plan)
    ):
        raise Http404
    return action_plan


def get_team_for_user(request: HttpRequest, pk: int) -> Team:
    """A team the user leads or whose organisation they manage, else 404."""
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


def get_organisation_for_manager(request: HttpRequest, pk: int) -> Organisation:
    """An organisation the user is CX manager of, else 404 (team leads too)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Organisation.objects.filter(pk__in=managed_organisation_ids(request.user)), pk=pk
    )


def get_cycle_for_manager(request: HttpRequest, pk: int) -> Cycle:
    """A cycle of an organisation the user is CX manager of, else 404 (team leads too)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Cycle.objects.filter(
            organisation_id__in=managed_organisation_ids(request.user)
        ).select_related("organisation"),
        pk=pk,
    )
