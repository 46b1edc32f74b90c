"""Load the demo organisation and users (development only; safe to run twice)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from organisations.models import Cycle
from playbook.versions import rubric_version_for

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_USERNAMES = ("admin", "manager", "lead", "lead2")
DEMO_PASSWORD = "cx-demo-2026"


class Command(BaseCommand):
    help = "Load the demo organisation, teams, users and open cycle. Refuses when DEBUG is off."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo data has a published password and is only loaded when DEBUG is on."
            )
        call_command("loaddata", str(DEMO_FIXTURE), verbosity=options["verbosity"])
        # Like every cycle opened in the app, the demo cycle reads a pinned rubric.
        for cycle in Cycle.objects.filter(
            rubric_version__isnull=True, organisation__slug="northwind"
        ):
            cycle.rubric_version = rubric_version_for(cycle.frameworks.all())
            cycle.save(update_fields=["rubric_version"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(DEMO_USERNAMES)
            )
        )
