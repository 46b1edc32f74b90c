"""PDF timings for ``make bench``, measured in one process on the bench database.

Prints JSON: the reference render (a static four-page document through
WeasyPrint), the first plan preparation after the process starts (Chromium
cold), warm preparations, and the id of a ready plan for the download case.
Each preparation is timed right after a reference render and divided by it.
Warm preparations are timed twice: with every chart drawn anew by Chromium
(the cache emptied first: new answers, another language), and with the
charts' drawings kept (the same numbers: new action items, edited guidance).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from weasyprint import HTML  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from reports.models import ActionPlan  # noqa: E402
from reports.plans import action_plan_prepare  # noqa: E402

REFERENCE = ROOT / "bench" / "reference.html"
WARM_RUNS = 5


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


def main() -> None:
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
