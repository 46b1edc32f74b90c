"""The content of a results page, kept until something it shows changes.

A results page scores the answers, sums them up (``results.summary``: the
headline levels, priorities and growth opportunity of its first screen), draws
four to six charts and lays out every element's guidance: some 30 ms of work,
and the busiest page after the questionnaire. What it shows changes only with
the cycle's submitted assessments (the organisation and team figures), the
team's earlier cycles (its progress), the team's action items, the names on
it, the language and the cycle's rubric. A pinned rubric never changes, and the rest is read in
two ORM aggregates: together with the language and the page's templates they
key the rendered content in Django's cache (shared by every process when
REDIS_URL is set), with the action plan's fingerprint, so a repeat view renders
nothing but the page around it. A cycle still on the live rubric is rendered anew
each time, as are results that are no longer there (404).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils.translation import get_language

from action_items.models import ActionItem
from action_items.services import action_items_for_plan
from assessments.models import Assessment
from organisations.models import Cycle
from reports.fingerprint import templates_digest
from reports.plans import Subject
from results.charts import assessment_charts
from results.selectors import AssessmentResult
from results.summary import HEADLINE_RULE, PRIORITY_RULE, result_summary

INTRO_TEMPLATE = "reports/_result_intro.html"
SUMMARY_TEMPLATE = "reports/_result_summary.html"
BODY_TEMPLATE = "reports/_result_body.html"
# Renames of an earlier cycle (a label in the progress chart) are not in the
# key: they show within this many seconds.
TIMEOUT = 300


@dataclass(frozen=True)
class ResultContent:
    """The page's markup, rendered by the template engine."""

    intro: str  # breadcrumb, heading, who answered
    summary: str  # headline levels, priorities, growth opportunity, jump links
    body: str  # scoring notes, charts, per-element guidance, reflections
    fingerprint: str  # the action plan's (``reports.fingerprint``)


TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _stamp(*, team_id: int, cycle: Cycle) -> tuple[Any, ...]:
    """What changes when the figures or the action items change: two aggregates.

    The submitted assessments ``assessment_result`` reads (the cycle's, and
    this team's from cycles opened no later), and the team's action items in
    the cycle: how many, and when the last changed.
    """
    submitted = (
        Assessment.objects.submitted()
        .filter(Q(cycle=cycle) | Q(team_id=team_id, cycle__opens_on__lte=cycle.opens_on))
        .aggregate(count=Count("pk"), latest=Max("updated_at"))
    )
    items = ActionItem.objects.filter(team_id=team_id, cycle=cycle).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return (submitted["count"], submitted["latest"], items["count"], items["latest"])


def _cache_key(subject: Subject, names: tuple[str, ...]) -> str | None:
    cycle = subject.cycle
    team = subject.team
    if not cycle.rubric_version_id or team is None:
        return None
    parts = (
        # The page's own templates: a changed layout is rendered anew, even in a shared cache.
        templates_digest(TEMPLATES / "reports", "_*.html"),
        templates_digest(TEMPLATES / "results", "_chart.html"),
        templates_digest(TEMPLATES / "assessments", "_assessment_header.html"),
        subject.kind,
        subject.assessment.pk if subject.assessment else None,
        team.pk,
        cycle.pk,
        cycle.rubric_version_id,
        get_language(),
        names,
        _stamp(team_id=team.pk, cycle=cycle),
    )
    return "result-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _render(subject: Subject, result: AssessmentResult) -> ResultContent:
    assessment = result.assessment
    action_items = action_items_for_plan(team_id=assessment.team_id, cycle_id=assessment.cycle_id)
    context = {
        "assessment": assessment,
        "result": result,
        "charts": assessment_charts(result),
        "summary": result_summary(result),
        "headline_rule": HEADLINE_RULE,
        "priority_rule": PRIORITY_RULE,
        "committed_step_ids": {item.action_step_id for item in action_items},
    }
    return ResultContent(
        intro=render_to_string(INTRO_TEMPLATE, context),
        summary=render_to_string(SUMMARY_TEMPLATE, context),
        body=render_to_string(BODY_TEMPLATE, context),
        fingerprint=subject.fingerprint(result, get_language(), action_items),
    )


def result_content(
    subject: Subject, load_result: Callable[[], AssessmentResult], *, names: tuple[str, ...]
) -> ResultContent:
    """The page's content for ``subject``, from the cache when nothing it shows has changed.

    ``load_result`` computes the result (or raises Http404); ``names``: the
    team, cycle, organisation and respondent names the page shows.
    """
    key = _cache_key(subject, names)
    if key is not None:
        content: ResultContent | None = default_cache.get(key)
        if content is not None:
            return content
    content = _render(subject, load_result())
    if key is not None:
        default_cache.set(key, content, TIMEOUT)
    return content
