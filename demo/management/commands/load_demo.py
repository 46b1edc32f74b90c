"""Load the demo organisation (development only; a second run loads nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.builder import DEMO_PASSWORD, DEMO_USERNAMES, demo_build, demo_exists

__all__ = ["DEMO_PASSWORD", "Command"]


class Command(BaseCommand):
    help = (
        "Load the demo organisation: teams, users, a closed and an open cycle, assessments "
        "and action items. Refuses when DEBUG is off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bare",
            action="store_true",
            help="Only the organisation, its teams, the first four users and the open cycle "
            "(nothing answered): the starting point of the browser tests and the bench.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo data has a published password and is only loaded when DEBUG is on."
            )
        if demo_exists():
            self.stdout.write("The demo organisation is loaded already; nothing changed.")
            return
        usernames = demo_build(bare=options["bare"], verbosity=options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password {DEMO_PASSWORD}): "
                + ", ".join(usernames if usernames else DEMO_USERNAMES)
            )
        )
