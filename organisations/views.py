"""Manager pages: the organisation's cycles (open, open early, close, reopen), invitations.

A CX manager reaches only their own organisations; everyone else, team
leads included, gets 404. The invitation link is the exception: whoever
holds it may use it once, logged in or not.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organisations import services
from organisations.access import (
    AuthenticatedHttpRequest,
    get_cycle_for_manager,
    get_organisation_for_manager,
)
from organisations.accounts import remember_language_on_login
from organisations.forms import (
    CycleOpenForm,
    InvitationAcceptForm,
    InvitationForm,
    TeamForm,
    username_suggestion,
)
from organisations.models import Invitation, Membership, Team


def _get_invitation_for_token(token: str) -> Invitation | None:
    """Anyone holding the link may use it: the token is the only check."""
    return Invitation.objects.filter(token=token).select_related("team__organisation").first()


@require_safe
@login_required
def cycle_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    return render(
        request,
        "organisations/cycle_list.html",
        {"organisation": organisation, "cycles": services.cycles_with_counts(organisation)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    form = CycleOpenForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(
                organisation=organisation, user=request.user, **form.cleaned_data
            )
        except services.CycleNameTaken as error:
            form.add_error("name", str(error.message))
        else:
            if cycle.is_scheduled:
                message = _(
                    "Cycle %(cycle)s is scheduled: it opens on %(date)s, or when you open it now."
                ) % {"cycle": cycle.name, "date": date_format(cycle.opens_on, "DATE_FORMAT")}
            else:
                message = _("Cycle %(cycle)s is open.") % {"cycle": cycle.name}
            messages.success(request, message)
            return redirect("cycle_list", pk=organisation.pk)
    return render(
        request,
        "organisations/cycle_form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cycle_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm, with the number of drafts left; POST closes the cycle."""
    cycle = get_cycle_for_manager(request, pk)
    if request.method == "POST":
        services.cycle_close(cycle=cycle, user=request.user)
        messages.success(
            request,
            _("Cycle %(cycle)s is closed and takes no more answers.") % {"cycle": cycle.name},
        )
        return redirect("cycle_list", pk=cycle.organisation_id)
    if cycle.is_closed:
        messages.info(request, _("Cycle %(cycle)s is closed already.") % {"cycle": cycle.name})
        return redirect("cycle_list", pk=cycle.organisation_id)
    return render(
        request,
        "organisations/cycle_close.html",
        {
            "organisation": cycle.organisation,
            "cycle": services.cycles_with_counts(cycle.organisation).get(pk=cycle.pk),
        },
    )


