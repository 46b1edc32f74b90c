"""Email team leads whose team has not submitted in an open cycle that closes soon.

Meant for a daily cron job; running it twice on one day sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments.reminders import reminders_send


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today takes a date such as 2026-09-30, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Remind the leads of teams without a submitted assessment in each open cycle "
        "closing within --days days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="Remind about cycles closing today up to this many days from today (default 7).",
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); for testing and catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days cannot be negative.")
        today = options["today"] or timezone.localdate()
        result = reminders_send(today=today, days=options["days"])
        self.stdout.write(f"Sent {result.sent} reminder(s).")
        if result.failed:
            raise CommandError(f"{result.failed} reminder(s) could not be sent; see the log.")
