"""PDF action plans: requested from the results page, prepared by a task, served from storage."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from assessments.models import Assessment
from bench import pdf as bench_pdf
from playbook.models import Level
from reports import chart_export, pdf, services, tasks
from reports.apps import runs_the_task_worker
from reports.models import ActionPlan
from reports.plans import action_plan_prepare
from tests.conftest import World, logged_in

FAKE_PDF = b"%PDF-1.7 fake action plan"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the WeasyPrint render with a recorder (the real one is tested in test_reports)."""
    calls: list[str] = []

    def fake_render(result: Any, *, language: str) -> bytes:
        calls.append(language)
        return FAKE_PDF + language.encode()

    monkeypatch.setattr(pdf, "render_action_plan", fake_render)
    return calls


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Tasks are queued and never run (the test runs the task body itself, if at all)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def results_page(client: Client, assessment: Assessment, **extra: Any) -> str:
    return client.get(reverse("assessment_results", args=[assessment.pk]), **extra).content.decode()


def request_plan(
    client: Client, assessment: Assessment, capture: Callable[..., Any], **extra: Any
) -> Any:
    with capture(execute=True):
        return client.post(reverse("action_plan_request", args=[assessment.pk]), **extra)


def test_results_page_offers_to_prepare_the_pdf(
    lead_client: Client, assessment: Assessment
) -> None:
    page = results_page(lead_client, assessment)
    assert "Prepare PDF action plan" in page
    assert reverse("action_plan_request", args=[assessment.pk]) in page


def test_request_queues_a_task_and_the_page_shows_it_is_being_prepared(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    django_capture_on_commit_callbacks: Any,
    queued_tasks: None,
) -> None:
    response = request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    assert response["Location"].endswith("#action-plan")
    plan = ActionPlan.objects.get()
    assert plan.status == ActionPlan.Status.PENDING
    assert plan.language == "en"
    page = results_page(lead_client, assessment)
    assert "Your PDF is being prepared" in page
    assert f'data-action-plan-status="{reverse("action_plan_status", args=[plan.pk])}"' in page
    status = lead_client.get(reverse("action_plan_status", args=[plan.pk])).json()
    assert status["status"] == "pending"
    assert renders == []


