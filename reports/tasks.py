"""Background tasks (django.tasks; ``manage.py task_worker`` runs them).

The worker (django-tasks-db's ``db_worker`` with a heartbeat, going on through
a database restart: ``reports.worker``) looks for new tasks every
``WORKER_INTERVAL_SECONDS`` when idle (``--interval``: ``WORKER_ARGS``, as the
Makefile's ``run`` target starts it; run it so in production too), and is made
ready for the first plan when it starts (``warm_up``, from
``reports.apps``).
"""

from __future__ import annotations

import logging
import time

from django.tasks import TaskContext, task

from reports.plans import action_plan_prepare

logger = logging.getLogger(__name__)

# db_worker's --interval: a requested plan is picked up within half a second.
# (Its default, 1 s, added half a second to every plan on average.)
WORKER_INTERVAL_SECONDS = 0.5
# The worker's command line in the Makefile's ``run`` target, and in make bench
# (bench/pdf.py). --no-reload: a reloaded worker would start Chromium again;
# --no-startup-delay: its random wait of up to a second at start only spreads
# the starts of many workers.
WORKER_ARGS = (
    "task_worker",
    "--no-reload",
    "--no-startup-delay",
    "--interval",
    str(WORKER_INTERVAL_SECONDS),
)

# Laid out once at worker start, so that the first plan finds WeasyPrint's fonts
# (Latin and CJK) and the print stylesheet loaded.
_WARM_UP_HTML = (
    '<html lang="en"><head><title>warm-up</title></head>'
    '<body><h1>Action plan</h1><p lang="zh-Hans">行动计划</p></body></html>'
)


@task(takes_context=True)
def prepare_action_plan(context: TaskContext, plan_id: int) -> str:
    # The worker that took it: its heartbeat tells the site the plan is alive.
    worker_ids = context.task_result.worker_ids
    worker_id = worker_ids[-1] if worker_ids else ""
    return action_plan_prepare(plan_id=plan_id, worker_id=worker_id).status


def warm_up() -> None:
    """Start Chromium for the charts and lay out a page, before the first plan is asked for.

    Best effort: a worker without Chromium still prepares plans (with the
    charts' data tables only), so a failure here is logged, not raised.
    """
    # Imported here: only the worker needs them at start.
    from reports import chart_export, pdf

    started = time.perf_counter()
    try:
        chart_export.warm_up()
    except Exception:
        logger.warning("Could not start Chromium for the charts at worker start", exc_info=True)
    try:
        pdf.write_pdf(_WARM_UP_HTML)
    except Exception:
        logger.warning("Could not lay out the warm-up page at worker start", exc_info=True)
    logger.info("PDF action plans warmed up in %.1f s", time.perf_counter() - started)
