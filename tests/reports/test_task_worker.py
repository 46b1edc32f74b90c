"""The task worker: stuck plans fail with a retry, a heartbeat, a worker that outlives the
database, and make run keeping the site up when the worker stops.

In-process, on any database; test_task_worker_process starts real workers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.models import DBTaskResult

from assessments.models import Assessment
from reports import tasks, worker
from reports.management.commands import task_worker
from reports.models import ActionPlan, TaskWorker
from reports.plans import action_plan_prepare
from tests.reports.test_action_plans import FAKE_PDF, request_plan, results_page

pytestmark = pytest.mark.django_db

WORKER_ID = "w" * 32


@pytest.fixture
def queued_plan(
    lead_client: Client, assessment: Assessment, django_capture_on_commit_callbacks: Any
) -> ActionPlan:
    """A plan asked for on the results page and queued in the database (no worker runs it)."""
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    return ActionPlan.objects.get()


def taken_by(plan: ActionPlan, worker_id: str, *, started: timedelta = timedelta(0)) -> None:
    """As when a worker took the plan ``started`` ago."""
    ActionPlan.objects.filter(pk=plan.pk).update(
        status=ActionPlan.Status.RUNNING,
        worker_id=worker_id,
        started_at=timezone.now() - started,
    )


def heartbeat(worker_id: str, *, ago: timedelta = timedelta(0)) -> None:
    seen = timezone.now() - ago
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": "host", "pid": 1, "started_at": seen, "seen_at": seen},
    )


def status_of(client: Client, plan: ActionPlan) -> dict[str, str]:
    response = client.get(reverse("action_plan_status", args=[plan.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_plan_whose_worker_is_alive_is_still_being_prepared(
    lead_client: Client, queued_plan: ActionPlan
) -> None:
    heartbeat(WORKER_ID, ago=timedelta(seconds=5))
    taken_by(queued_plan, WORKER_ID, started=timedelta(minutes=2))
    state = status_of(lead_client, queued_plan)
    assert state["status"] == "running"
    assert "being prepared" in state["html"]


@pytest.mark.parametrize(
    "seen_ago", [None, timedelta(seconds=31)], ids=["worker never seen", "heartbeat stopped"]
)
def test_a_plan_whose_worker_died_fails_with_a_retry(
    lead_client: Client,
    assessment: Assessment,
    queued_plan: ActionPlan,
    seen_ago: timedelta | None,
) -> None:
    if seen_ago is not None:
        heartbeat(WORKER_ID, ago=seen_ago)
    taken_by(queued_plan, WORKER_ID, started=timedelta(seconds=40))

    state = status_of(lead_client, queued_plan)
    assert state["status"] == "failed"
    assert "Try again" in state["html"]
    assert "Try again" in results_page(lead_client, assessment)
    queued_plan.refresh_from_db()
    assert queued_plan.status == ActionPlan.Status.FAILED
    assert queued_plan.finished_at is not None
    assert "task worker stopped" in queued_plan.error


def test_a_plan_past_the_time_limit_fails_even_with_its_worker_alive(
    lead_client: Client, assessment: Assessment, queued_plan: ActionPlan, settings: Any
) -> None:
    settings.ACTION_PLAN_TIME_LIMIT = 600
    heartbeat(WORKER_ID)
    taken_by(queued_plan, WORKER_ID, started=timedelta(seconds=599))
    assert "being prepared" in results_page(lead_client, assessment)
    taken_by(queued_plan, WORKER_ID, started=timedelta(seconds=601))
    assert "Try again" in results_page(lead_client, assessment)


def test_asking_again_for_a_stuck_plan_queues_it_again(
    lead_client: Client,
    assessment: Assessment,
    queued_plan: ActionPlan,
    django_capture_on_commit_callbacks: Any,
) -> None:
    taken_by(queued_plan, WORKER_ID, started=timedelta(minutes=1))  # no heartbeat: gone
    assert DBTaskResult.objects.count() == 1

    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)

    queued_plan.refresh_from_db()
    assert queued_plan.status == ActionPlan.Status.PENDING
    assert ActionPlan.objects.count() == 1
    assert DBTaskResult.objects.count() == 2  # queued again
    assert "being prepared" in results_page(lead_client, assessment)


def test_the_worker_records_who_prepares_a_plan_and_since_when(
    queued_plan: ActionPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []

    def render(result: Any, *, language: str) -> bytes:
        plan = ActionPlan.objects.get()
        seen.append((plan.status, plan.worker_id))
        assert plan.started_at is not None
        return FAKE_PDF

    monkeypatch.setattr("reports.pdf.render_action_plan", render)
    action_plan_prepare(plan_id=queued_plan.pk, worker_id=WORKER_ID)
    assert seen == [("running", WORKER_ID)]
    queued_plan.refresh_from_db()
    assert queued_plan.status == ActionPlan.Status.READY


def test_the_heartbeat_records_the_worker_and_forgets_it_when_it_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Beating in this thread: the connection holds the test's transaction,
    # which close_old_connections would close (the heartbeat thread has its own).
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    beat = worker.Heartbeat(WORKER_ID)
    beat.beat()
    first = TaskWorker.objects.get(worker_id=WORKER_ID)
    assert first.pid == os.getpid()
    beat.beat()
    assert TaskWorker.objects.get(worker_id=WORKER_ID).seen_at > first.seen_at
    beat.stop()  # never started: nothing to join
    assert not TaskWorker.objects.exists()


def test_the_sweep_fails_the_plans_and_tasks_of_a_dead_worker_only(
    queued_plan: ActionPlan, assessment: Assessment
) -> None:
    dead, alive = "d" * 32, "a" * 32
    heartbeat(dead, ago=timedelta(minutes=5))
    heartbeat(alive)
    task = DBTaskResult.objects.get()
    task.claim(dead)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=1))
    other = tasks.prepare_action_plan.enqueue(queued_plan.pk)
    running = DBTaskResult.objects.get(pk=other.id)
    running.claim(alive)
    DBTaskResult.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - timedelta(minutes=1)
    )
    taken_by(queued_plan, dead, started=timedelta(minutes=1))

    assert worker.fail_stuck_work() == (1, 1)

    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "Its task worker stopped" in task.traceback
    running.refresh_from_db()
    assert running.status == "RUNNING"
    queued_plan.refresh_from_db()
    assert queued_plan.status == ActionPlan.Status.FAILED


def test_the_worker_goes_on_after_losing_the_database(
    queued_plan: ActionPlan, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """In-process: db_worker's loop raising a lost connection; the PostgreSQL test below is real."""
    taken_by(queued_plan, WORKER_ID)  # what it was preparing when the database went
    runs: list[str] = []

    def db_worker(self: Any, *args: Any, **options: Any) -> None:
        runs.append(options["worker_id"])
        if len(runs) == 1:
            raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(DBWorkerCommand, "handle", db_worker)
    monkeypatch.setattr(task_worker, "FIRST_RETRY_SECONDS", 0)
    # Not this test's own connection: it holds the test's transaction.
    monkeypatch.setattr(task_worker, "close_connections", lambda: None)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    caplog.set_level("WARNING")

    task_worker.Command().handle(worker_id=WORKER_ID)

    assert runs == [WORKER_ID, WORKER_ID]
    assert "lost the database (the database system is shutting down)" in caplog.text
    assert "goes on" in caplog.text
    queued_plan.refresh_from_db()
    assert queued_plan.status == ActionPlan.Status.FAILED
    assert "lost the database" in queued_plan.error


