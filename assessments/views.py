"""Views: decorated functions that glue forms, services and templates together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import action_plans, results, services
from assessments.access import (
    get_action_plan_for_user,
    get_assessment_for_user,
    get_cycle_for_manager,
    get_team_for_user,
)
from assessments.action_plans import Subject, action_plan_for_fingerprint
from assessments.charts import cycle_charts
from assessments.forms import SectionForm
from assessments.models import ActionPlan, Assessment, Cycle, Team
from assessments.overview import managed_organisations, team_overview
from assessments.questionnaire import Questionnaire, Section, load_questionnaire
from assessments.result_pages import result_content
from assessments.results import AssessmentResult, assessment_result


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/home.html",
        {
            "rows": team_overview(request.user),
            "managed_organisations": managed_organisations(request.user),
        },
    )


@require_POST
@login_required
def assessment_start(request: HttpRequest, team_id: int, cycle_id: int) -> HttpResponse:
    team = get_team_for_user(request, team_id)
    cycle = get_object_or_404(Cycle, pk=cycle_id, organisation_id=team.organisation_id)
    try:
        assessment = services.assessment_start(
            team=team, cycle=cycle, respondent=cast(User, request.user)
        )
    except services.CycleClosed as error:
        messages.error(request, str(error.message))
        return redirect("home")
    return redirect("assessment_resume", pk=assessment.pk)


@require_safe
@login_required
def assessment_resume(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    if assessment.is_submitted or assessment.respondent_id != request.user.pk:
        return redirect("assessment_results", pk=assessment.pk)
    section = load_questionnaire(assessment).resume_section
    if section is None:
        return redirect("assessment_review", pk=assessment.pk)
    return redirect("assessment_section", pk=assessment.pk, number=section)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, own=True)
    # A save needs this section's answers only; a page shows every section's progress.
    saving = request.method == "POST"
    questionnaire = load_questionnaire(assessment, only_section=number if saving else None)
    section = questionnaire.section(number)
    if section is None:
        raise Http404
    if saving and assessment.is_locked:
        messages.error(request, str(services.AssessmentLocked(assessment).message))
        return redirect("assessment_resume", pk=assessment.pk)
    if saving and request.POST:
        form = _section_form(questionnaire, section, request.POST)
        if form.is_valid():
            try:
                services.assessment_save_section(
                    assessment=assessment, section_answers=form.section_answers()
                )
            except services.AssessmentLocked as error:
                messages.error(request, str(error.message))
                return redirect("assessment_resume", pk=assessment.pk)
            return _after_save(request, assessment, number, len(questionnaire.sections))
        # The page again, as typed, with the errors and every section's progress.
        return _section_page(request, load_questionnaire(assessment), section, form, status=400)
    if saving:  # nothing posted: the page as stored
        questionnaire = load_questionnaire(assessment)
    return _section_page(request, questionnaire, section, _section_form(questionnaire, section))


def _section_form(questionnaire: Questionnaire, section: Section, data: Any = None) -> SectionForm:
    return SectionForm(
        data,
        element=section.element,
        questions=section.questions,
        choices=questionnaire.rubric.choices_by_question,
        answers=questionnaire.answers,
        locked=questionnaire.assessment.is_locked,
    )


def _section_page(
    request: HttpRequest,
    questionnaire: Questionnaire,
    section: Section,
    form: SectionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": questionnaire.assessment,
            "questionnaire": questionnaire,
            "section": section,
            "form": form,
        },
        status=status,
    )


def _after_save(
    request: HttpRequest, assessment: Assessment, number: int, total: int
) -> HttpResponse:
    action = request.POST.get("action", "next")
    if action == "previous" and number > 1:
        return redirect("assessment_section", pk=assessment.pk, number=number - 1)
    if action == "stay":
        messages.success(request, _("Your answers are saved."))
        return redirect("assessment_section", pk=assessment.pk, number=number)
    if action == "next" and number < total:
        return redirect("assessment_section", pk=assessment.pk, number=number + 1)
    return redirect("assessment_review", pk=assessment.pk)


@require_safe
@login_required
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, own=True)
    if assessment.is_submitted:
        return redirect("assessment_results", pk=assessment.pk)
    questionnaire = load_questionnaire(assessment)
    return render(
        request,
        "assessments/review.html",
        {"assessment": assessment, "questionnaire": questionnaire},
    )


@require_POST
@login_required
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, own=True)
    try:
        services.assessment_submit(assessment=assessment)
    except services.SubmitRefused as error:
        messages.error(
            request,
            _("Not submitted: %(count)d required questions are still unanswered.")
            % {"count": len(error.unanswered)},
        )
        return redirect("assessment_review", pk=assessment.pk)
    except services.AssessmentLocked as error:
        messages.error(request, str(error.message))
        return redirect("assessment_resume", pk=assessment.pk)
    messages.success(request, _("Assessment submitted. Here are your results."))
    return redirect("assessment_results", pk=assessment.pk)


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
        "assessments/results.html",
        {
            "intro": mark_safe(content.intro),  # rendered by the template engine
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
        return results.team_result(team, cycle)
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
    action_plans.action_plan_request(
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
    action_plans.action_plan_request(
        subject=Subject.of_team(team, cycle),
        result=_team_result_or_404(team, cycle),
        language=get_language(),
        user=request.user,
    )
    return redirect(reverse("team_result", args=[team.pk, cycle.pk]) + "#action-plan")


@require_safe
@login_required
def action_plan_status(request: HttpRequest, pk: int) -> JsonResponse:
    action_plan = get_action_plan_for_user(request, pk)
    html = render_to_string(
        "assessments/_action_plan_state.html",
        {"action_plan": action_plan, "request_url": _request_url(action_plan)},
        request=request,
    )
    return JsonResponse({"status": action_plan.status, "html": html})


@require_safe
@login_required
def action_plan_download(request: HttpRequest, pk: int) -> FileResponse:
    action_plan = get_action_plan_for_user(request, pk, ready=True)
    # FileResponse hands the open file to the server (sendfile where it can).
    return FileResponse(
        action_plan.pdf.open("rb"),
        as_attachment=True,
        filename=action_plan.filename,
        content_type="application/pdf",
    )


@require_safe
@login_required
def cycle_overview(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_manager(request, pk)
    overview = results.cycle_overview(cycle)
    return render(
        request,
        "assessments/cycle_overview.html",
        {"cycle": cycle, "overview": overview, "charts": cycle_charts(overview)},
    )
