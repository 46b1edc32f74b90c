#!/usr/bin/env python
"""``make bench``: throughput of the key pages as ratios to the signed-in floor, in one run.

Serves the app with gunicorn (2 sync workers, DEBUG off) on a scratch SQLite
database holding the shipped rubric and the demo data, and loads each URL
with wrk on 127.0.0.1 for a fixed time. Every page is compared with the
bench's signed-in page that renders nothing (bench/floor.py: the session, the
user and the middleware alone, the most a signed-in page can reach), measured
by the same server in the same round, so the ratios hold on any machine.
/health/ (a minimal template page) is shown beside them for information.
After the rounds, the floor and each real page are loaded once more by many
concurrent clients, for their latency under load (p50, p99; no targets).
The dashboard of an organisation of 2,000 teams (bench/organisation.py) is
loaded in the same rounds and compared with the demo organisation's: at most
4x its time and under 300 KiB of HTML are targets. Two more sections time PDF
action plan preparation and three downloads of a large cycle's raw answers as
CSV. The PDF section also times a team plan from
the user's side, click to file, with a task worker started for it (cold:
the first after the worker's start, then warm), against WeasyPrint laying out
the same plan's HTML (bench/pdf.py: at most 4x cold and 2x warm). Last,
Lighthouse scores the results page and the dashboard for a phone
(bench/lighthouse.py: performance >= 90 and accessibility 100 are targets) and
shows what they transfer.

Environment variables (all optional):

    BENCH_PAGES_ONLY=1      measure the pages only: skip the PDF timings (and
                            with them the cached PDF download, whose plan they
                            prepare) and the 10,000-assessment CSV export,
                            which take minutes. By default everything runs.
    BENCH_PDF_ONLY=1        the PDF timings alone (preparation, click to file):
                            no wrk, CSV or Lighthouse.
    BENCH_LIGHTHOUSE_ONLY=1 Lighthouse alone (`make lighthouse`): no wrk, PDF or
                            CSV timings.
    BENCH_LIGHTHOUSE_RUNS   Lighthouse runs per page (default 3; the median counts)
    BENCH_LOAD_CONNECTIONS  concurrent clients of the load pass (default 50)
    BENCH_CONNECTIONS       concurrent clients of the rounds (default 8)
    BENCH_ROUNDS            rounds (default 3)
    BENCH_DURATION          each wrk run, in wrk's notation (default 3s)
    BENCH_DOWNLOADS         downloads of the CSV export (default 3)
    BENCH_EXPORT_ASSESSMENTS  assessments in the export's cycle (bench/export.py)
    BENCH_PORT              gunicorn's port on 127.0.0.1 (default 8765)

Exits 1 when a target is missed or a wrk run counted errors (responses other
than 2xx/3xx, socket errors), the load pass included.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import floor, lighthouse  # noqa: E402 (the path above; no Django set-up needed)

PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# Each page is loaded ROUNDS times for DURATION, the pages taking turns, and
# each round's throughput is divided by the signed-in floor's in the same
# round: a machine that speeds up or slows down during the run (a shared host)
# then moves both sides of a ratio alike. The table shows the medians.
DURATION = os.environ.get("BENCH_DURATION", "3s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
# The load pass: each real page once more, by this many clients at a time.
LOAD_CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "50"))
# wrk gives up on an answer after 2 s by default, counts it as a socket
# timeout and leaves it out of the percentiles, which would hide the slowest
# answers under load from p99. gunicorn's worker timeout is 30 s.
WRK_TIMEOUT = "30s"
PAGES_ONLY = os.environ.get("BENCH_PAGES_ONLY", "") == "1"
LIGHTHOUSE_ONLY = os.environ.get("BENCH_LIGHTHOUSE_ONLY", "") == "1"
PDF_ONLY = os.environ.get("BENCH_PDF_ONLY", "") == "1"
# Click to file for a team plan, as ratios to laying out its HTML (the floor).
CLICK_COLD_TARGET = 4.0
CLICK_WARM_TARGET = 2.0
BASE = f"http://127.0.0.1:{PORT}"
# "A few seconds" for the raw answers of 10,000 assessments, to the last byte.
EXPORT_TARGET_SECONDS = 10.0
# One download's time moved by up to 70% from run to run on a shared machine
# (7.7 s to 13.2 s for the same code): the verdict goes by the median of three.
EXPORT_DOWNLOADS = int(os.environ.get("BENCH_DOWNLOADS", "3"))
FLOOR = "signed-in floor (bench only)"
DASHBOARD = "dashboard (CX manager)"
LARGE_DASHBOARD = "dashboard, 2,000 teams"
# The 2,000-team dashboard against the demo organisation's, same run.
DASHBOARD_TIME_TARGET = 4.0  # at most this many times the demo dashboard's time
DASHBOARD_HTML_TARGET_KIB = 300  # under this much HTML


@dataclass
class Case:
    name: str
    path: str
    session: str = ""
    body: str = ""
    target: float | None = None  # minimum throughput ratio to the signed-in floor
    under_load: bool = True  # also in the load pass (BENCH_LOAD_CONNECTIONS clients)
    # Set by check_case: the first answer's size (uncompressed) and time.
    html_bytes: int = 0
    first_seconds: float = 0.0


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int  # neither 2xx nor 3xx
    socket_errors: dict[str, int]  # wrk's connect, read, write and timeout counts

    def errors(self) -> str:
        """What went wrong, for the table; empty when nothing did."""
        parts = [f"{self.bad_responses} non-2xx/3xx"] if self.bad_responses else []
        parts += [f"{count} socket {kind}" for kind, count in self.socket_errors.items() if count]
        return ", ".join(parts)


def run(args: list[str], env: dict[str, str], **kwargs: Any) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs
    ).stdout


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise SystemExit(f"wrk printed a latency this bench cannot read: {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> Measurement:
    def field(pattern: str) -> str:
        match = re.search(pattern, output)
        if match is None:
            raise SystemExit(f"wrk printed no {pattern!r}:\n{output}")
        return match.group(1)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    kinds = ("connect", "read", "write", "timeout")
    return Measurement(
        requests_per_second=float(field(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=to_ms(field(r"\s50%\s+(\S+)")),
        p99_ms=to_ms(field(r"\s99%\s+(\S+)")),
        bad_responses=int(bad.group(1)) if bad else 0,
        socket_errors=(
            dict(zip(kinds, map(int, sockets.groups()), strict=True)) if sockets else {}
        ),
    )


def wrk(case: Case, csrf: str, workdir: Path, connections: int) -> Measurement:
    cookie = f"csrftoken={csrf}" + (f"; sessionid={case.session}" if case.session else "")
    args = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{DURATION}",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
    ]
    if case.body:
        script = workdir / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(case.body)}\n"
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["Referer"] = "{BASE}{case.path}"\n'
        )
        args += ["-s", str(script)]
    output = subprocess.run(
        [*args, BASE + case.path], capture_output=True, text=True, check=True
    ).stdout
    return parse_wrk(output)


def median_measurement(measurements: list[Measurement]) -> Measurement:
    socket_errors: dict[str, int] = {}
    for measurement in measurements:
        for kind, count in measurement.socket_errors.items():
            socket_errors[kind] = socket_errors.get(kind, 0) + count
    return Measurement(
        requests_per_second=statistics.median(m.requests_per_second for m in measurements),
        p50_ms=statistics.median(m.p50_ms for m in measurements),
        p99_ms=statistics.median(m.p99_ms for m in measurements),
        bad_responses=sum(m.bad_responses for m in measurements),
        socket_errors=socket_errors,
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def check_case(case: Case, csrf: str) -> None:
    """One request first: a login redirect or an error would make the numbers meaningless."""
    cookie = f"csrftoken={csrf}" + (f"; sessionid={case.session}" if case.session else "")
    request = urllib.request.Request(
        BASE + case.path,
        data=case.body.encode() if case.body else None,
        headers={"Cookie": cookie, "Referer": BASE + case.path},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    location = ""
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            status, case.html_bytes = response.status, len(response.read())
        case.first_seconds = time.perf_counter() - started
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    expected = 302 if case.body else 200
    if status != expected or "/accounts/login/" in location:
        raise SystemExit(
            f"{case.name}: {case.path} answered {status} {location}, expected {expected}"
        )


def wait_for_server(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds}s")


def page_cases(prepared: dict[str, Any], pdf: dict[str, Any] | None) -> list[Case]:
    """The pages to load; the cached PDF download only when the PDF timings prepared a plan."""
    lead, lead2 = prepared["lead_session"], prepared["lead2_session"]
    section = f"/assessments/{prepared['draft']}/sections/1/"
    cases = [
        # For information: a page that needs no session at all.
        Case("minimal page (/health/)", "/health/", under_load=False),
        # The reference of every ratio (bench/floor.py).
        Case(FLOOR, floor.PATH, lead),
        Case("questionnaire page", section, lead, target=0.15),
        Case("section save (POST)", section, lead, body=prepared["section_body"], target=0.15),
        Case(
            "results page (cached)",
            f"/assessments/{prepared['submitted']}/results/",
            lead2,
            target=0.20,
        ),
        # The issue asks for the ratio, and sets no target.
        Case(
            "dashboard (CX manager)",
            f"/organisations/{prepared['organisation']}/dashboard/",
            prepared["manager_session"],
        ),
        # Against the demo dashboard (report_dashboards), its aggregates cached.
        Case(
            LARGE_DASHBOARD,
            f"/organisations/{prepared['large']['organisation']}/dashboard/",
            prepared["large"]["manager_session"],
        ),
    ]
    if pdf is not None:
        # For information: its target (0.50) was set against /health/.
        cases.append(
            Case(
                "cached PDF download",
                f"/action-plans/{pdf['plan']}/download/",
                lead2,
                under_load=False,
            )
        )
    return cases


def lighthouse_cases(prepared: dict[str, Any]) -> list[Case]:
    """The pages Lighthouse scores: the two that draw charts with plotly.js."""
    return [
        Case(
            "results page",
            f"/assessments/{prepared['submitted']}/results/",
            prepared["lead2_session"],
        ),
        Case(
            "dashboard (CX manager)",
            f"/organisations/{prepared['organisation']}/dashboard/",
            prepared["manager_session"],
        ),
    ]


def main() -> int:
    if not PDF_ONLY and (reason := lighthouse.missing()):
        raise SystemExit(reason)
    workdir = Path(tempfile.mkdtemp(prefix="cx-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": str(ROOT),
        # The plans' PDFs go here, not into the checkout's media/.
        "MEDIA_ROOT": str(workdir / "media"),
        # The sessions made while preparing must be valid on the server.
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    }
    manage = [PYTHON, "manage.py"]
    print("Preparing a scratch database with the rubric and the demo data ...", flush=True)
    run([*manage, "migrate", "-v0"], env)
    run([*manage, "loaddata", "-v0", "fixtures/rubric.json"], env)
    run([*manage, "load_demo", "--bare", "-v0"], env)
    prepared = json.loads(run([PYTHON, "bench/prepare.py"], env))
    pdf: dict[str, Any] | None = None
    click: dict[str, Any] | None = None
    export: dict[str, Any] | None = None
    if LIGHTHOUSE_ONLY:
        print("BENCH_LIGHTHOUSE_ONLY=1: Lighthouse alone, no wrk, PDF or CSV timings.")
    elif PAGES_ONLY:
        print("BENCH_PAGES_ONLY=1: no PDF timings, cached PDF download or CSV export.")
    else:
        print("Timing PDF action plans (Chromium cold, then warm) and a reference render ...")
        pdf = json.loads(run([PYTHON, "bench/pdf.py", str(prepared["submitted"])], env))
    if PDF_ONLY:
        print("BENCH_PDF_ONLY=1: the PDF timings alone, no wrk, CSV or Lighthouse.")
    elif pdf is not None:
        print("Building a cycle of 10,000 submitted assessments for the export ...", flush=True)
        export = json.loads(run([PYTHON, "bench/export.py"], env))

    serve_env = {
        **env,
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
    }
    run([*manage, "collectstatic", "--noinput", "-v0"], serve_env)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            # The site plus the signed-in floor page (bench/floor.py).
            "bench.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=serve_env,
        cwd=ROOT,
        start_new_session=True,
    )
    csrf = prepared["csrf"]
    downloads: list[Download] = []
    cases: list[Case] = []
    rounds: dict[str, list[Measurement]] = {}
    loaded: dict[str, Measurement] = {}
    scored: list[lighthouse.Result] = []
    try:
        wait_for_server(f"{BASE}/health/")
        if pdf is not None:
            print("  PDF click to file: a task worker, then the team plan 6 times ...", flush=True)
            click = click_to_file(prepared, serve_env, workdir)
        if not LIGHTHOUSE_ONLY and not PDF_ONLY:
            cases, rounds, loaded = measure_pages(prepared, pdf, workdir)
        if export is not None:
            print(f"  downloading the raw answers CSV {EXPORT_DOWNLOADS} times ...", flush=True)
            downloads = [download_export(export, workdir) for _ in range(EXPORT_DOWNLOADS)]
        for case in [] if PDF_ONLY else lighthouse_cases(prepared):
            check_case(case, csrf)
            print(f"  Lighthouse: {case.name}, {lighthouse.RUNS} runs ...", flush=True)
            cookie = f"sessionid={case.session}"
            scored.append(lighthouse.measure(case.name, BASE + case.path, cookie, workdir))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    missed = 0
    if not LIGHTHOUSE_ONLY and not PDF_ONLY:
        missed += report_pages(cases, rounds)
        missed += report_dashboards(cases, rounds)
        missed += report_load(loaded)
    if pdf is not None:
        missed += report_pdf(pdf)
    if click is not None:
        missed += report_click(click)
    if export is not None:
        missed += report_export(export, downloads)
    if not PDF_ONLY:
        missed += lighthouse.report(scored, lighthouse.version())
    return 1 if missed else 0


def measure_pages(
    prepared: dict[str, Any], pdf: dict[str, Any] | None, workdir: Path
) -> tuple[list[Case], dict[str, list[Measurement]], dict[str, Measurement]]:
    """The wrk rounds and the load pass: the cases, each one's rounds, the loaded runs."""
    csrf = prepared["csrf"]
    cases = page_cases(prepared, pdf)
    for case in cases:
        check_case(case, csrf)
    # Each gunicorn worker keeps its own local-memory cache: compute the large
    # dashboard's aggregates in both before timing (as after any new submission).
    large = next(case for case in cases if case.name == LARGE_DASHBOARD)
    warm = Case("warm-up", large.path, large.session)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _n: check_case(warm, csrf), range(8)))
    rounds: dict[str, list[Measurement]] = {case.name: [] for case in cases}
    for number in range(1, ROUNDS + 1):
        print(f"  round {number} of {ROUNDS}: each page for {DURATION} ...", flush=True)
        for case in cases:
            rounds[case.name].append(wrk(case, csrf, workdir, CONNECTIONS))
    print(
        f"  load pass: each page for {DURATION} with {LOAD_CONNECTIONS} clients ...",
        flush=True,
    )
    loaded = {
        case.name: wrk(case, csrf, workdir, LOAD_CONNECTIONS) for case in cases if case.under_load
    }
    return cases, rounds, loaded


