"""PDF timings for ``make bench``, measured on the bench database.

``bench/pdf.py ASSESSMENT`` (preparation, in this one process) prints JSON:
the reference render (a static four-page document through WeasyPrint), the
first plan preparation after the process starts (Chromium cold), warm
preparations, and the id of a ready plan for the download case.
Each preparation is timed right after a reference render and divided by it.
Warm preparations are timed twice: with every chart drawn anew by Chromium
(the cache emptied first: new answers, another language), and with the
charts' drawings kept (the same numbers: new action items, edited guidance).

``bench/pdf.py click ASSESSMENT BASE_URL SESSION CSRF`` (click to file, from the
user's side) times the team plan of the assessment's team as its lead gets it
from the site at BASE_URL: the POST of the request button, the team result page
it redirects to, that page's polling of the status URL (by the waits the page
itself gives, ``data-action-plan-poll``), then the GET of the PDF, until its
last byte. A task worker is started for it (``task_worker`` with the arguments of
the Makefile's ``run`` target, ``reports.tasks.WORKER_ARGS``): the first click
after it has started is the cold one, five more are warm, each after a change
of one answer so that the plan and its charts are new to the worker. Each click
is divided by the floor timed just before it: WeasyPrint laying out the same
plan's HTML (``action_plan_html``, charts drawn), the least a plan can cost.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from html import unescape
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from weasyprint import HTML  # noqa: E402

from assessments.models import Answer, Assessment  # noqa: E402
from reports import chart_export, pdf  # noqa: E402
from reports.models import ActionPlan  # noqa: E402
from reports.plans import action_plan_prepare  # noqa: E402
from reports.services import ACTION_PLAN_POLL_DELAYS_MS  # noqa: E402
from reports.tasks import WORKER_ARGS  # noqa: E402
from results import charts  # noqa: E402
from results.selectors import team_result  # noqa: E402

REFERENCE = ROOT / "bench" / "reference.html"
WARM_RUNS = 5
# Click to file: the worker must have started (warmed up) within this time,
# and a plan must be ready within this time of its request.
WORKER_START_SECONDS = 120.0
CLICK_TIMEOUT_SECONDS = 120.0


def reference_render() -> float:
    """Seconds for one WeasyPrint render of the static four-page reference."""
    started = time.perf_counter()
    pdf = HTML(string=REFERENCE.read_text(), base_url=str(REFERENCE.parent)).write_pdf()
    elapsed = time.perf_counter() - started
    assert pdf.startswith(b"%PDF")
    return elapsed


def paired(measure: Callable[[], float]) -> tuple[float, float]:
    """``measure()`` right after a reference render: (seconds, ratio to that render).

    Each preparation has its own reference next to it, so a machine that
    changes speed during the run moves both sides of a ratio alike.
    """
    reference = reference_render()
    seconds = measure()
    return seconds, seconds / reference


def prepare(assessment: Assessment, language: str, index: int, *, drawn: bool = True) -> float:
    """Seconds to prepare a new plan; ``drawn``: with no chart drawing kept."""
    if drawn:
        cache.clear()
    plan = ActionPlan.objects.create(
        kind=ActionPlan.Kind.ASSESSMENT,
        team=assessment.team,
        cycle=assessment.cycle,
        assessment=assessment,
        language=language,
        input_hash=f"bench-{index}-{time.time_ns()}",
    )
    started = time.perf_counter()
    plan = action_plan_prepare(plan_id=plan.pk)
    elapsed = time.perf_counter() - started
    if not plan.is_ready:
        raise SystemExit(f"bench plan failed: {plan.error}")
    return elapsed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """The lead's browser on the bench site: their session, a CSRF cookie, no redirects."""

    def __init__(self, base: str, session: str, csrf: str) -> None:
        self.base = base
        self.csrf = csrf
        self.cookie = f"csrftoken={csrf}; sessionid={session}"
        self.opener = urllib.request.build_opener(_NoRedirect)

    def get(self, path: str, **headers: str) -> tuple[int, str, bytes]:
        """(status, Location, body) of a GET, read to the last byte."""
        return self._open(urllib.request.Request(self.base + path, headers=self._headers(headers)))

    def post(self, path: str) -> tuple[int, str, bytes]:
        body = f"csrfmiddlewaretoken={self.csrf}".encode()
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        return self._open(urllib.request.Request(self.base + path, data=body, headers=headers))

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        return {"Cookie": self.cookie, "Referer": self.base + "/", **extra}

    def _open(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        try:
            with self.opener.open(request, timeout=CLICK_TIMEOUT_SECONDS) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read()


def _attribute(page: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', page)
    if match is None:
        raise SystemExit(f"bench: the page after the request has no {name} (not polling?)")
    return unescape(match[1])


def click_to_file(browser: Browser, request_path: str) -> dict[str, float]:
    """One click on "Prepare PDF action plan" until the PDF is in: seconds, and where they went."""
    started = time.perf_counter()
    status, location, _body = browser.post(request_path)
    if status != 302:
        raise SystemExit(f"bench: POST {request_path} answered {status}")
    status, _location, body = browser.get(location.split("#")[0])
    page = body.decode()
    status_url = _attribute(page, "data-action-plan-status")
    delays = json.loads(_attribute(page, "data-action-plan-poll"))
    if tuple(delays) != ACTION_PLAN_POLL_DELAYS_MS:
        raise SystemExit(f"bench: the page polls by {delays}, the bench by the services' waits")
    polls = 0
    while True:
        # As static/js/action_plan.js: wait, look, wait the next wait after the answer.
        time.sleep(delays[min(polls, len(delays) - 1)] / 1000)
        polls += 1
        status, _location, body = browser.get(status_url, Accept="application/json")
        state = json.loads(body)
        if state["status"] == "ready":
            break
        if state["status"] == "failed" or time.perf_counter() - started > CLICK_TIMEOUT_SECONDS:
            raise SystemExit(f"bench: the plan at {status_url} is {state['status']}")
    download = re.search(r'href="([^"]*/download/)"', state["html"])
    assert download is not None, state["html"]
    status, _location, body = browser.get(download[1])
    seconds = time.perf_counter() - started
    if status != 200 or not body.startswith(b"%PDF"):
        raise SystemExit(f"bench: the download answered {status}")
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert task is not None and task.started_at and task.finished_at
    return {
        "seconds": seconds,
        "pickup_s": (task.started_at - task.enqueued_at).total_seconds(),
        "task_s": (task.finished_at - task.started_at).total_seconds(),
        "polls": polls,
        "pdf_bytes": len(body),
    }


def floor_render(html: str) -> float:
    """Seconds for WeasyPrint to lay out the plan's HTML, as the worker does (``write_pdf``)."""
    started = time.perf_counter()
    pdf.write_pdf(html)
    return time.perf_counter() - started


def _charts_digest(assessment: Assessment) -> str:
    with translation.override("en"):
        figures = [
            chart.figure.to_plotly_json()
            for chart in charts.assessment_charts(team_result(assessment.team, assessment.cycle))
        ]
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()


def change_answers(assessment: Assessment, drawn: set[str]) -> None:
    """Move answers on to their next option until the team's charts are ones never drawn."""
    answers = Answer.objects.filter(assessment=assessment, choice__isnull=False).order_by("pk")
    for answer in answers.select_related("question"):
        choices = list(answer.question.choices.order_by("pk"))
        assert answer.choice is not None  # choice__isnull=False
        answer.choice = choices[(choices.index(answer.choice) + 1) % len(choices)]
        answer.save()
        digest = _charts_digest(assessment)
        if digest not in drawn:
            drawn.add(digest)
            # As a new submission would: the cached result pages see the change.
            Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
            return
    raise SystemExit("bench: no change of answers gives the team new charts")


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    """``manage.py task_worker`` as ``make run`` starts it; returns once it takes tasks."""
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", *WORKER_ARGS],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + WORKER_START_SECONDS
    # django-tasks-db logs this line once set up, our warm-up (reports.apps) done.
    while b"Starting worker" not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise SystemExit(f"bench: the task worker did not start:\n{log.read_text()}")
        time.sleep(0.05)
    return worker


def click_main(assessment_id: int, base: str, session: str, csrf: str) -> None:
    assessment = Assessment.objects.select_related("team", "cycle").get(pk=assessment_id)
    team, cycle = assessment.team, assessment.cycle
    request_path = reverse("team_action_plan_request", args=[team.pk, cycle.pk])
    browser = Browser(base, session, csrf)
    # The floor: the same plan's HTML, charts drawn here (not timed), laid out.
    html = pdf.action_plan_html(team_result(team, cycle), language="en")
    chart_export.stop()  # this process's Chromium is done; the worker has its own
    floor_render(html)  # the first loads the fonts
    drawn = {_charts_digest(assessment)}
    ActionPlan.objects.filter(kind=ActionPlan.Kind.TEAM, team=team, cycle=cycle).delete()
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    log = Path(os.environ.get("BENCH_WORKER_LOG", "/tmp/cx-bench-worker.log"))
    start = time.perf_counter()
    worker = start_worker(log)
    worker_start_s = time.perf_counter() - start
    try:
        floors = [floor_render(html)]
        cold = click_to_file(browser, request_path)
        warm = []
        for _run in range(WARM_RUNS):
            change_answers(assessment, drawn)
            floors.append(floor_render(html))
            warm.append(click_to_file(browser, request_path))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    ratios = [click["seconds"] / floor for click, floor in zip([cold, *warm], floors, strict=True)]
    print(
        json.dumps(
            {
                "floor_s": statistics.median(floors),
                "worker_start_s": worker_start_s,
                "cold": {**cold, "ratio": ratios[0]},
                "warm": {
                    key: statistics.median(click[key] for click in warm)
                    for key in ("seconds", "pickup_s", "task_s", "polls", "pdf_bytes")
                }
                | {"ratio": statistics.median(ratios[1:])},
                "runs": WARM_RUNS,
                "interval_s": float(WORKER_ARGS[WORKER_ARGS.index("--interval") + 1]),
            }
        )
    )


def main() -> None:
    if sys.argv[1] == "click":
        click_main(int(sys.argv[2]), *sys.argv[3:6])
        return
    assessment = Assessment.objects.select_related("team", "cycle").get(pk=int(sys.argv[1]))
    references = [reference_render() for _ in range(WARM_RUNS + 1)][1:]  # the first loads fonts
    first, first_ratio = paired(partial(prepare, assessment, "en", 0))
    runs = range(1, WARM_RUNS + 1)
    warm = [paired(partial(prepare, assessment, "en", index)) for index in runs]
    kept = [paired(partial(prepare, assessment, "en", index, drawn=False)) for index in runs]
    ready = ActionPlan.objects.filter(assessment=assessment, status=ActionPlan.Status.READY).first()
    print(
        json.dumps(
            {
                "reference_s": statistics.median(references),
                "first_s": first,
                "first_ratio": first_ratio,
                "warm_s": statistics.median(seconds for seconds, _ratio in warm),
                "warm_ratio": statistics.median(ratio for _seconds, ratio in warm),
                "warm_kept_s": statistics.median(seconds for seconds, _ratio in kept),
                "warm_kept_ratio": statistics.median(ratio for _seconds, ratio in kept),
                "runs": WARM_RUNS,
                "plan": ready.pk if ready else None,
                "pdf_bytes": ready.pdf.size if ready else 0,
            }
        )
    )


if __name__ == "__main__":
    main()
