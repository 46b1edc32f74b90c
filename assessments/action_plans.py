"""PDF action plans: request one (or reuse a prepared one), and prepare it in the worker."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from assessments.fingerprint import action_plan_fingerprint
from assessments.models import ActionPlan, Assessment
from assessments.results import AssessmentResult, assessment_result

logger = logging.getLogger(__name__)


def current_action_plan(
    result: AssessmentResult, *, language: str
) -> tuple[str, ActionPlan | None]:
    """The fingerprint of the result in ``language`` and the plan prepared for it, if any."""
    fingerprint = action_plan_fingerprint(result, language=language)
    plan = ActionPlan.objects.filter(
        assessment=result.assessment, language=language, input_hash=fingerprint
    ).first()
    return fingerprint, plan


def action_plan_request(*, result: AssessmentResult, language: str, user: Any) -> ActionPlan:
    """The plan for this result and language: reused when prepared, else queued.

    A failed plan is queued again (the retry button). Requesting twice while it
    is being prepared queues it once.
    """
    from assessments.tasks import prepare_action_plan

    assessment = result.assessment
    fingerprint, plan = current_action_plan(result, language=language)
    if plan is not None and not plan.is_failed:
        return plan
    with transaction.atomic():
        if plan is None:
            try:
                with transaction.atomic():
                    plan = ActionPlan.objects.create(
                        team_id=assessment.team_id,
                        cycle_id=assessment.cycle_id,
                        assessment=assessment,
                        language=language,
                        input_hash=fingerprint,
                        requested_by=user,
                    )
            except IntegrityError:
                # Another request created it a moment ago.
                return ActionPlan.objects.get(
                    assessment=assessment, language=language, input_hash=fingerprint
                )
        else:
            plan.status = ActionPlan.Status.PENDING
            plan.error = ""
            plan.requested_by = user
            plan.save(update_fields=["status", "error", "requested_by"])
        plan_id = plan.pk
        transaction.on_commit(lambda: prepare_action_plan.enqueue(plan_id))
    return plan


def action_plan_prepare(*, plan_id: int) -> ActionPlan:
    """Render the PDF of a queued plan (runs in the task worker)."""
    from assessments import reports

    plan = ActionPlan.objects.select_related("assessment").get(pk=plan_id)
    if plan.is_ready:
        return plan
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.RUNNING)
    try:
        assessment = Assessment.objects.select_related(
            "team__organisation", "cycle", "respondent"
        ).get(pk=plan.assessment_id)
        with translation.override(plan.language):
            result = assessment_result(assessment)
            plan.pdf = reports.render_action_plan(result, language=plan.language)
            plan.filename = reports.action_plan_filename(result, plan.language)
        plan.status = ActionPlan.Status.READY
        plan.error = ""
    except Exception as error:
        logger.exception("Preparing PDF action plan %s failed", plan.pk)
        plan.status = ActionPlan.Status.FAILED
        plan.error = f"{type(error).__name__}: {error}"
    plan.finished_at = timezone.now()
    plan.save(update_fields=["pdf", "filename", "status", "error", "finished_at"])
    return plan
