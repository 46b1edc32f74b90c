#!/usr/bin/env python
"""Where a page's time goes: the pages of ``make bench`` timed inside one process.

    .venv/bin/python bench/inprocess.py               # the table
    .venv/bin/python bench/inprocess.py --profile results   # and a cProfile of one page

Calls the WSGI application directly (no server, no network), DEBUG off, on a
scratch SQLite database prepared as ``make bench`` prepares its own. Next to
/health/ it times a signed-in page that renders nothing ("signed-in floor":
``login_required`` and a constant response), which shows what the session
and the user query cost before a page does anything of its own. Pages take
turns over seven rounds; times are CPU time per request (medians), which a
busy shared machine disturbs less than wall time. For looking, not for
targets: ``make bench`` measures the targets through gunicorn.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only-secret-key-" + "x" * 40
ROUNDS = 7
CALLS_PER_ROUND = 40


def prepare(workdir: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The scratch database with the rubric, the demo data and a ready PDF plan."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": SECRET_KEY,
        "MEDIA_ROOT": str(workdir / "media"),
    }

    def run(*args: str, debug: str = "1") -> str:
        return subprocess.run(
            [sys.executable, *args],
            env={**env, "DJANGO_DEBUG": debug, "ALLOWED_HOSTS": "127.0.0.1"},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    run("manage.py", "migrate", "-v0")
    run("manage.py", "loaddata", "-v0", "fixtures/rubric.json")
    run("manage.py", "load_demo", "--bare", "-v0")
    prepared = json.loads(run("bench/prepare.py"))
    prepared["plan"] = json.loads(run("bench/pdf.py", str(prepared["submitted"])))["plan"]
    # With DEBUG off, static URLs come from the manifest that collectstatic writes.
    run("manage.py", "collectstatic", "--noinput", "-v0", debug="0")
    return prepared, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="print a cProfile of this page (a name in the table)")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cx-inprocess-"))
    try:
        print("Preparing a scratch database (rubric, demo data, one PDF plan) ...", flush=True)
        prepared, env = prepare(workdir)
        os.environ.update(env)
        os.environ.update({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"})
        os.environ.update({"SECURE_COOKIES": "0", "LOG_LEVEL": "WARNING"})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
        sys.path.insert(0, str(ROOT))
        measure(prepared, options.profile)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(prepared: dict[str, Any], profile: str | None) -> None:
    import django

    django.setup()
    from bench import floor
    from cxmaturity.wsgi import application

    floor.install()

    draft, submitted = prepared["draft"], prepared["submitted"]
    pages: dict[str, tuple[str, str, str]] = {
        "health": ("/health/", "", ""),
        "signed-in floor": (floor.PATH, prepared["lead_session"], ""),
        "questionnaire": (f"/assessments/{draft}/sections/1/", prepared["lead_session"], ""),
        "section save": (
            f"/assessments/{draft}/sections/1/",
            prepared["lead_session"],
            prepared["section_body"],
        ),
        "results": (f"/assessments/{submitted}/results/", prepared["lead2_session"], ""),
        "dashboard": (
            f"/organisations/{prepared['organisation']}/dashboard/",
            prepared["manager_session"],
            "",
        ),
        "pdf download": (
            f"/action-plans/{prepared['plan']}/download/",
            prepared["lead2_session"],
            "",
        ),
    }

    def call(path_: str, session: str, body: str) -> tuple[str, int]:
        cookie = f"csrftoken={prepared['csrf']}" + (f"; sessionid={session}" if session else "")
        environ = {
            "REQUEST_METHOD": "POST" if body else "GET",
            "PATH_INFO": path_,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "HTTP_REFERER": f"http://127.0.0.1{path_}",
            "wsgi.input": io.BytesIO(body.encode()),
            "wsgi.url_scheme": "http",
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
        statuses: list[str] = []

        def start_response(status: str, headers: object, *rest: object) -> Callable[[bytes], None]:
            statuses.append(status)
            return lambda data: None

        response: Any = application(environ, start_response)  # type: ignore[arg-type]
        size = sum(len(chunk) for chunk in response)
        if hasattr(response, "close"):
            response.close()
        return statuses[0], size

    for name, page in pages.items():
        status, _size = call(*page)
        if status[:3] not in ("200", "302"):
            raise SystemExit(f"{name}: {page[0]} answered {status}")
        repeat(call, page, 20)

    timings: dict[str, list[float]] = {name: [] for name in pages}
    for _round in range(ROUNDS):
        for name, page in pages.items():
            started = time.process_time()
            repeat(call, page, CALLS_PER_ROUND)
            timings[name].append((time.process_time() - started) / CALLS_PER_ROUND * 1000)

    health = statistics.median(timings["health"])
    print(f"\nCPU time per request, in-process, DEBUG off, SQLite ({ROUNDS} rounds, medians)")
    print(f"{'page':<18}{'ms':>8}{'ratio':>8}{'bytes':>9}")
    for name, page in pages.items():
        milliseconds = statistics.median(timings[name])
        _status, size = call(*page)
        print(f"{name:<18}{milliseconds:>8.2f}{health / milliseconds:>8.2f}{size:>9}")

    if profile:
        page = pages[profile]
        profiler = cProfile.Profile()
        profiler.enable()
        repeat(call, page, 100)
        profiler.disable()
        print(f"\ncProfile of 100 requests to {profile} ({page[0]}):")
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("BENCH_LINES", "40")))


def repeat(function: Callable[..., object], arguments: tuple[str, ...], times: int) -> None:
    for _ in range(times):
        function(*arguments)


if __name__ == "__main__":
    main()
