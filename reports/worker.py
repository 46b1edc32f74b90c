"""The task worker's upkeep: a heartbeat, stuck work failed, and going on after losing the
database.

django-tasks-db's ``db_worker`` stops at the first database error other than a
locked SQLite file (upstream: RealOrangeOne/django-tasks-db#49) and keeps no
record that it is alive, so a plan whose worker was killed said "being
prepared" for ever. ``manage.py task_worker`` (``reports.management.commands``)
runs ``db_worker`` with this around it:

- ``Heartbeat``: a thread that records every few seconds that the worker is
  alive (``TaskWorker``), and once a minute fails the work of workers that are
  not (``fail_stuck_work``);
- ``fail_orphaned_work``: once the database is back after a lost connection,
  the task this worker was running when it went is failed (its plan offers a
  retry), and the worker goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.models import ActionPlan, TaskWorker, heartbeat_timeout, time_limit

logger = logging.getLogger(__name__)

# How often the stuck work of other workers is looked for, in seconds.
SWEEP_EVERY_SECONDS = 60


class WorkerLost(Exception):
    """What a task is failed with when the worker running it stopped or lost the database."""


def heartbeat_every() -> float:
    """Six heartbeats to a timeout: a worker is seen dead only after several missed beats."""
    return settings.TASK_WORKER_HEARTBEAT_TIMEOUT / 6


def fail_stuck_work() -> tuple[int, int]:
    """Fail the plans and tasks whose worker died or that ran past the time limit.

    Returns how many plans and how many tasks were failed. A task is the
    django-tasks-db row of the work; its plan is what the user sees.
    """
    plans = ActionPlan.objects.fail_stuck()
    now = timezone.now()
    alive = set(TaskWorker.objects.alive().values_list("worker_id", flat=True))
    limit = time_limit()
    tasks = 0
    # Only the few tasks running now; a task just claimed has a heartbeat to come.
    for result in DBTaskResult.objects.running().filter(started_at__lt=now - heartbeat_timeout()):
        if result.started_at < now - limit:
            result.set_failed(WorkerLost(f"Ran past the time limit of {limit.seconds} s"))
        elif not result.worker_ids or result.worker_ids[-1] not in alive:
            result.set_failed(WorkerLost("Its task worker stopped"))
        else:
            continue
        tasks += 1
    if plans or tasks:
        logger.warning("Failed %s stuck plan(s) and %s stuck task(s)", plans, tasks)
    return plans, tasks


def fail_orphaned_work(worker_id: str) -> None:
    """Fail what this worker was running when it lost the database (it runs one task at a time)."""
    ActionPlan.objects.filter(status=ActionPlan.Status.RUNNING, worker_id=worker_id).update(
        status=ActionPlan.Status.FAILED,
        error="WorkerLost: the task worker lost the database while preparing it",
        finished_at=timezone.now(),
    )
    for result in DBTaskResult.objects.running():
        if result.worker_ids and result.worker_ids[-1] == worker_id:
            result.set_failed(WorkerLost("The task worker lost the database while running it"))


def close_connections() -> None:
    """Close this thread's database connections, broken ones included."""
    for connection in connections.all(initialized_only=True):
        # A broken one raises as it closes; Django drops it all the same.
        with contextlib.suppress(DatabaseError):
            connection.close()


class Heartbeat(threading.Thread):
    """Records every ``heartbeat_every()`` seconds that the worker ``worker_id`` is alive."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self._stopped = threading.Event()
        self._swept_at: float | None = None

    def run(self) -> None:
        try:
            while True:
                self.beat()
                if self._stopped.wait(heartbeat_every()):
                    return
        finally:
            close_connections()

    def beat(self) -> None:
        # Like a request: a connection that broke (the database restarted) is
        # replaced by a new one.
        close_old_connections()
        try:
            now = timezone.now()
            seen = TaskWorker.objects.filter(worker_id=self.worker_id).update(seen_at=now)
            if not seen:
                TaskWorker.objects.create(
                    worker_id=self.worker_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=self.started_at,
                    seen_at=now,
                )
            clock = now.timestamp()
            if self._swept_at is None or clock - self._swept_at >= SWEEP_EVERY_SECONDS:
                fail_stuck_work()
                self._swept_at = clock
        except DatabaseError as error:
            # The worker's own loop says so when the database is gone.
            logger.debug("Heartbeat missed: %s", error)

    def stop(self) -> None:
        """Stop beating and forget this worker: what it ran is not waited for."""
        self._stopped.set()
        if self.is_alive():
            self.join(timeout=heartbeat_every() + 5)
        try:
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.debug("Could not remove the heartbeat of %s", self.worker_id)
