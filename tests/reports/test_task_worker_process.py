"""A real ``manage.py task_worker`` process: killed mid-plan, and with the database taken away.

The worker runs as ``make run`` starts it, on the test database: that needs
PostgreSQL, where another process can share the test database. CI runs these
in its PostgreSQL pass; on SQLite they are skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from reports import tasks
from reports.models import ActionPlan, TaskWorker
from tests.reports.test_action_plans import request_plan, results_page
from tests.reports.test_task_worker import status_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="another process shares the test database only on PostgreSQL (CI's second pass)",
    ),
    pytest.mark.django_db(transaction=True),
]

Worker = subprocess.Popen[str]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], Any], *, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}")
        time.sleep(0.01)


@pytest.fixture
def start_worker(tmp_path: Path, settings: Any) -> Iterator[Callable[[], tuple[Worker, Path]]]:
    """Start ``manage.py task_worker`` as make run does, on the test database.

    Returns the process and its log.
    """
    settings.TASK_WORKER_HEARTBEAT_TIMEOUT = 3
    started: list[Worker] = []

    def start() -> tuple[Worker, Path]:
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *tasks.WORKER_ARGS],
                cwd=django_settings.BASE_DIR,
                env={
                    **os.environ,
                    "DATABASE_URL": database_url(),
                    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                    "TASK_WORKER_HEARTBEAT_TIMEOUT": "3",
                    "PYTHONUNBUFFERED": "1",
                },
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )
        started.append(process)
        wait_for(lambda: "Starting worker" in log.read_text(), what="the worker to start")
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def plan_status() -> str:
    return ActionPlan.objects.values_list("status", flat=True).get()


def ask_for_the_plan(client: Client, assessment: Assessment, capture: Any) -> None:
    """The results page's button (and its "Try again")."""
    response = request_plan(client, assessment, capture)
    assert response.status_code == 302


@pytest.mark.parametrize("how", ["SIGKILL", "two SIGTERMs"])
def test_a_worker_killed_mid_plan_leaves_it_failed_and_a_retry_succeeds(
    lead_client: Client,
    assessment: Assessment,
    start_worker: Callable[[], tuple[Worker, Path]],
    django_capture_on_commit_callbacks: Any,
    how: str,
) -> None:
    process, _ = start_worker()
    ask_for_the_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    wait_for(lambda: plan_status() != "pending", what="the worker to take the plan")
    if how == "SIGKILL":
        process.kill()  # as the out-of-memory killer does
    else:
        process.terminate()  # the first asks the worker to finish its task...
        time.sleep(0.2)  # (two signals at once arrive as one)
        process.terminate()  # ...the second stops it (SystemExit)
    process.wait(timeout=30)
    assert plan_status() == ("running" if how == "SIGKILL" else "failed")

    # Killed, its heartbeat stops: within the timeout the page offers a retry.
    plan = ActionPlan.objects.get()
    wait_for(
        lambda: status_of(lead_client, plan)["status"] == "failed",
        what="the plan to fail",
        seconds=30,
    )
    assert "Try again" in results_page(lead_client, assessment)

    start_worker()
    ask_for_the_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    wait_for(lambda: plan_status() == "ready", what="the retried plan")
    download = lead_client.get(reverse("action_plan_download", args=[plan.pk]))
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")


def test_the_worker_goes_on_when_the_database_restarts(
    lead_client: Client,
    assessment: Assessment,
    start_worker: Callable[[], tuple[Worker, Path]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    process, log = start_worker()
    wait_for(TaskWorker.objects.exists, what="the first heartbeat")
    db = connection.settings_dict
    name = db["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (this_test,) = cursor.fetchone()
    # From the maintenance database: no database may refuse its own connections.
    maintenance = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    )
    with maintenance, maintenance.cursor() as cursor:
        # As in a restart: the server ends the worker's connections and
        # refuses new ones for a while ("the database system is shutting down").
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> %s",
                [name, this_test],
            )
            wait_for(lambda: "lost the database" in log.read_text(), what="the worker to notice")
            time.sleep(2)  # several of its tries refused
        finally:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert process.poll() is None  # still running

    wait_for(lambda: "goes on" in log.read_text(), what="the worker to reconnect")
    ask_for_the_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    wait_for(lambda: plan_status() == "ready", what="a plan prepared after the restart")
    assert "Download PDF action plan" in results_page(lead_client, assessment)
