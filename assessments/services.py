"""Workflows that write: start an assessment, save a section, submit.

Each is a keyword-only function in one transaction. The assessment row is
locked first and its state re-read, so a replayed POST or an old tab after
submission changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.forms import SectionAnswer
from assessments.models import Answer, Assessment
from assessments.questionnaire import load_questionnaire
from organisations.models import Cycle, Team
from playbook.models import Question


class AssessmentLocked(Exception):
    """The assessment takes no more answers (submitted, or its cycle is closed)."""

    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        if assessment.is_submitted:
            message = _("This assessment has been submitted and can no longer be changed.")
        else:
            message = _("This cycle is closed and takes no more answers.")
        super().__init__(message)
        self.message = message


class CycleClosed(Exception):
    message: str | Promise = _("This cycle is closed and takes no more answers.")


class CycleNotOpenYet(CycleClosed):
    """The cycle is scheduled: it opens on its start date (or when a manager opens it)."""

    def __init__(self, cycle: Cycle) -> None:
        super().__init__()
        self.message = _("This cycle opens on %(date)s; you can start your assessment then.") % {
            "date": date_format(cycle.opens_on, "DATE_FORMAT")
        }


class SubmitRefused(Exception):
    """Required questions are still unanswered."""

    def __init__(self, unanswered: Sequence[Question]) -> None:
        super().__init__(f"{len(unanswered)} required questions unanswered")
        self.unanswered = list(unanswered)


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("cycle").get(pk=assessment.pk)


def assessment_start(*, team: Team, cycle: Cycle, respondent: User) -> Assessment:
    """The respondent's assessment of the team for the cycle, created on first start."""
    with transaction.atomic():
        existing = Assessment.objects.filter(team=team, cycle=cycle, respondent=respondent).first()
        if existing is not None:
            return existing
        if cycle.is_scheduled:
            raise CycleNotOpenYet(cycle)
        if not cycle.is_open:
            raise CycleClosed
        assessment, _created = Assessment.objects.get_or_create(
            team=team, cycle=cycle, respondent=respondent
        )
        return assessment


def assessment_save_section(
    *, assessment: Assessment, section_answers: Sequence[SectionAnswer]
) -> Assessment:
    """Store the answers of one section: upsert the given ones, drop the emptied ones.

    Refused (``AssessmentLocked``) when the assessment was submitted, even in
    another tab a moment ago, or when its cycle, as read with it, is closed.
    Nothing to store (a POST without answer fields) changes nothing, not even
    the time last saved.
    """
    if not assessment.cycle.is_open:
        raise AssessmentLocked(assessment)
    if not section_answers:
        return assessment
    with transaction.atomic():
        now = timezone.now()
        if not _touch_draft(assessment, now):
            raise AssessmentLocked(_lock(assessment))
        filled = [answer for answer in section_answers if not answer.is_empty]
        emptied = [answer.question.pk for answer in section_answers if answer.is_empty]
        if emptied:
            Answer.objects.filter(assessment=assessment, question_id__in=emptied).delete()
        Answer.objects.bulk_create(
            [
                Answer(
                    assessment=assessment,
                    question=answer.question,
                    choice=answer.choice,
                    text=answer.text,
                    note=answer.note,
                    updated_at=now,
                )
                for answer in filled
            ],
            update_conflicts=True,
            unique_fields=["assessment", "question"],
            update_fields=["choice", "text", "note", "updated_at"],
        )
        assessment.updated_at = now
        return assessment


def _touch_draft(assessment: Assessment, now: datetime.datetime) -> bool:
    """Mark the draft as saved ``now``; False when it is no longer a draft.

    One UPDATE both takes the row lock (a submit in another tab waits for
    this save, and the other way round) and checks that the assessment is
    still a draft.
    """
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        updated_at=now
    )
    return updated == 1


def assessment_submit(*, assessment: Assessment) -> Assessment:
    """Submit the assessment; submitting an already submitted one changes nothing.

    Required questions are checked under the row lock, so a section emptied in
    another tab at the same moment cannot slip through.
    """
    with transaction.atomic():
        locked = _lock(assessment)
        if locked.is_submitted:
            return locked
        if not locked.cycle.is_open:
            raise AssessmentLocked(locked)
        unanswered = load_questionnaire(locked).unanswered_required
        if unanswered:
            raise SubmitRefused([question for _section, question in unanswered])
        locked.status = Assessment.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        return locked
