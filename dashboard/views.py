"""The CX manager's dashboard of an organisation, and its PDF action plan.

Only the organisation's CX managers reach these pages; everyone else gets
404. The organisation's figures come from ``dashboard.content`` (cached until
the cycle's submissions change): the organisation first, then every team a
page at a time.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST, require_safe

from dashboard.content import STATUSES, dashboard_content, teams_section
from dashboard.organisation_plan import organisation_result
from dashboard.selectors import cycle_before
from organisations.access import get_cycle_for_manager, get_organisation_for_manager
from organisations.models import Cycle, current_cycle
from reports import services
from reports.plans import Subject, action_plan_for_fingerprint


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
@csp_override(settings.CSP_DASHBOARD)  # the heatmap's colour bar (settings.py)
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_manager(request, pk)
    cycles = list(organisation.cycles.order_by("-opens_on", "-pk"))
    cycle = _chosen_cycle(request, cycles)
    if cycle is None:
        return render(request, "dashboard/no_cycles.html", {"organisation": organisation})
    cycle.organisation = organisation
    previous = cycle_before(cycle, cycles)
    content = dashboard_content(cycle, cycles=cycles, previous=previous)
    language = get_language()
    action_plan = action_plan_for_fingerprint(
        Subject.of_organisation(cycle), language=language, fingerprint=content.fingerprint
    )
    status = request.GET.get("status", "")
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "cycles": cycles,
            "previous_cycle": previous,
            "summary": content.summary,
            "teams": teams_section(
                content,
                cycle=cycle,
                status=status if status in STATUSES else "",
                page=request.GET.get("page"),
            ),
            "action_plan": action_plan,
            "request_url": reverse("organisation_action_plan_request", args=[cycle.pk]),
        },
    )


@require_safe
@login_required
def dashboard_teams_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every team of the teams table and heatmap as CSV (the page shows a page at a time)."""
    cycle = get_cycle_for_manager(request, pk)
    cycles = list(cycle.organisation.cycles.order_by("-opens_on", "-pk"))
    content = dashboard_content(cycle, cycles=cycles, previous=cycle_before(cycle, cycles))
    name = slugify(f"{cycle.organisation.name} {cycle.name}") or f"cycle-{cycle.pk}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"team-levels-{name}.csv"
    )
    response.write("\ufeff")  # a byte order mark: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            gettext("Team"),
            gettext("Status"),
            gettext("Not started"),
            gettext("In progress"),
            gettext("Submitted"),
            *content.element_names,
        ]
    )
    for row in content.rows(""):
        writer.writerow(
            [
                row.name,
                STATUSES[row.status],
                row.not_started,
                row.in_progress,
                row.submitted,
                *("" if level is None else level for level in row.levels),
            ]
        )
    return response


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
