"""Lighthouse (mobile) on the chart pages, for ``make bench`` and ``make lighthouse``.

bench/run.py calls ``measure`` while its gunicorn serves the site as in
production (DEBUG off, whitenoise with the compressed manifest storage), then
``report``. Lighthouse comes from npm (frontend/package.json, installed by
`make`) and drives the system Chromium; it runs with its defaults for a phone
(simulated slow 4G and a slowed CPU), the performance and accessibility
categories only. The session cookie goes with every request (--extra-headers),
so the pages are the signed-in ones.

A performance score moves from run to run, more so on a shared machine:
each page is measured BENCH_LIGHTHOUSE_RUNS times (default 3) and the run with
the median performance score is shown, as Lighthouse's own docs advise.
Accessibility does not depend on timing: the lowest score of the runs counts.
Lighthouse counts the main-thread work it sees on this machine four times over
(a mid-range phone): on a busy or slow machine the same page scores lower.
The CPU benchmark index Lighthouse measured is shown beside the scores.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "frontend" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
# The issue's targets: scores out of 100.
PERFORMANCE_TARGET = 90
ACCESSIBILITY_TARGET = 100
# One Lighthouse run takes 15-40 s here; more means Chromium hung.
RUN_TIMEOUT_SECONDS = 240


@dataclass
class Run:
    performance: int
    accessibility: int
    transfer_bytes: int  # every request of the page, as sent (compressed)
    plotly_bytes: int  # the plotly.js bundle alone, as sent; 0 when the page has none
    metrics: dict[str, float]  # milliseconds, CLS unitless
    failing_audits: list[str]  # accessibility audits that did not pass: "id: title"
    benchmark_index: float  # Lighthouse's measure of this machine's CPU at the time


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median_run(self) -> Run:
        ordered = sorted(self.runs, key=lambda run: run.performance)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def accessibility(self) -> int:
        return min(run.accessibility for run in self.runs)

    @property
    def failing_audits(self) -> list[str]:
        return sorted({audit for run in self.runs for audit in run.failing_audits})


def missing() -> str:
    """Why Lighthouse cannot run here; empty when it can."""
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse` (npm ci)."
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: `make install` installs Debian's chromium package."
    return ""


def version() -> str:
    return subprocess.run(
        ["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def measure(name: str, url: str, cookie: str, workdir: Path) -> Result:
    """Run Lighthouse RUNS times on ``url``, sending ``cookie`` with every request."""
    headers = workdir / "lighthouse-headers.json"
    headers.write_text(json.dumps({"Cookie": cookie}))
    result = Result(name)
    for number in range(RUNS):
        output = workdir / f"lighthouse-{number}.json"
        subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox",
                f"--extra-headers={headers}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=RUN_TIMEOUT_SECONDS,
        )
        result.runs.append(parse(json.loads(output.read_text())))
    return result


def parse(lhr: dict[str, Any]) -> Run:
    """The numbers this bench shows, from one Lighthouse result (its JSON report)."""
    if lhr.get("runtimeError"):
        raise SystemExit(f"Lighthouse failed on {lhr['finalDisplayedUrl']}: {lhr['runtimeError']}")
    categories, audits = lhr["categories"], lhr["audits"]
    requests = audits["network-requests"]["details"]["items"]
    failing = [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in categories["accessibility"]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] is not None
        if audits[ref["id"]]["score"] < 1
    ]
    return Run(
        performance=round(categories["performance"]["score"] * 100),
        accessibility=round(categories["accessibility"]["score"] * 100),
        transfer_bytes=round(audits["total-byte-weight"]["numericValue"]),
        plotly_bytes=sum(
            request.get("transferSize", 0)
            for request in requests
            if "/vendor/plotly/" in request["url"]
        ),
        metrics={
            key: audits[key]["numericValue"]
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
                "speed-index",
            )
        },
        failing_audits=failing,
        benchmark_index=lhr["environment"]["benchmarkIndex"],
    )


def report(results: list[Result], lighthouse_version: str) -> int:
    """The scores against the targets, one row per page. Returns the misses."""
    print()
    print(
        f"Lighthouse {lighthouse_version}, mobile (simulated slow 4G, slowed CPU), "
        f"{CHROMIUM}; the run with the median performance score of {RUNS}"
    )
    header = (
        f"{'page':<28}{'perf':>6}{'target':>8}{'a11y':>6}{'target':>8}"
        f"{'KiB sent':>10}{'plotly KiB':>12}  verdict"
    )
    print(header)
    print("-" * len(header))
    missed = 0
    for result in results:
        run = result.median_run
        misses = []
        if run.performance < PERFORMANCE_TARGET:
            misses.append("performance")
        if result.accessibility < ACCESSIBILITY_TARGET:
            misses.append("accessibility")
        missed += len(misses)
        verdict = f"MISSES target ({', '.join(misses)})" if misses else "meets targets"
        print(
            f"{result.name:<28}{run.performance:>6}{f'>= {PERFORMANCE_TARGET}':>8}"
            f"{result.accessibility:>6}{f'= {ACCESSIBILITY_TARGET}':>8}"
            f"{run.transfer_bytes / 1024:>10.0f}{run.plotly_bytes / 1024:>12.0f}  {verdict}"
        )
    print()
    for result in results:
        run = result.median_run
        print(
            f"{result.name}: performance scores "
            f"{', '.join(str(each.performance) for each in result.runs)} "
            f"(median {statistics.median(each.performance for each in result.runs):.0f}); "
            + ", ".join(
                f"{label} {run.metrics[key]:.0f} ms"
                for label, key in (
                    ("FCP", "first-contentful-paint"),
                    ("LCP", "largest-contentful-paint"),
                    ("TBT", "total-blocking-time"),
                    ("SI", "speed-index"),
                )
            )
            + f", CLS {run.metrics['cumulative-layout-shift']:.3f}; "
            f"CPU benchmark index {run.benchmark_index:.0f}"
        )
        for audit in result.failing_audits:
            print(f"  accessibility audit not passed: {audit}")
    return missed
