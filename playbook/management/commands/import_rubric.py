"""``manage.py import_rubric path``: load a rubric fixture, all or nothing, with its history.

The one way the rubric is loaded (``make setup`` too), so the rubric as
shipped has a first history entry an admin can revert an edit to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext

from playbook.checks import rubric_problems
from playbook.history import rubric_history_record
from playbook.models import Element, Framework, Question


class Command(BaseCommand):
    help = (
        "Load a rubric written by export_rubric (rows matched by their natural keys: "
        "new ones are added, existing ones updated, none deleted), then check that the "
        "rubric is complete in both languages. An incomplete rubric is not imported. "
        "Each row added or changed gets an entry in its admin history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The JSON file export_rubric wrote.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with transaction.atomic():
            call_command("loaddata", str(path.resolve()), verbosity=0)
            problems = rubric_problems()
            if problems:
                # Raised inside the transaction: every row loaded above is rolled back.
                raise CommandError(
                    f"Not imported: the rubric would be incomplete ({len(problems)} problems). "
                    f"Nothing was changed.\n" + "\n".join(f"  - {problem}" for problem in problems)
                )
            # loaddata saves raw, which simple-history does not record.
            reason = gettext("Imported from %(file)s") % {"file": path.name}
            rubric_history_record(change_reason=reason)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {path}: {Framework.objects.count()} frameworks, "
                    f"{Element.objects.count()} elements, {Question.objects.count()} questions; "
                    "the rubric is complete."
                )
            )
