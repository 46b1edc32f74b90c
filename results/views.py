"""A cycle's results across its teams, for its CX managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from organisations.access import get_cycle_for_manager
from results import selectors
from results.charts import cycle_charts


@require_safe
@login_required
def cycle_overview(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_manager(request, pk)
    overview = selectors.cycle_overview(cycle)
    return render(
        request,
        "results/cycle_overview.html",
        {"cycle": cycle, "overview": overview, "charts": cycle_charts(overview)},
    )