@require_POST
@login_required
def cycle_open_early(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open a scheduled cycle today: its leads can start at once."""
    cycle = get_cycle_for_manager(request, pk)
    services.cycle_open_early(cycle=cycle, user=request.user)
    if cycle.is_open:
        messages.success(
            request,
            _("Cycle %(cycle)s is open from today: team leads can start their assessments.")
            % {"cycle": cycle.name},
        )
    else:
        messages.error(
            request, _("Cycle %(cycle)s is closed: reopen it instead.") % {"cycle": cycle.name}
        )
    return redirect("cycle_list", pk=cycle.organisation_id)


@require_POST
@login_required
def cycle_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_manager(request, pk)
    services.cycle_reopen(cycle=cycle, user=request.user)
    messages.success(
        request, _("Cycle %(cycle)s is open again and takes answers.") % {"cycle": cycle.name}
    )
    return redirect("cycle_list", pk=cycle.organisation_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def team_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    form = TeamForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                organisation=organisation, name=form.cleaned_data["name"], user=request.user
            )
        except services.TeamNameTaken as error:
            form.add_error("name", str(error.message))
        else:
            messages.success(
                request,
                _("Team %(team)s added. Invite its lead on the invitations page.")
                % {"team": team.name},
            )
            return redirect("team_list", pk=organisation.pk)
    return render(
        request,
        "organisations/team_list.html",
        {
            "organisation": organisation,
            "form": form,
            "teams": services.teams_with_leads(organisation),
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def team_rename(request: AuthenticatedHttpRequest, pk: int, team_pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    team = get_object_or_404(Team, pk=team_pk, organisation=organisation)
    old_name = team.name
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        team=team,
        initial={"name": team.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_rename(team=team, name=form.cleaned_data["name"], user=request.user)
        except services.TeamNameTaken as error:
            form.add_error("name", str(error.message))
        else:
            messages.success(
                request,
                _("Team %(old)s is now called %(new)s.") % {"old": old_name, "new": team.name},
            )
            return redirect("team_list", pk=organisation.pk)
    return render(
        request,
        "organisations/team_rename.html",
        {"organisation": organisation, "old_name": old_name, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def lead_remove(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes the lead from the team."""
    organisation = get_organisation_for_manager(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "team"),
        pk=membership_pk,
        role=Membership.Role.LEAD,
        team__organisation=organisation,
    )
    team = membership.team
    assert team is not None  # a lead's membership always has its team (a check constraint)
    if request.method == "POST":
        services.lead_remove(membership=membership, user=request.user)
        messages.success(
            request,
            _("%(user)s no longer leads %(team)s. Their assessments are kept.")
            % {
                "user": membership.user.get_full_name() or membership.user.get_username(),
                "team": team.name,
            },
        )
        return redirect("team_list", pk=organisation.pk)
    return render(
        request,
        "organisations/lead_remove.html",
        {"organisation": organisation, "membership": membership},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitation_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    form = InvitationForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            team=form.cleaned_data["team"],
            email=form.cleaned_data["email"],
            invited_by=request.user,
        )
        link = request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
        services.invitation_send(invitation=invitation, link=link)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("invitation_list", pk=organisation.pk)
    now = timezone.now()
    invitations = [
        (invitation, services.invitation_state(invitation, now=now))
        for invitation in organisation.invitations.select_related(
            "team", "invited_by", "accepted_by", "withdrawn_by"
        )
    ]
    return render(
        request,
        "organisations/invitation_list.html",
        {
            "organisation": organisation,
            "form": form,
            "invitations": invitations,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def invitation_withdraw(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    try:
        services.invitation_withdraw(invitation=invitation, user=request.user)
    except services.InvitationUnavailable as error:
        if error.state == services.InvitationState.ACCEPTED:
            message = _("The invitation to %(email)s was accepted already and cannot be withdrawn.")
        else:
            message = _("The invitation to %(email)s has expired; its link no longer works.")
        messages.error(request, message % {"email": invitation.email})
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("invitation_list", pk=organisation.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _get_invitation_for_token(token)
    if invitation is None:
        message = _("This invitation link is not valid. Ask your CX manager for a new one.")
        return render(
            request, "organisations/invitation_gone.html", {"message": message}, status=404
        )
    state = services.invitation_state(invitation, now=timezone.now())
    if state != services.InvitationState.PENDING:
        return _invitation_gone(request, services.InvitationUnavailable(state))
    # Someone logged in joins with their account; anyone else creates one.
    joining = request.user.is_authenticated
    if joining and cast(User, request.user).email.casefold() != invitation.email.casefold():
        # A forwarded or mistyped link must not hand the team to whoever is signed in.
        message = _(
            "This invitation was sent to %(email)s. You are signed in as %(user)s: "
            "log out first, then open the link again."
        ) % {"email": invitation.email, "user": request.user.get_username()}
        return render(
            request, "organisations/invitation_gone.html", {"message": message}, status=403
        )
    form = InvitationAcceptForm(
        request.POST if request.method == "POST" and not joining else None,
        email=invitation.email,
        initial={"username": username_suggestion(invitation.email)},
    )
    if request.method == "POST" and (joining or form.is_valid()):
        try:
            user = _accept(request, invitation, form, joining=joining)
        except services.InvitationUnavailable as error:
            return _invitation_gone(request, error)
        except services.UsernameTaken as error:
            form.add_error("username", str(error.message))
        else:
            messages.success(
                request, _("Welcome! You now lead %(team)s.") % {"team": invitation.team.name}
            )
            if joining:
                return redirect("home")
            # A new account keeps the language chosen on the invitation page.
            return remember_language_on_login(request, redirect("home"), user)
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "form": form, "joining": joining},
        status=400 if form.is_bound else 200,
    )


def _accept(
    request: HttpRequest, invitation: Invitation, form: InvitationAcceptForm, *, joining: bool
) -> User:
    if joining:
        assert isinstance(request.user, User)
        return services.invitation_accept(invitation=invitation, user=request.user)
    user = services.invitation_accept(
        invitation=invitation,
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password1"],
    )
    # Two backends are configured (the log-in throttle's first): name the one
    # that holds the account just made.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def _invitation_gone(request: HttpRequest, error: services.InvitationUnavailable) -> HttpResponse:
    return render(
        request, "organisations/invitation_gone.html", {"message": error.message}, status=410
    )