def report_pages(cases: list[Case], rounds: dict[str, list[Measurement]]) -> int:
    """Each page's throughput against the signed-in floor's, round by round. Returns misses."""
    floor_rounds = rounds[FLOOR]
    print()
    print(
        f"gunicorn, 2 sync workers, DEBUG off, SQLite; wrk -t2 -c{CONNECTIONS} -d{DURATION}, "
        f"{ROUNDS} rounds (medians; ratio: median of each round's ratio to the signed-in floor)"
    )
    header = f"{'case':<28}{'req/s':>9}{'ratio':>8}{'target':>8}{'p50 ms':>9}{'p99 ms':>9}  verdict"
    print(header)
    print("-" * len(header))
    missed = 0
    for case in cases:
        measured = median_measurement(rounds[case.name])
        ratio = statistics.median(
            own.requests_per_second / reference.requests_per_second
            for own, reference in zip(rounds[case.name], floor_rounds, strict=True)
        )
        if errors := measured.errors():
            verdict = f"ERRORS ({errors})"
            missed += 1
        elif case.name == FLOOR:
            verdict = "reference"
        elif case.target is None:
            verdict = "for information"
        elif ratio >= case.target:
            verdict = "meets target"
        else:
            verdict = "MISSES target"
            missed += 1
        target = f"{case.target:.2f}" if case.target else "-"
        print(
            f"{case.name:<28}{measured.requests_per_second:>9.0f}{ratio:>8.2f}{target:>8}"
            f"{measured.p50_ms:>9.1f}{measured.p99_ms:>9.1f}  {verdict}"
        )
    return missed


