"""``manage.py task_worker``: django-tasks-db's ``db_worker`` with a heartbeat, outliving a
database restart.

It takes db_worker's options. Run it rather than ``db_worker`` (``make run``
does, as ``reports.tasks.WORKER_ARGS``; README, "Background jobs"):

- when the database connection is lost (PostgreSQL restarting, a connection
  closed by the server), db_worker stops; this command says so, closes the
  connections, waits (half a second, doubling up to ten) until the database
  answers, fails what it was running then (its plan offers a retry) and goes
  on;
- while it runs, a heartbeat (``reports.worker.Heartbeat``) tells the site
  that the plans it prepares are still being prepared.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from reports.worker import Heartbeat, close_connections, fail_orphaned_work

logger = logging.getLogger("reports.worker")

FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 10.0


class Command(DBWorkerCommand):
    help = (
        "Run the task worker (django-tasks-db's db_worker) with a heartbeat; "
        "it goes on after losing the database"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            while True:
                try:
                    super().handle(*args, **options)
                    return
                except (OperationalError, InterfaceError) as error:
                    logger.warning(
                        "The task worker lost the database (%s); waiting for it to answer",
                        str(error).strip() or type(error).__name__,
                    )
                    self.wait_for_the_database(worker_id)
                    logger.warning("The database answers again: the task worker goes on")
        finally:
            heartbeat.stop()

    def wait_for_the_database(self, worker_id: str) -> None:
        """Back off until the database answers; then fail what was running when it went."""
        delay = FIRST_RETRY_SECONDS
        while True:
            close_connections()
            time.sleep(delay)
            try:
                fail_orphaned_work(worker_id)
                return
            except (OperationalError, InterfaceError):
                delay = min(delay * 2, LAST_RETRY_SECONDS)
