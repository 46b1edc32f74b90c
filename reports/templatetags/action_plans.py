"""Template tags of the PDF action plan box (``templates/reports/_action_plan.html``)."""

from __future__ import annotations

import json

from django import template

from reports.services import ACTION_PLAN_POLL_DELAYS_MS

register = template.Library()


@register.simple_tag
def action_plan_poll_delays() -> str:
    """The polling waits as a JSON list of milliseconds, for ``data-action-plan-poll``."""
    return json.dumps(list(ACTION_PLAN_POLL_DELAYS_MS), separators=(",", ":"))