def report_dashboards(cases: list[Case], rounds: dict[str, list[Measurement]]) -> int:
    """The 2,000-team dashboard against the demo organisation's, same rounds. Returns misses."""
    by_name = {case.name: case for case in cases}
    demo, large = by_name[DASHBOARD], by_name[LARGE_DASHBOARD]
    # Time per page is 1 / throughput: the ratio of times is the inverse ratio of req/s.
    ratio = statistics.median(
        small.requests_per_second / big.requests_per_second
        for small, big in zip(rounds[DASHBOARD], rounds[LARGE_DASHBOARD], strict=True)
    )
    print()
    print(
        "Dashboard at 2,000 teams against the demo organisation's "
        f"({large.html_bytes / 1024:.0f} KiB and {demo.html_bytes / 1024:.0f} KiB of HTML; "
        f"the first view computed the cycle's aggregates in {large.first_seconds:.2f} s "
        f"and {demo.first_seconds:.2f} s, for information)"
    )
    header = f"{'case':<40}{'value':>9}{'target':>9}  verdict"
    print(header)
    print("-" * len(header))
    missed = 0
    for name, value, target, shown in (
        ("time, 2,000 teams / demo (median)", ratio, DASHBOARD_TIME_TARGET, f"{ratio:.2f}"),
        (
            "HTML at 2,000 teams, KiB",
            large.html_bytes / 1024,
            DASHBOARD_HTML_TARGET_KIB,
            f"{large.html_bytes / 1024:.0f}",
        ),
    ):
        within = value <= target if name.startswith("time") else value < target
        verdict = "meets target" if within else "MISSES target"
        missed += not within
        limit = f"<= {target:g}" if name.startswith("time") else f"< {target:g}"
        print(f"{name:<40}{shown:>9}{limit:>9}  {verdict}")
    return missed


