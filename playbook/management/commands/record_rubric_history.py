"""``manage.py record_rubric_history``: a first history entry for rubric rows that lack one.

For sites whose rubric was loaded with ``loaddata`` before ``import_rubric``
recorded history: run once, and every rubric row the admin has not edited
gets the entry an admin can revert a later edit to. Rows the history already
shows as they are keep their history unchanged, so running it again does nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from playbook.history import rubric_history_record


class Command(BaseCommand):
    help = (
        "Give every rubric row without history (or changed since its latest history "
        "entry, e.g. by loaddata) an entry in its admin history. Running it again does nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = rubric_history_record(
            change_reason=gettext("Recorded as found: written without the admin")
        )
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Recorded {recorded} rubric rows in history."))
