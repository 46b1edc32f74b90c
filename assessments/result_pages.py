"""The content of a results page, kept until something it shows changes.

A results page scores the answers, draws four or five charts and lays out
every element's guidance: some 30 ms of work, and the busiest page after the
questionnaire. What it shows changes only with the cycle's submitted
assessments (the organisation and team figures), the team's earlier cycles
(its progress), the team's action items, the names on it, the language and
the cycle's rubric. A pinned rubric never changes, and the rest is read in
one small aggregate query: together they key the rendered content in the
cache, with the action plan's fingerprint, so a repeat view renders nothing
but the page around it. A cycle still on the live rubric is rendered anew
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
from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import get_language

from assessments.action_item_services import action_items_for_plan
from assessments.action_plans import Subject
from assessments.fingerprint import templates_digest
from assessments.models import ActionItem, Assessment, Cycle
from assessments.results import AssessmentResult
from cxmaturity.fragments import without_indentation

INTRO_TEMPLATE = "assessments/_result_intro.html"
BODY_TEMPLATE = "assessments/_result_body.html"
# Renames of an earlier cycle (a label in the progress chart) are not in the
# key: they show within this many seconds.
TIMEOUT = 300


@dataclass(frozen=True)
class ResultContent:
    """The page's markup, as UTF-8: kept so, a cached page is neither decoded nor encoded."""

    intro: bytes  # breadcrumb, heading, who answered
    body: bytes  # scoring notes, charts, per-element guidance, reflections
    fingerprint: str  # the action plan's (``assessments.fingerprint``)


PAGE_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "assessments"


def _stamp(*, team_id: int, cycle: Cycle) -> tuple[Any, ...]:
    """What changes when the figures or the action items change: one query.

    The submitted assessments assessment_result reads (the cycle's, and this
    team's from cycles opened no later), and the team's action items in the
    cycle: how many, and when the last changed. Written in SQL because the
    ORM spent more time building these two aggregates than the database did
    answering them, on the busiest page after the questionnaire.
    """
    assessments = Assessment._meta.db_table
    cycles = Cycle._meta.db_table
    items = ActionItem._meta.db_table
    sql = f"""
        SELECT submitted.n, submitted.latest, items.n, items.latest
        FROM (
            SELECT COUNT(*) AS n, MAX(a.updated_at) AS latest
            FROM {assessments} a
            WHERE a.status = %s AND (
                a.cycle_id = %s
                OR (a.team_id = %s AND a.cycle_id IN (
                    SELECT c.id FROM {cycles} c WHERE c.opens_on <= %s
                ))
            )
        ) submitted, (
            SELECT COUNT(*) AS n, MAX(i.updated_at) AS latest
            FROM {items} i
            WHERE i.team_id = %s AND i.cycle_id = %s
        ) items
    """
    parameters: list[Any] = [
        Assessment.Status.SUBMITTED.value,
        cycle.pk,
        team_id,
        cycle.opens_on,
        team_id,
        cycle.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        row = cursor.fetchone()
    return tuple(str(value) for value in row or ())


def _cache_key(subject: Subject, names: tuple[str, ...]) -> str | None:
    cycle = subject.cycle
    team = subject.team
    if not cycle.rubric_version_id or team is None:
        return None
    parts = (
        # The page's own templates: a changed layout is rendered anew, even in a shared cache.
        templates_digest(PAGE_TEMPLATES, "_*.html"),
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
        "committed_step_ids": {item.action_step_id for item in action_items},
    }
    return ResultContent(
        intro=without_indentation(render_to_string(INTRO_TEMPLATE, context)).encode(),
        body=without_indentation(render_to_string(BODY_TEMPLATE, context)).encode(),
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
