"""Reminder emails to the leads of teams that have not submitted in a cycle closing soon."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet

from assessments.models import Assessment, Reminder
from organisations.models import Cycle, Membership, Team
from organisations.services import email_language, render_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemindersSent:
    sent: int
    failed: int


def _teams_without_submission(cycle: Cycle) -> QuerySet[Team]:
    submitted = Assessment.objects.filter(cycle=cycle, status=Assessment.Status.SUBMITTED).values(
        "team_id"
    )
    return Team.objects.filter(organisation_id=cycle.organisation_id).exclude(pk__in=submitted)


def reminders_send(*, today: datetime.date, days: int) -> RemindersSent:
    """Email each lead of each team that has not submitted in an open cycle closing soon.

    "Soon" is today up to ``days`` days from today. At most one reminder per
    lead, team and cycle a day: the ``Reminder`` row is created first (the
    unique constraint settles two runs at once) and the email sent only when
    the row is new. A failed email rolls its row back, so the next run tries
    again; the others are still sent.
    """
    cycles = Cycle.objects.open(today=today).filter(
        closes_on__gte=today, closes_on__lte=today + datetime.timedelta(days=days)
    )
    sent = failed = 0
    for cycle in cycles.select_related("organisation"):
        leads = (
            Membership.objects.filter(
                role=Membership.Role.LEAD,
                team__in=_teams_without_submission(cycle),
                user__is_active=True,
            )
            .exclude(user__email="")
            .select_related("user__preference", "team")
            .order_by("team__name", "user__username")
        )
        for membership in leads:
            try:
                with transaction.atomic():
                    _reminder, created = Reminder.objects.get_or_create(
                        cycle=cycle, team=membership.team, user=membership.user, sent_on=today
                    )
                    if created:
                        _send_reminder(cycle=cycle, membership=membership, today=today)
            except OSError:  # smtplib.SMTPException is an OSError
                logger.exception("Reminder to %s for cycle %s failed", membership.user.pk, cycle.pk)
                failed += 1
            else:
                if created:
                    sent += 1
    return RemindersSent(sent=sent, failed=failed)


def _send_reminder(*, cycle: Cycle, membership: Membership, today: datetime.date) -> None:
    # In the lead's language (their choice, else the organisation's), whatever
    # language is active where the command runs.
    subject, body = render_email(
        "reminder",
        {
            "user": membership.user,
            "team": membership.team,
            "cycle": cycle,
            "organisation": cycle.organisation,
            "days_left": (cycle.closes_on - today).days,
            # Optional: without a SITE_URL the email names the site but links nowhere.
            "site_url": getattr(settings, "SITE_URL", ""),
        },
        language=email_language(user=membership.user, organisation=cycle.organisation),
    )
    EmailMessage(subject, body, to=[membership.user.email]).send()
