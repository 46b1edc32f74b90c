"""Requesting a PDF action plan: reuse the one prepared for the same inputs, or queue it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from reports.models import ActionPlan
from reports.plans import Subject, current_action_plan
from reports.tasks import prepare_action_plan

# How long the page waits before each look at a plan being prepared, in
# milliseconds; the last wait repeats. Every quarter second for the first
# three seconds (a warm team plan takes two to three), then backing off to
# every two seconds after twelve. The page reads them from its
# ``data-action-plan-poll`` attribute (static/js/action_plan.js), and
# ``make bench`` polls by the same waits (bench/pdf.py).
ACTION_PLAN_POLL_DELAYS_MS: tuple[int, ...] = (250,) * 12 + (500,) * 6 + (1000,) * 6 + (2000,)


def action_plan_request(*, subject: Subject, result: Any, language: str, user: Any) -> ActionPlan:
    """The plan for this result and language: reused when prepared, else queued.

    A failed plan is queued again (the retry button). Requesting twice while it
    is being prepared queues it once.
    """
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
