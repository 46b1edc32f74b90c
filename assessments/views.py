"""Views: decorated functions that glue forms, services and templates together."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import services, signed_out
from assessments.forms import SectionForm
from assessments.models import Assessment
from assessments.overview import managed_organisations_with_cycles, team_overview
from assessments.questionnaire import Questionnaire, Section, load_questionnaire
from assessments.selectors import get_assessment_for_user
from assessments.session_warning import session_keep_alive
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
def assessment_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _signed_out(request, pk, number)
    assessment = get_assessment_for_user(request, pk, own=True)
    # A save needs this section's answers only; a page shows every section's progress.
    saving = request.method == "POST"
    questionnaire = load_questionnaire(assessment, only_section=number if saving else None)
    section = questionnaire.section(number)
    if section is None:
        raise Http404
    if saving and request.POST:
        return _save(request, questionnaire, section, request.POST)
    if _in_background(request):  # the script asks for a fresh CSRF token
        return JsonResponse({"csrf_token": get_token(request)})
    if request.method == "GET":
        stashed = signed_out.pop_section_post(request.session, pk=pk, number=number)
        if stashed is not None:
            return _save(request, questionnaire, section, stashed, restoring=True)
    if saving:  # nothing posted: the page as stored
        questionnaire = load_questionnaire(assessment)
    return _section_page(request, questionnaire, section, _section_form(questionnaire, section))


def _in_background(request: HttpRequest) -> bool:
    """A save posted by static/js/autosave.js, which reads JSON rather than pages."""
    return request.headers.get("X-Requested-With") == "fetch"


def _signed_out(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """No session: keep what was posted for after sign-in, and send the lead to sign in."""
    kept = request.method == "POST" and signed_out.stash_section_post(
        request.session, pk=pk, number=number, data=request.POST
    )
    login_url = redirect_to_login(request.path)["Location"]
    if _in_background(request):
        # With a CSRF token, for the script to post again (a stale one after
        # sign-in elsewhere is what may have brought it here).
        return JsonResponse(
            {
                "signed_out": True,
                "kept": kept,
                "login_url": login_url,
                "csrf_token": get_token(request),
            },
            status=401,
        )
    if kept or signed_out.has_section_post(request.session, pk=pk, number=number):
        messages.info(
            request, _("You were signed out. Sign in again and your answers will be saved.")
        )
    return redirect(login_url)


def _save(
    request: HttpRequest,
    questionnaire: Questionnaire,
    section: Section,
    data: QueryDict,
    *,
    restoring: bool = False,
) -> HttpResponse:
    """Save the posted (or, after sign-in, the stashed) answers of one section.

    What the lead typed is never dropped: refused answers come back on the
    page as typed, with the errors, or as JSON to the background script.
    """
    assessment = questionnaire.assessment
    # Not disabled even when locked: the page shows back what was typed.
    form = _section_form(questionnaire, section, data, locked=False)
    try:
        if assessment.is_locked:
            raise services.AssessmentLocked(assessment)
        if not form.is_valid():
            return _refused(request, questionnaire, section, form, status=200 if restoring else 400)
        services.assessment_save_section(
            assessment=assessment, section_answers=form.section_answers()
        )
    except services.AssessmentLocked as error:
        form.add_error(None, str(error.message))
        return _refused(request, questionnaire, section, form, status=409)
    session = session_keep_alive(request.session)  # a save is activity
    if _in_background(request):
        saved_at = timezone.localtime(assessment.updated_at)
        return JsonResponse(
            {
                "saved_at": saved_at.isoformat(),
                "saved_at_label": formats.time_format(saved_at, "H:i"),
                "errors": {},
                "session_warn_after": session.warn_after_seconds,
            }
        )
    if restoring:  # a GET: the page itself, as now stored
        messages.success(request, _("Your answers from before you were signed out are saved."))
        questionnaire = load_questionnaire(assessment)
        section = questionnaire.sections[section.number - 1]
        return _section_page(request, questionnaire, section, _section_form(questionnaire, section))
    return _after_save(request, assessment, section.number, len(questionnaire.sections), form)


def _refused(
    request: HttpRequest,
    questionnaire: Questionnaire,
    section: Section,
    form: SectionForm,
    *,
    status: int,
) -> HttpResponse:
    if _in_background(request):
        return JsonResponse(
            {"saved_at": None, "errors": form.errors.get_json_data(), "locked": status == 409},
            status=status,
        )
    # The page again, as typed, with the errors and every section's progress.
    questionnaire = load_questionnaire(questionnaire.assessment)
    return _section_page(request, questionnaire, section, form, status=status)


def _section_form(
    questionnaire: Questionnaire, section: Section, data: Any = None, *, locked: bool | None = None
) -> SectionForm:
    return SectionForm(
        data,
        element=section.element,
        questions=section.questions,
        choices=questionnaire.rubric.choices_by_question,
        answers=questionnaire.answers,
        locked=questionnaire.assessment.is_locked if locked is None else locked,
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
                    "assessments/section_cards.html",
                    {"form": form, "locked": questionnaire.assessment.is_locked},
                    request,
                    using="jinja2",
                )
            ),
            "session": session_keep_alive(request.session),
        },
        status=status,
    )


def _after_save(
    request: HttpRequest, assessment: Assessment, number: int, total: int, form: SectionForm
) -> HttpResponse:
    cleared = form.cleared_questions
    if cleared:  # a "Clear answer" button, without JavaScript: back to that question
        messages.success(request, _("The answer is cleared."))
        url = reverse("assessment_section", kwargs={"pk": assessment.pk, "number": number})
        return redirect(f"{url}#q-{cleared[0].key}")
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
