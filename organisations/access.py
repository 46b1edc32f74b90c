"""What a user may see: the access rules, written once, and the lookups built on them.

Team leads see the teams they lead; CX managers see every team of the
organisations they manage, and those organisations' cycles. Everything else
looks the same as what does not exist: a 404.

Other apps apply these rules to their own rows (an assessment is visible when
its team is, ``assessments.selectors``; an organisation's action plan when its
organisation is managed, ``reports.views``); none writes a rule of its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from organisations.models import Cycle, Membership, Organisation, Team


class AuthenticatedHttpRequest(HttpRequest):
    """What ``login_required`` views receive: the user is signed in."""

    user: User


def managed_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations ``user`` is CX manager of, by name."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).order_by("name", "pk")


def visible_teams(user: Any) -> QuerySet[Team]:
    """The teams ``user`` leads, and every team of the organisations they manage."""
    if not user.is_authenticated:
        return Team.objects.none()
    led_teams = Membership.objects.filter(user=user, role=Membership.Role.LEAD)
    managed = Membership.objects.filter(user=user, role=Membership.Role.MANAGER)
    return Team.objects.filter(
        Q(pk__in=led_teams.values("team_id"))
        | Q(organisation_id__in=managed.values("organisation_id"))
    )


def get_team_for_user(request: HttpRequest, pk: int) -> Team:
    """A team the user leads or whose organisation they manage, else 404."""
    return get_object_or_404(visible_teams(request.user).select_related("organisation"), pk=pk)


def get_organisation_for_manager(request: HttpRequest, pk: int) -> Organisation:
    """An organisation the user is CX manager of, else 404 (team leads too)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(managed_organisations(request.user), pk=pk)


def get_cycle_for_manager(request: HttpRequest, pk: int) -> Cycle:
    """A cycle of an organisation the user is CX manager of, else 404 (team leads too)."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Cycle.objects.filter(
            organisation__in=managed_organisations(request.user).values("pk")
        ).select_related("organisation"),
        pk=pk,
    )
