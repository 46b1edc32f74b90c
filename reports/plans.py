"""PDF action plans: what each kind is about, finding the plan for a result, preparing it.

A plan has a subject: one respondent's assessment, a team's combined result,
or (for CX managers) a whole organisation's cycle. Each kind says how its
result is built, fingerprinted, rendered and named; everything else (the
queue, the cache, the status and the download) is shared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation

from assessments.models import Assessment
from organisations.models import Cycle, Team
from reports import pdf
from reports.fingerprint import action_plan_fingerprint
from reports.models import ActionPlan
from results.selectors import AssessmentResult, assessment_result, team_result

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
        return KINDS[self.kind].result(self)

    def fingerprint(self, result: Any, language: str, action_items: Any = None) -> str:
        return KINDS[self.kind].fingerprint(result, language, action_items)

    def render(self, result: Any, language: str) -> tuple[bytes, str]:
        """The PDF and its file name."""
        kind = KINDS[self.kind]
        return kind.render(result, language), kind.filename(result, language)


@dataclass(frozen=True)
class PlanKind:
    """How one kind of plan builds its result, fingerprints, renders and names it."""

    result: Callable[[Subject], Any]
    fingerprint: Callable[[Any, str, Any], str]
    render: Callable[[Any, str], bytes]
    filename: Callable[[Any, str], str]


# The kinds of plan by ``ActionPlan.Kind``. A respondent's and a team's plans are
# defined here; the organisation plan by the dashboard app, which builds on this
# one (``dashboard.apps``), so this app never imports it.
KINDS: dict[str, PlanKind] = {}


def register_kind(kind: str, plan_kind: PlanKind) -> None:
    KINDS[kind] = plan_kind


def _result_of_assessment(subject: Subject) -> AssessmentResult:
    assert subject.assessment is not None
    return assessment_result(subject.assessment)


def _result_of_team(subject: Subject) -> AssessmentResult:
    assert subject.team is not None
    return team_result(subject.team, subject.cycle)


def _fingerprint(result: AssessmentResult, language: str, action_items: Any) -> str:
    return action_plan_fingerprint(result, language=language, action_items=action_items)


def _render(result: AssessmentResult, language: str) -> bytes:
    return pdf.render_action_plan(result, language=language)


for _kind, _result in (
    (ActionPlan.Kind.ASSESSMENT, _result_of_assessment),
    (ActionPlan.Kind.TEAM, _result_of_team),
):
    register_kind(
        _kind,
        PlanKind(
            result=_result,
            fingerprint=_fingerprint,
            render=_render,
            filename=pdf.action_plan_filename,
        ),
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
    """The plan prepared (or being prepared) for exactly these inputs, if any.

    One query; two for a plan being prepared, to see that it is not stuck
    (``ActionPlan.fail_if_stuck``: then it is failed, with the retry button).
    """
    plan = ActionPlan.objects.filter(
        **subject.lookup(), language=language, input_hash=fingerprint
    ).first()
    if plan is not None:
        plan.fail_if_stuck()
    return plan


def action_plan_prepare(*, plan_id: int, worker_id: str = "") -> ActionPlan:
    """Render the PDF of a queued plan (runs in the task worker ``worker_id``)."""
    plan = ActionPlan.objects.select_related(
        "cycle__organisation", "team__organisation", "assessment__respondent"
    ).get(pk=plan_id)
    if plan.is_ready:
        return plan
    # Who prepares it since when: a plan whose worker dies, or that takes too
    # long, is seen as stuck and offered again (ActionPlanQuerySet.stuck).
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.RUNNING, started_at=timezone.now(), worker_id=worker_id
    )
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
    except BaseException as error:
        # BaseException: a worker told to stop (SystemExit from a second
        # SIGTERM, KeyboardInterrupt) still leaves the plan failed, with the
        # retry button, instead of "running" for ever; then it stops.
        logger.exception("Preparing PDF action plan %s failed", plan.pk)
        plan.status = ActionPlan.Status.FAILED
        plan.error = f"{type(error).__name__}: {error}"
        if not isinstance(error, Exception):
            _finish(plan)
            raise
    _finish(plan)
    return plan


def _finish(plan: ActionPlan) -> None:
    plan.finished_at = timezone.now()
    plan.save(update_fields=["pdf", "filename", "status", "error", "finished_at"])