def test_prepared_pdf_is_offered_and_downloaded_without_rendering_again(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    plan = ActionPlan.objects.get()
    assert plan.status == ActionPlan.Status.READY
    assert renders == ["en"]

    status = lead_client.get(reverse("action_plan_status", args=[plan.pk])).json()
    assert status["status"] == "ready"
    assert reverse("action_plan_download", args=[plan.pk]) in status["html"]
    assert "Download PDF action plan" in results_page(lead_client, assessment)

    response = lead_client.get(reverse("action_plan_download", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue() == FAKE_PDF + b"en"
    expected = 'attachment; filename="action-plan-alpha-support-2026-h2-en.pdf"'
    assert response["Content-Disposition"] == expected
    # The organisation's data: no shared cache keeps it, the browser stores nothing.
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }

    # Asking again for the unchanged assessment reuses the stored PDF.
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    lead_client.get(reverse("action_plan_download", args=[plan.pk]))
    assert renders == ["en"]
    assert ActionPlan.objects.count() == 1


def test_a_rubric_text_edit_produces_a_new_pdf(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    level = Level.objects.get(element__key="alpha-element", number=2)
    level.description_en = "A sharper description of level 2."
    level.save()
    assert "Prepare PDF action plan" in results_page(lead_client, assessment)
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    assert renders == ["en", "en"]
    assert ActionPlan.objects.filter(status=ActionPlan.Status.READY).count() == 2


def test_each_language_gets_its_own_pdf(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    request_plan(
        lead_client, assessment, django_capture_on_commit_callbacks, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert renders == ["en", "zh-hans"]
    chinese = ActionPlan.objects.get(language="zh-hans")
    response = lead_client.get(reverse("action_plan_download", args=[chinese.pk]))
    assert "action-plan-alpha-support-2026-h2-zh-hans.pdf" in response["Content-Disposition"]


def test_a_failed_task_shows_a_message_and_a_retry_button(
    lead_client: Client,
    assessment: Assessment,
    immediate_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken_render(result: Any, *, language: str) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render_action_plan", broken_render)
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    plan = ActionPlan.objects.get()
    assert plan.status == ActionPlan.Status.FAILED
    assert "disk full" in plan.error
    page = results_page(lead_client, assessment)
    assert "The PDF could not be prepared" in page
    assert "Try again" in page
    status = lead_client.get(reverse("action_plan_status", args=[plan.pk])).json()
    assert status["status"] == "failed"
    assert "Try again" in status["html"]
    assert lead_client.get(reverse("action_plan_download", args=[plan.pk])).status_code == 404

    monkeypatch.setattr(pdf, "render_action_plan", lambda result, language: FAKE_PDF)
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.READY
    assert ActionPlan.objects.count() == 1


# The worker closes its database connections when it stops; only outside a
# test transaction can the test reconnect afterwards (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_prepares_the_pdf(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    assert ActionPlan.objects.get().status == ActionPlan.Status.PENDING
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0, reload=False)
    assert ActionPlan.objects.get().status == ActionPlan.Status.READY
    assert renders == ["en"]


def test_manager_of_the_organisation_may_download(
    manager_client: Client,
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(manager_client, assessment, django_capture_on_commit_callbacks)
    plan = ActionPlan.objects.get()
    assert manager_client.get(reverse("action_plan_download", args=[plan.pk])).status_code == 200


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider"])
def test_nobody_else_may_request_poll_or_download(
    who: str,
    world: World,
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    plan = ActionPlan.objects.get()
    client = logged_in(getattr(world, who))
    assert client.get(reverse("action_plan_status", args=[plan.pk])).status_code == 404
    assert client.get(reverse("action_plan_download", args=[plan.pk])).status_code == 404
    response = request_plan(client, assessment, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert ActionPlan.objects.count() == 1


def test_wrong_methods_are_refused(lead_client: Client, assessment: Assessment) -> None:
    assert lead_client.get(reverse("action_plan_request", args=[assessment.pk])).status_code == 405
    plan = ActionPlan.objects.create(
        team=assessment.team,
        cycle=assessment.cycle,
        assessment=assessment,
        language="en",
        input_hash="x" * 64,
    )
    assert lead_client.post(reverse("action_plan_status", args=[plan.pk])).status_code == 405
    assert lead_client.post(reverse("action_plan_download", args=[plan.pk])).status_code == 405


def test_draft_assessments_have_no_pdf(lead_client: Client, world: World) -> None:
    draft = Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)
    response = lead_client.post(reverse("action_plan_request", args=[draft.pk]))
    assert response.status_code == 404
    assert not ActionPlan.objects.exists()


def test_status_is_json_for_the_polling_script(
    lead_client: Client,
    assessment: Assessment,
    django_capture_on_commit_callbacks: Any,
    renders: list[str],
    queued_tasks: None,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    response = lead_client.get(reverse("action_plan_status", args=[ActionPlan.objects.get().pk]))
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"status", "html"}


def test_a_new_action_item_produces_a_new_pdf(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from action_items.models import ActionItem

    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    assert "Download PDF action plan" in results_page(lead_client, assessment)
    ActionItem.objects.create(
        team=assessment.team, cycle=assessment.cycle, title_en="Map the journey", owner_name="Kim"
    )
    assert "Prepare PDF action plan" in results_page(lead_client, assessment)
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    assert renders == ["en", "en"]


def test_each_plan_is_seen_by_its_teams_and_organisations_people_only(world: World) -> None:
    plans = [
        ActionPlan.objects.create(
            kind=ActionPlan.Kind.TEAM, team=team, cycle=cycle, language="en", input_hash=name
        )
        for name, team, cycle in (
            ("alpha", world.alpha, world.cycle),
            ("beta", world.beta, world.cycle),
            ("gamma", world.gamma, world.globex_cycle),
        )
    ] + [
        ActionPlan.objects.create(
            kind=ActionPlan.Kind.ORGANISATION, cycle=cycle, language="zh-hans", input_hash=name
        )
        for name, cycle in (("acme", world.cycle), ("globex", world.globex_cycle))
    ]
    visible_to = {
        user.username: {
            plan.input_hash
            for plan in plans
            if logged_in(user).get(reverse("action_plan_status", args=[plan.pk])).status_code == 200
        }
        for user in (world.lead, world.lead2, world.manager, world.other_lead, world.outsider)
    }
    assert visible_to == {
        "lead": {"alpha"},
        "lead2": {"beta"},
        "manager": {"alpha", "beta", "acme"},
        "other_lead": {"gamma"},
        "outsider": set(),
    }
    assert len(plans) == 5


def test_the_page_polls_often_at_first_by_the_waits_the_bench_uses(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    queued_tasks: None,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    page = results_page(lead_client, assessment)
    match = re.search(r'data-action-plan-poll="([^"]*)"', page)
    assert match is not None
    delays = json.loads(html.unescape(match[1]))
    # A quarter of a second at first, for the first seconds; then backing off.
    assert delays[:4] == [250, 250, 250, 250]
    assert delays == sorted(delays)
    assert delays[-1] > delays[0]
    # make bench polls by the very same waits, and checks the page gives them.
    assert tuple(delays) == services.ACTION_PLAN_POLL_DELAYS_MS
    assert bench_pdf.ACTION_PLAN_POLL_DELAYS_MS is services.ACTION_PLAN_POLL_DELAYS_MS
    script = (settings.BASE_DIR / "static" / "js" / "action_plan.js").read_text()
    assert 'getAttribute("data-action-plan-poll")' in script


def test_ready_plans_are_not_polled(
    lead_client: Client,
    assessment: Assessment,
    renders: list[str],
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    page = results_page(lead_client, assessment)
    assert "Download PDF action plan" in page
    assert "data-action-plan-poll" not in page


def test_the_worker_takes_a_plan_within_half_a_second_as_make_run_starts_it(
    settings: Any,
) -> None:
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert " ".join(tasks.WORKER_ARGS) in run_target
    interval = float(tasks.WORKER_ARGS[tasks.WORKER_ARGS.index("--interval") + 1])
    assert interval == tasks.WORKER_INTERVAL_SECONDS <= 0.5
    assert "--no-reload" in tasks.WORKER_ARGS  # a reloaded worker would start Chromium anew
    # make bench times the worker started the same way.
    assert bench_pdf.WORKER_ARGS is tasks.WORKER_ARGS


@pytest.mark.parametrize(
    ("argv", "debug", "reloader_child", "expected"),
    [
        (["manage.py", "db_worker", "--no-reload", "--interval", "0.5"], True, False, True),
        (["manage.py", "db_worker"], False, False, True),
        # With autoreload only the reloader's child runs tasks.
        (["manage.py", "db_worker"], True, False, False),
        (["manage.py", "db_worker"], True, True, True),
        (["manage.py", "db_worker", "--reload"], False, False, False),
        # --batch runs what is queued and exits: nothing to warm up for.
        (["manage.py", "db_worker", "--batch", "--no-reload"], False, False, False),
        (["manage.py", "runserver"], False, False, False),
        (["pytest"], False, False, False),
    ],
)
def test_only_the_task_worker_warms_up(
    argv: list[str],
    debug: bool,
    reloader_child: bool,
    expected: bool,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.DEBUG = debug
    if reloader_child:
        monkeypatch.setenv(DJANGO_AUTORELOAD_ENV, "true")
    else:
        monkeypatch.delenv(DJANGO_AUTORELOAD_ENV, raising=False)
    assert runs_the_task_worker(argv) is expected


def test_the_worker_warms_chromium_and_the_fonts_up_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    done: list[str] = []

    def lay_out(html: str) -> bytes:
        done.append("layout")
        return b"%PDF"

    monkeypatch.setattr(chart_export, "warm_up", lambda: done.append("chromium"))
    monkeypatch.setattr(pdf, "write_pdf", lay_out)
    monkeypatch.setattr(sys, "argv", ["manage.py", "db_worker", "--no-reload"])
    apps.get_app_config("reports").ready()
    assert done == ["chromium", "layout"]


def test_a_worker_without_chromium_still_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_chromium() -> None:
        raise chart_export.ChartExportError("no Chromium here")

    monkeypatch.setattr(chart_export, "warm_up", no_chromium)
    monkeypatch.setattr(pdf, "write_pdf", lambda html: b"%PDF")
    tasks.warm_up()
    assert "Could not start Chromium" in caplog.text


def test_warm_chromium_is_the_one_the_first_plan_draws_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.reports.test_chart_export import SVG, FakeServer, bar_figure

    chart_export.stop()
    monkeypatch.setattr(chart_export, "_KaleidoServer", FakeServer)
    FakeServer.plan, FakeServer.started = [], []
    try:
        chart_export.warm_up()
        assert len(FakeServer.started) == 1
        assert FakeServer.started[0].exports == chart_export.TABS  # each tab drew once
        assert chart_export.figure_to_svg(bar_figure(["warm-up test"])) == SVG
        assert len(FakeServer.started) == 1  # no second start for the first plan
    finally:
        chart_export.stop()


def test_a_worker_told_to_stop_mid_plan_leaves_it_failed_with_a_retry(
    lead_client: Client,
    assessment: Assessment,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    queued_tasks: None,
) -> None:
    # Queued, not run: the test runs the task body itself, as the worker would.
    request_plan(lead_client, assessment, django_capture_on_commit_callbacks)
    plan = ActionPlan.objects.get()

    def stopped(result: Any, *, language: str) -> bytes:
        raise SystemExit(143)  # what a second SIGTERM raises in db_worker

    monkeypatch.setattr(pdf, "render_action_plan", stopped)
    with pytest.raises(SystemExit):
        action_plan_prepare(plan_id=plan.pk)

    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.FAILED
    assert plan.error == "SystemExit: 143"
    assert plan.finished_at is not None
    assert "Try again" in results_page(lead_client, assessment)
