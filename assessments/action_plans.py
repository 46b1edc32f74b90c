"""PDF action plans: request one (or reuse a prepared one), and prepare it in the worker.

A plan has a subject: one respondent's assessment, a team's combined result,
or (for CX managers) a whole organisation's cycle. Each kind says how its
result is built, fingerprinted, rendered and named; everything else (the
queue, the cache, the status and the download) is shared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from assessments.fingerprint import action_plan_fingerprint
from assessments.models import ActionPlan, Assessment, Cycle, Team
from assessments.results import assessment_result, team_result

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subject:
    """What a plan is about: its kind and the rows that identify it."""

    kind: str
    cycle: Cycle
    team: Team | None = None
    assessment: Assessment | None = None

    @classmethod
    def of_assessment(cls, assessment: Assessment) -> Subject:
        return cls(ActionPlan.Kind.ASSESSMENT, assessment.cycle, assessment.team, assessment)

    @classmethod
    def of_team(cls, team: Team, cycle: Cycle) -> Subject:
        return cls(ActionPlan.Kind.TEAM, cycle, team)

    @classmethod
    def of_organisation(cls, cycle: Cycle) -> Subject:
        return cls(ActionPlan.Kind.ORGANISATION, cycle)

    @classmethod
    def of_plan(cls, plan: ActionPlan) -> Subject:
        return cls(plan.kind, plan.cycle, plan.team, plan.assessment)

    def lookup(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "cycle": self.cycle,
            "team": self.team,
            "assessment": self.assessment,
        }

    def result(self) -> Any:
        if self.kind == ActionPlan.Kind.ASSESSMENT:
            assert self.assessment is not None
            return assessment_result(self.assessment)
        if self.kind == ActionPlan.Kind.TEAM:
            assert self.team is not None
            return team_result(self.team, self.cycle)
        from assessments import organisation_reports

        return organisation_reports.organisation_result(self.cycle)

    def fingerprint(self, result: Any, language: str, action_items: Any = None) -> str:
        if self.kind == ActionPlan.Kind.ORGANISATION:
            from assessments import organisation_reports

            return organisation_reports.organisation_fingerprint(result, language=language)
        return action_plan_fingerprint(result, language=language, action_items=action_items)

    def render(self, result: Any, language: str) -> tuple[bytes, str]:
        """The PDF and its file name."""
        if self.kind == ActionPlan.Kind.ORGANISATION:
            from assessments import organisation_reports

            return (
                organisation_reports.render_organisation_plan(result, language=language),
                organisation_reports.organisation_plan_filename(result, language),
            )
        from assessments import reports

        return (
            reports.render_action_plan(result, language=language),
            reports.action_plan_filename(result, language),
        )


def current_action_plan(
    subject: Subject, result: Any, *, language: str, action_items: Any = None
) -> tuple[str, ActionPlan | None]:
    """The fingerprint of the result in ``language`` and the plan prepared for it, if any."""
    fingerprint = subject.fingerprint(result, language, action_items)
    return fingerprint, action_plan_for_fingerprint(
        subject, language=language, fingerprint=fingerprint
    )


def action_plan_for_fingerprint(
    subject: Subject, *, language: str, fingerprint: str
) -> ActionPlan | None:
    """The plan prepared (or being prepared) for exactly these inputs, if any (one query)."""
    return ActionPlan.objects.filter(
        **subject.lookup(), language=language, input_hash=fingerprint
    ).first()


def action_plan_request(*, subject: Subject, result: Any, language: str, user: Any) -> ActionPlan:
    """The plan for this result and language: reused when prepared, else queued.

    A failed plan is queued again (the retry button). Requesting twice while it
    is being prepared queues it once.
    """
    from assessments.tasks import prepare_action_plan

    fingerprint, plan = current_action_plan(subject, result, language=language)
    if plan is not None and not plan.is_failed:
        return plan
    with transaction.atomic():
        if plan is None:
            try:
                with transaction.atomic():
                    plan = ActionPlan.objects.create(
                        **subject.lookup(),
                        language=language,
                        input_hash=fingerprint,
                        requested_by=user,
                    )
            except IntegrityError:
                # Another request created it a moment ago.
                return ActionPlan.objects.get(
                    **subject.lookup(), language=language, input_hash=fingerprint
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
    plan = ActionPlan.objects.select_related(
        "cycle__organisation", "team__organisation", "assessment__respondent"
    ).get(pk=plan_id)
    if plan.is_ready:
        return plan
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.RUNNING)
    try:
        subject = Subject.of_plan(plan)
        if plan.assessment is not None:
            # The result reads these through the assessment.
            plan.assessment.team = plan.team  # type: ignore[assignment]
            plan.assessment.cycle = plan.cycle
        with translation.override(plan.language):
            pdf, plan.filename = subject.render(subject.result(), plan.language)
        plan.pdf.save(f"{plan.pk}-{plan.input_hash[:16]}.pdf", ContentFile(pdf), save=False)
        plan.status = ActionPlan.Status.READY
        plan.error = ""
    except Exception as error:
        logger.exception("Preparing PDF action plan %s failed", plan.pk)
        plan.status = ActionPlan.Status.FAILED
        plan.error = f"{type(error).__name__}: {error}"
    plan.finished_at = timezone.now()
    plan.save(update_fields=["pdf", "filename", "status", "error", "finished_at"])
    return plan
