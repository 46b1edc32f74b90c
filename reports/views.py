"""Results pages (a respondent's, a team's) and their PDF action plans."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from assessments.models import Assessment
from assessments.selectors import get_assessment_for_user
from organisations.access import get_team_for_user, managed_organisations, visible_teams
from organisations.models import Cycle, Team
from reports import services
from reports.models import ActionPlan
from reports.plans import Subject, action_plan_for_fingerprint
from reports.result_pages import result_content
from results import selectors
from results.selectors import AssessmentResult, assessment_result


def _get_action_plan_for_user(request: HttpRequest, pk: int, *, ready: bool = False) -> ActionPlan:
    """A PDF action plan the user may see (``ready``: one that can be downloaded), else 404.

    A team's or a respondent's plan is visible with its team; an organisation's
    plan to the organisation's CX managers (``organisations.access``).
    """
    visible = ActionPlan.objects.filter(
        Q(team__in=visible_teams(request.user))
        | Q(team__isnull=True, cycle__organisation__in=managed_organisations(request.user))
    )
    action_plan = visible.select_related("team", "cycle").filter(pk=pk).first()
    if action_plan is None or (ready and not action_plan.is_ready):
        raise Http404
    action_plan.fail_if_stuck()
    return action_plan


@require_safe
@login_required
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    if not assessment.is_submitted:
        if assessment.respondent_id == request.user.pk:
            return redirect("assessment_review", pk=assessment.pk)
        raise Http404
    respondent = assessment.respondent
    return _render_result(
        request,
        Subject.of_assessment(assessment),
        lambda: assessment_result(assessment),
        names=(respondent.get_username(), respondent.get_full_name()),
        request_url=reverse("action_plan_request", args=[assessment.pk]),
    )


def _render_result(
    request: HttpRequest,
    subject: Subject,
    load_result: Callable[[], AssessmentResult],
    *,
    names: tuple[str, ...],
    request_url: str,
) -> HttpResponse:
    """A results page; its content comes from ``result_pages`` (kept while unchanged)."""
    team, cycle = subject.team, subject.cycle
    assert team is not None
    content = result_content(
        subject, load_result, names=(team.name, cycle.name, team.organisation.name, *names)
    )
    action_plan = action_plan_for_fingerprint(
        subject, language=get_language(), fingerprint=content.fingerprint
    )
    return render(
        request,
        "reports/results.html",
        {
            "intro": mark_safe(content.intro),  # rendered by the template engine
            "summary": mark_safe(content.summary),
            "body": mark_safe(content.body),
            "action_plan": action_plan,
            "request_url": request_url,
        },
    )


@require_safe
@login_required
def team_result(request: HttpRequest, team_id: int, cycle_id: int) -> HttpResponse:
    team, cycle = _get_team_and_cycle_for_user(request, team_id, cycle_id)
    return _render_result(
        request,
        Subject.of_team(team, cycle),
        lambda: _team_result_or_404(team, cycle),
        names=(),
        request_url=reverse("team_action_plan_request", args=[team.pk, cycle.pk]),
    )


def _get_team_and_cycle_for_user(
    request: HttpRequest, team_id: int, cycle_id: int
) -> tuple[Team, Cycle]:
    team = get_team_for_user(request, team_id)
    return team, get_object_or_404(Cycle, pk=cycle_id, organisation_id=team.organisation_id)


def _team_result_or_404(team: Team, cycle: Cycle) -> AssessmentResult:
    try:
        return selectors.team_result(team, cycle)
    except Assessment.DoesNotExist as error:
        raise Http404 from error


def _request_url(action_plan: ActionPlan) -> str:
    """Where the retry button of a plan posts."""
    if action_plan.kind == ActionPlan.Kind.TEAM:
        return reverse("team_action_plan_request", args=[action_plan.team_id, action_plan.cycle_id])
    if action_plan.kind == ActionPlan.Kind.ORGANISATION:
        return reverse("organisation_action_plan_request", args=[action_plan.cycle_id])
    return reverse("action_plan_request", args=[action_plan.assessment_id])


@require_POST
@login_required
def action_plan_request(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    if not assessment.is_submitted:
        raise Http404
    services.action_plan_request(
        subject=Subject.of_assessment(assessment),
        result=assessment_result(assessment),
        language=get_language(),
        user=request.user,
    )
    return redirect(reverse("assessment_results", args=[assessment.pk]) + "#action-plan")


@require_POST
@login_required
def team_action_plan_request(request: HttpRequest, team_id: int, cycle_id: int) -> HttpResponse:
    team, cycle = _get_team_and_cycle_for_user(request, team_id, cycle_id)
    services.action_plan_request(
        subject=Subject.of_team(team, cycle),
        result=_team_result_or_404(team, cycle),
        language=get_language(),
        user=request.user,
    )
    return redirect(reverse("team_result", args=[team.pk, cycle.pk]) + "#action-plan")


@require_safe
@login_required
def action_plan_status(request: HttpRequest, pk: int) -> JsonResponse:
    action_plan = _get_action_plan_for_user(request, pk)
    html = render_to_string(
        "reports/_action_plan_state.html",
        {"action_plan": action_plan, "request_url": _request_url(action_plan)},
        request=request,
    )
    return JsonResponse({"status": action_plan.status, "html": html})


@require_safe
@login_required
def action_plan_download(request: HttpRequest, pk: int) -> FileResponse:
    action_plan = _get_action_plan_for_user(request, pk, ready=True)
    # FileResponse hands the open file to the server (sendfile where it can).
    return FileResponse(
        action_plan.pdf.open("rb"),
        as_attachment=True,
        filename=action_plan.filename,
        content_type="application/pdf",
    )