def report_load(loaded: dict[str, Measurement]) -> int:
    """The load pass, for information; a run with errors counts. Returns the runs with errors."""
    print()
    print(
        f"Under load: wrk -t2 -c{LOAD_CONNECTIONS} -d{DURATION} --timeout={WRK_TIMEOUT}, "
        "one run per page after the rounds (for information)"
    )
    header = f"{'case':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors"
    print(header)
    print("-" * len(header))
    failed = 0
    for name, measured in loaded.items():
        errors = measured.errors()
        failed += bool(errors)
        print(
            f"{name:<28}{measured.requests_per_second:>9.0f}{measured.p50_ms:>9.1f}"
            f"{measured.p99_ms:>9.1f}  {f'ERRORS ({errors})' if errors else 'none'}"
        )
    return failed


def report_pdf(pdf: dict[str, Any]) -> int:
    """The PDF preparation timings, as ratios to the reference render. Returns misses."""
    reference = pdf["reference_s"]
    print()
    print(
        f"PDF action plan ({pdf['pdf_bytes'] // 1024} KiB) against a static four-page "
        f"WeasyPrint render ({reference * 1000:.0f} ms), same process"
    )
    header = f"{'case':<48}{'seconds':>9}{'ratio':>8}{'target':>8}  verdict"
    print(header)
    print("-" * len(header))
    missed = 0
    # Each ratio divides a preparation by the reference render timed just before it.
    # For information only: the targets are now the click-to-file ratios below,
    # against laying out the same plan's HTML. A static four-page reference
    # cannot bound a plan that grew to some twenty pages with its summary.
    for name, seconds, ratio, target in (
        ("first preparation after worker start", pdf["first_s"], pdf["first_ratio"], None),
        (
            f"warm preparation, charts drawn (median of {pdf['runs']})",
            pdf["warm_s"],
            pdf["warm_ratio"],
            None,
        ),
        (
            f"warm preparation, drawings kept (median of {pdf['runs']})",
            pdf["warm_kept_s"],
            pdf["warm_kept_ratio"],
            None,
        ),
    ):
        if target is None:
            verdict = "for information"
        elif ratio <= target:
            verdict = "meets target"
        else:
            verdict = "MISSES target"
            missed += 1
        shown = f"<= {target:.1f}" if target else "-"
        print(f"{name:<48}{seconds:>9.2f}{ratio:>8.1f}{shown:>8}  {verdict}")
    return missed