# --- make run: the site stays up when the worker stops -------------------------------

SERVE = Path(django_settings.BASE_DIR) / "scripts" / "serve.sh"


def test_make_run_starts_the_worker_again_when_it_stops_and_says_so(tmp_path: Path) -> None:
    web_pid = tmp_path / "web.pid"
    web = [
        sys.executable,
        "-c",
        f"import os,time; open({str(web_pid)!r},'w').write(str(os.getpid())); time.sleep(60)",
    ]
    starts = tmp_path / "starts"
    stopping_worker = ["sh", "-c", f"echo started >> {starts}; exit 3"]
    process = subprocess.Popen(
        [str(SERVE), *web, "--", *stopping_worker],
        env={**os.environ, "WORKER_RESTART_DELAY": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            not starts.exists() or starts.read_text().count("started") < 3
        ):
            time.sleep(0.05)
        assert starts.read_text().count("started") >= 3  # stopped, started again, twice
        assert process.poll() is None  # the site is still served
        os.kill(int(web_pid.read_text()), 0)  # the web server is alive
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        _, stderr = process.communicate(timeout=30)
    assert "The task worker stopped (exit status 3); starting it again in 0.1 s." in stderr
    with pytest.raises(ProcessLookupError):
        os.kill(int(web_pid.read_text()), 0)  # Ctrl-C stopped the web server too


def test_make_run_starts_the_task_worker_with_its_arguments() -> None:
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/serve.sh $(MANAGE) runserver" in run_target
    assert "-- $(MANAGE) " + " ".join(tasks.WORKER_ARGS) in run_target


def test_the_systemd_unit_runs_the_task_worker_with_a_restart_policy(tmp_path: Path) -> None:
    base = Path(django_settings.BASE_DIR)
    unit = (base / "deploy" / "cxmaturity-worker.service").read_text()
    assert "manage.py " + " ".join(tasks.WORKER_ARGS) in unit
    assert "\nRestart=always\n" in unit
    assert "\nKillMode=mixed\n" in unit  # SIGTERM to the worker alone: it finishes its plan
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    # Verified as installed here: this checkout's paths, no environment file.
    here = (
        unit.replace("/srv/cxmaturity/.venv/bin/python", sys.executable)
        .replace("WorkingDirectory=/srv/cxmaturity", f"WorkingDirectory={base}")
        .replace("EnvironmentFile=/etc/", "EnvironmentFile=-/etc/")
    )
    copy = tmp_path / "cxmaturity-worker.service"
    copy.write_text(here)
    verified = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )
    assert (verified.returncode, verified.stderr) == (0, "")


def test_the_admin_lists_the_task_workers_read_only(
    admin_client_: Client, manager_client: Client
) -> None:
    heartbeat(WORKER_ID)
    changelist = reverse("admin:reports_taskworker_changelist")
    page = admin_client_.get(changelist).content.decode()
    assert "host:1" in page
    assert WORKER_ID in page
    worker = TaskWorker.objects.get()
    change = admin_client_.get(reverse("admin:reports_taskworker_change", args=[worker.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()  # nothing to change
    assert admin_client_.get(reverse("admin:reports_taskworker_add")).status_code == 403
    posted = admin_client_.post(
        reverse("admin:reports_taskworker_change", args=[worker.pk]), {"hostname": "other"}
    )
    assert posted.status_code == 403
    assert TaskWorker.objects.get().hostname == "host"
    # Not staff: the admin's sign-in page, not the list.
    assert manager_client.get(changelist).status_code == 302
