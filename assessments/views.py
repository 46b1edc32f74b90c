"""Views: decorated functions that glue forms, services and templates together."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import services
from assessments.forms import SectionForm
from assessments.models import Assessment
from assessments.overview import managed_organisations_with_cycles, team_overview
from assessments.questionnaire import Questionnaire, Section, load_questionnaire
from assessments.selectors import get_assessment_for_user
from organisations.access import get_team_for_user
from organisations.models import Cycle


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/home.html",
        {
            "rows": team_overview(request.user),
            "managed_organisations": managed_organisations_with_cycles(request.user),
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
            # The one Jinja2 template, measured hot (cxmaturity/jinja2.py); it
            # escapes what it shows, and Django's engine takes its output as is.
            "cards": mark_safe(
                render_to_string(
                    "assessments/section_cards.html", {"form": form}, request, using="jinja2"
                )
            ),
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