def click_to_file(prepared: dict[str, Any], env: dict[str, str], workdir: Path) -> dict[str, Any]:
    """bench/pdf.py's click to file against the running server (it starts its own worker)."""
    args = [
        PYTHON,
        "bench/pdf.py",
        "click",
        str(prepared["submitted"]),
        BASE,
        prepared["lead2_session"],
        prepared["csrf"],
    ]
    done = subprocess.run(
        args,
        env={**env, "BENCH_WORKER_LOG": str(workdir / "worker.log")},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"bench/pdf.py click failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def report_click(click: dict[str, Any]) -> int:
    """Click to file for the demo team plan, as ratios to laying out its HTML. Returns misses."""
    floor_s = click["floor_s"]
    print()
    print(
        f"PDF team plan, click to file (POST, the page, its polling, the GET of the "
        f"{click['warm']['pdf_bytes'] // 1024} KiB PDF) against WeasyPrint laying out the "
        f"same plan's HTML ({floor_s:.2f} s, the floor); worker --interval "
        f"{click['interval_s']:g}, warmed up in {click['worker_start_s']:.1f} s at its start"
    )
    header = (
        f"{'case':<40}{'seconds':>9}{'pickup':>8}{'task':>7}{'polls':>7}"
        f"{'ratio':>7}{'target':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    missed = 0
    for name, measured, target in (
        ("cold: first after the worker's start", click["cold"], CLICK_COLD_TARGET),
        (f"warm: new answers (median of {click['runs']})", click["warm"], CLICK_WARM_TARGET),
    ):
        if measured["ratio"] <= target:
            verdict = "meets target"
        else:
            verdict = "MISSES target"
            missed += 1
        print(
            f"{name:<40}{measured['seconds']:>9.2f}{measured['pickup_s']:>8.2f}"
            f"{measured['task_s']:>7.2f}{measured['polls']:>7.0f}{measured['ratio']:>7.2f}"
            f"{f'<= {target:.0f}':>8}  {verdict}"
        )
    return missed


@dataclass
class Download:
    status: int
    seconds: float  # from sending the request to the last byte
    size: int
    rows: int


def download_export(export: dict[str, object], workdir: Path) -> Download:
    """GET the raw answers CSV once, saving it as it arrives; count its rows afterwards."""
    request = urllib.request.Request(
        f"{BASE}/cycles/{export['cycle']}/export/answers.csv",
        headers={"Cookie": f"sessionid={export['manager_session']}"},
    )
    path = workdir / "answers.csv"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response, path.open("wb") as file:
            status = response.status
            shutil.copyfileobj(response, file, 1 << 20)
    except urllib.error.HTTPError as error:
        return Download(status=error.code, seconds=0.0, size=0, rows=0)
    seconds = time.perf_counter() - started
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = sum(1 for _row in csv.reader(file)) - 1  # less the header
    return Download(status=status, seconds=seconds, size=path.stat().st_size, rows=rows)


def report_export(export: dict[str, object], downloads: list[Download]) -> int:
    """The raw answers CSV of a cycle with 10,000 submitted assessments. Returns misses."""
    print()
    print(
        f"Raw answers CSV of one cycle: {export['assessments']:,} submitted assessments, "
        f"{export['answers']:,} answers (built with bulk_create in {export['build_seconds']} s)"
    )
    header = f"{'case':<28}{'seconds':>9}{'rows':>10}{'rows/s':>10}{'MB':>8}{'target':>8}  verdict"
    print(header)
    print("-" * len(header))
    failed = next((download for download in downloads if download.status != 200), None)
    wrong = next((download for download in downloads if download.rows != export["answers"]), None)
    median = statistics.median_low([download.seconds for download in downloads])
    if failed is not None:
        verdict = f"ERROR (HTTP {failed.status})"
    elif wrong is not None:
        verdict = f"WRONG ROWS ({wrong.rows:,}, expected {export['answers']:,})"
    elif median <= EXPORT_TARGET_SECONDS:
        verdict = "meets target"
    else:
        verdict = "MISSES target"
    target = f"<= {EXPORT_TARGET_SECONDS:.0f}"
    for number, download in enumerate(downloads, 1):
        rate = download.rows / download.seconds if download.seconds else 0.0
        print(
            f"{f'answers.csv, GET {number}':<28}{download.seconds:>9.2f}{download.rows:>10,}"
            f"{rate:>10,.0f}{download.size / 1e6:>8.1f}{'-':>8}  for information"
        )
    name = f"answers.csv, median of {len(downloads)}"
    print(f"{name:<28}{median:>9.2f}{'':>28}{target:>8}  {verdict}")
    return 0 if verdict == "meets target" else 1


if __name__ == "__main__":
    sys.exit(main())
