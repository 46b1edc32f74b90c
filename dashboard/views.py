"""The CX manager's dashboard of an organisation, and its PDF action plan.

Only the organisation's CX managers reach these pages; everyone else gets
404. The organisation's result is built once per request and serves both the
page and the fingerprint of its PDF.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from dashboard.charts import changes_chart, heatmap_chart, spread_charts
from dashboard.organisation_plan import organisation_result
from organisations.access import get_cycle_for_manager, get_organisation_for_manager
from organisations.models import Cycle, current_cycle
from reports import services
from reports.plans import Subject, current_action_plan


def _chosen_cycle(request: HttpRequest, cycles: Sequence[Cycle]) -> Cycle | None:
    """The cycle asked for in ``?cycle=``; by default the current one (never a scheduled one)."""
    asked = request.GET.get("cycle", "")
    if asked:
        chosen = next((cycle for cycle in cycles if str(cycle.pk) == asked), None)
        if chosen is None:
            raise Http404
        return chosen
    return current_cycle(cycles)


def dashboard_url(cycle: Cycle) -> str:
    return f"{reverse('dashboard', args=[cycle.organisation_id])}?cycle={cycle.pk}"


@require_safe
@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    cycles = list(organisation.cycles.order_by("-opens_on", "-pk"))
    cycle = _chosen_cycle(request, cycles)
    if cycle is None:
        return render(request, "dashboard/no_cycles.html", {"organisation": organisation})
    cycle.organisation = organisation
    result = organisation_result(cycle, cycles=cycles)
    _fingerprint, action_plan = current_action_plan(
        Subject.of_organisation(cycle), result, language=get_language()
    )
    dashboard = result.dashboard
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "dashboard": dashboard,
            "heatmap_chart": heatmap_chart(dashboard),
            "spread_charts": spread_charts(dashboard),
            "changes_chart": changes_chart(dashboard),
            "action_plan": action_plan,
            "request_url": reverse("organisation_action_plan_request", args=[cycle.pk]),
        },
    )


@require_POST
@login_required
def organisation_action_plan_request(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_for_manager(request, pk)
    services.action_plan_request(
        subject=Subject.of_organisation(cycle),
        result=organisation_result(cycle),
        language=get_language(),
        user=request.user,
    )
    return redirect(dashboard_url(cycle) + "#action-plan")
