"""Background tasks (django.tasks; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django.tasks import task

from reports.plans import action_plan_prepare


@task()
def prepare_action_plan(plan_id: int) -> str:
    return action_plan_prepare(plan_id=plan_id).status
