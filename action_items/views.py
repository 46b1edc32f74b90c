"""Action item pages: commit a step from the results, the team's and organisation's lists, edit.

Who sees what: a team lead the items of their own teams, a CX manager those of
every team of their organisation; anyone else gets 404. The helpers at the
top are the only way views reach rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from action_items import services
from action_items.forms import (
    ActionItemCreateForm,
    ActionItemFieldsForm,
    ActionItemFilterForm,
    step_options,
)
from action_items.models import ActionItem
from assessments.models import Assessment
from assessments.selectors import get_assessment_for_user
from organisations.access import (
    AuthenticatedHttpRequest,
    get_organisation_for_manager,
    get_team_for_user,
    visible_teams,
)
from organisations.models import Cycle, Team
from results.selectors import AssessmentResult, assessment_result, team_result


def _get_submitted_assessment_for_user(request: AuthenticatedHttpRequest, pk: int) -> Assessment:
    """A submitted assessment of a team the user leads or manages, else 404."""
    assessment = get_assessment_for_user(request, pk)
    if not assessment.is_submitted:
        raise Http404
    return assessment


def _get_cycle_for_team(team: Team, pk: int) -> Cycle:
    """A cycle of the team's organisation, else 404."""
    return get_object_or_404(Cycle, pk=pk, organisation_id=team.organisation_id)


def _get_action_item_for_user(request: AuthenticatedHttpRequest, pk: int) -> ActionItem:
    return get_object_or_404(
        services.action_items_with_related(
            ActionItem.objects.filter(team__in=visible_teams(request.user))
        ).select_related("team__organisation"),
        pk=pk,
    )


@dataclass(frozen=True)
class ItemRow:
    item: ActionItem
    element_name: str


def _rows(form: ActionItemFilterForm, items: QuerySet[ActionItem]) -> list[ItemRow]:
    """The filtered items with their element's name: one query whatever their number."""
    return [
        ItemRow(item=item, element_name=form.element_name(item.element_key))
        for item in services.action_items_with_related(form.filter(items))
    ]


def _team_list_url(team: Team, cycle: Cycle) -> str:
    return reverse("team_action_items", args=[team.pk]) + "?" + urlencode({"cycle": cycle.pk})


def _next_url(request: AuthenticatedHttpRequest, fallback: str) -> str:
    """Where to go after saving: back to the (filtered) list the user came from."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def action_item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Commit a step of one respondent's result."""
    assessment = _get_submitted_assessment_for_user(request, pk)
    return _commit(
        request,
        team=assessment.team,
        cycle=assessment.cycle,
        result=assessment_result(assessment),
        back_url=reverse("assessment_results", args=[assessment.pk]),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def team_action_item_create(
    request: AuthenticatedHttpRequest, pk: int, cycle_id: int
) -> HttpResponse:
    """Commit a step of the team's combined result (its steps follow the median levels)."""
    team = get_team_for_user(request, pk)
    cycle = _get_cycle_for_team(team, cycle_id)
    try:
        result = team_result(team, cycle)
    except Assessment.DoesNotExist as error:  # nobody in the team has submitted
        raise Http404 from error
    return _commit(
        request,
        team=team,
        cycle=cycle,
        result=result,
        back_url=reverse("team_result", args=[team.pk, cycle.pk]),
    )


# Items of a closed cycle can still be followed up (edited), not added to.
CLOSED_CYCLE_MESSAGE = gettext_lazy(
    "This cycle is closed: its action items can still be updated, but no new ones added."
)


def _commit(
    request: AuthenticatedHttpRequest,
    *,
    team: Team,
    cycle: Cycle,
    result: AssessmentResult,
    back_url: str,
) -> HttpResponse:
    committed = services.committed_items(team=team, cycle=cycle)
    form = ActionItemCreateForm(
        request.POST if request.method == "POST" else None,
        organisation=team.organisation,
        options=step_options(result),
        committed=set(committed),
        # The person committing the step owns it unless they choose someone else.
        initial={"step": request.GET.get("step"), "owner": request.user.pk},
    )
    if request.method == "POST" and cycle.is_closed:
        form.add_error(None, CLOSED_CYCLE_MESSAGE)
    elif request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(
                team=team,
                cycle=cycle,
                action_step=form.option.step,
                element_key=form.option.element.key,
                user=request.user,
                **form.item_values(),
            )
        except services.StepAlreadyCommitted as error:
            form.add_error("step", str(error.message))
        else:
            messages.success(
                request, _("The step is now an action item of %(team)s.") % {"team": team.name}
            )
            return redirect(_team_list_url(team, cycle))
    requested = request.GET.get("step", "")
    context = {
        "team": team,
        "cycle": cycle,
        "form": form,
        "existing": committed.get(int(requested)) if requested.isdigit() else None,
        "back_url": back_url,
    }
    return render(
        request, "action_items/create.html", context, status=400 if form.is_bound else 200
    )


@require_safe
@login_required
def team_action_items(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_team_for_user(request, pk)
    form = ActionItemFilterForm(request.GET, organisation=team.organisation, team=team)
    rows = _rows(form, team.action_items.all())
    cycle = form.selected_cycle
    previous = cycle.previous() if cycle is not None else None
    waiting = (
        len(services.items_to_carry_over(team=team, cycle=cycle, previous=previous))
        if cycle is not None and previous is not None
        else 0
    )
    return render(
        request,
        "action_items/team_list.html",
        {
            "team": team,
            "form": form,
            "rows": rows,
            "today": timezone.localdate(),
            "cycle": cycle,
            "previous_cycle": previous,
            "waiting": waiting,
        },
    )


@require_POST
@login_required
def action_item_carry_over(
    request: AuthenticatedHttpRequest, pk: int, cycle_id: int
) -> HttpResponse:
    team = get_team_for_user(request, pk)
    cycle = _get_cycle_for_team(team, cycle_id)
    if cycle.is_closed:
        messages.error(request, str(CLOSED_CYCLE_MESSAGE))
        return redirect(_team_list_url(team, cycle))
    copies = services.action_item_carry_over(team=team, cycle=cycle, user=request.user)
    if copies:
        messages.success(
            request,
            ngettext(
                "%(count)d open item carried over.",
                "%(count)d open items carried over.",
                len(copies),
            )
            % {"count": len(copies)},
        )
    else:
        messages.info(request, _("There were no open items left to carry over."))
    return redirect(_team_list_url(team, cycle))


@require_safe
@login_required
def organisation_action_items(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    form = ActionItemFilterForm(request.GET, organisation=organisation)
    rows = _rows(form, ActionItem.objects.filter(team__organisation=organisation))
    return render(
        request,
        "action_items/organisation_list.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": rows,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def action_item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _get_action_item_for_user(request, pk)
    initial = {
        "status": item.status,
        "owner": item.owner_id,
        "owner_name": item.owner_name,
        "due_date": item.due_date,
        "notes": item.notes,
    }
    form = ActionItemFieldsForm(
        request.POST if request.method == "POST" else None,
        organisation=item.team.organisation,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        services.action_item_update(item=item, user=request.user, **form.item_values())
        messages.success(request, _("Action item saved."))
        return redirect(_next_url(request, _team_list_url(item.team, item.cycle)))
    return render(
        request,
        "action_items/edit.html",
        {"item": item, "form": form, "next": _next_url(request, "")},
        status=400 if form.is_bound else 200,
    )
