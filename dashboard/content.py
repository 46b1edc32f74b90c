"""The dashboard's cycle aggregates, computed once per change of what they read.

``dashboard_data`` reads every team's submitted answers and scores them: some
2 ms per team, too much to repeat on every view of a large organisation. What
the dashboard shows changes only with the cycle's assessments (and the
previous cycle's, its changes), the organisation's teams and memberships
(completion), the cycle's action items (the PDF's fingerprint), the language
and the cycle's rubric. A pinned rubric never changes and the rest is read in
four ORM aggregates: with the language and the page's templates they key, in
Django's cache (shared by every process when REDIS_URL is set), the rendered
organisation-first part of the page, the action plan's fingerprint and one
compact row per team for the paged teams table and heatmap, each page of which
is kept, rendered, beside them. A cycle still on the live rubric
is computed anew each time, as ``reports.result_pages`` does.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from action_items.models import ActionItem
from assessments.models import Assessment
from dashboard.charts import changes_chart, distribution_chart, spread_charts, team_levels_chart
from dashboard.organisation_plan import organisation_fingerprint, organisation_result
from organisations.models import Cycle, Membership, Team
from reports.fingerprint import templates_digest

SUMMARY_TEMPLATE = "dashboard/_summary.html"
TEAMS_TEMPLATE = "dashboard/_teams.html"
# The teams table and heatmap show this many teams a page (the exports have them all).
TEAMS_PER_PAGE = 25
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A renamed team or a changed role is not in the key: it shows within this many seconds.
TIMEOUT = 300
# How many teams the "moved most" and "disagree" lists show (the teams table has them all).
TOP_TEAMS = 10


class Status:
    """A team's completion in the cycle: the values of the teams filter."""

    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


STATUSES = {
    Status.SUBMITTED: _("Submitted"),
    Status.IN_PROGRESS: _("In progress"),
    Status.NOT_STARTED: _("Not started"),
}


class TeamRow(NamedTuple):
    """One team in the cycle: completion and median level per element.

    Kept in the cache as plain tuples (``TeamRow._make`` turns one back): two
    thousand of them come out of the cache in a millisecond or two.
    """

    team_id: int
    name: str
    not_started: int
    in_progress: int
    submitted: int
    # In the order of DashboardContent.element_names; None: no level.
    levels: tuple[int | None, ...]

    @property
    def status(self) -> str:
        if self.submitted:
            return Status.SUBMITTED
        return Status.IN_PROGRESS if self.in_progress else Status.NOT_STARTED


@dataclass(frozen=True)
class DashboardContent:
    summary: str  # the organisation first: completion, levels, movers, disagreement
    fingerprint: str  # the organisation action plan's (``organisation_fingerprint``)
    element_names: list[str]
    # Every team of the organisation, by name: TeamRow's fields as a plain tuple.
    teams: list[tuple[Any, ...]]
    # How many teams have each status ("": all of them).
    counts: dict[str, int]
    # The cache key it is kept under (None: not kept, the rubric is live).
    key: str | None = None

    def rows(self, status: str) -> list[TeamRow]:
        """The teams with ``status`` (all of them for "")."""
        rows = map(TeamRow._make, self.teams)
        return [row for row in rows if not status or row.status == status]


def _stamp(cycle: Cycle, previous: Cycle | None) -> tuple[Any, ...]:
    """What changes when the figures, completion or action items change: four aggregates."""
    cycle_ids = [cycle.pk] if previous is None else [cycle.pk, previous.pk]
    assessments = Assessment.objects.filter(cycle_id__in=cycle_ids).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    teams = Team.objects.filter(organisation_id=cycle.organisation_id).aggregate(
        count=Count("pk"), last=Max("pk")
    )
    memberships = Membership.objects.filter(team__organisation_id=cycle.organisation_id).aggregate(
        count=Count("pk"), last=Max("pk")
    )
    items = ActionItem.objects.filter(cycle_id=cycle.pk).aggregate(
        count=Count("pk"), latest=Max("updated_at")
    )
    return (*assessments.values(), *teams.values(), *memberships.values(), *items.values())


def _cache_key(cycle: Cycle, previous: Cycle | None) -> str | None:
    if not cycle.rubric_version_id:
        return None
    parts = (
        templates_digest(TEMPLATES / "dashboard", "_*.html"),
        templates_digest(TEMPLATES / "results", "_chart.html"),
        cycle.pk,
        cycle.rubric_version_id,
        cycle.organisation.name,
        cycle.name,
        previous.pk if previous else None,
        previous.name if previous else None,
        get_language(),
        _stamp(cycle, previous),
    )
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _compute(cycle: Cycle, cycles: list[Cycle], key: str | None) -> DashboardContent:
    result = organisation_result(cycle, cycles=cycles)
    dashboard = result.dashboard
    summary = render_to_string(
        SUMMARY_TEMPLATE,
        {
            "cycle": cycle,
            "dashboard": dashboard,
            "distribution_chart": distribution_chart(dashboard),
            "spread_charts": spread_charts(dashboard),
            "changes_chart": changes_chart(dashboard),
            "most_moved": dashboard.most_moved(TOP_TEAMS),
            "disagreements": dashboard.most_disagreeing(TOP_TEAMS),
            "disagreeing_count": len(dashboard.disagreements),
            "top_teams": TOP_TEAMS,
        },
    )
    rows = [
        TeamRow(
            team_id=team.team.pk,
            name=team.team.name,
            not_started=team.not_started,
            in_progress=team.in_progress,
            submitted=team.submitted,
            levels=tuple(result.median_level for result in team.elements),
        )
        for team in dashboard.teams
    ]
    counts = Counter(row.status for row in rows)
    return DashboardContent(
        summary=summary,
        fingerprint=organisation_fingerprint(result, language=get_language()),
        element_names=[str(element.name) for element in dashboard.elements],
        teams=[tuple(row) for row in rows],
        counts={"": len(rows), **{status: counts[status] for status in STATUSES}},
        key=key,
    )


def dashboard_content(
    cycle: Cycle, *, cycles: list[Cycle], previous: Cycle | None
) -> DashboardContent:
    """The dashboard of ``cycle`` (its ``organisation`` loaded), from the cache when unchanged.

    ``cycles``: the organisation's cycles; ``previous``: the one compared with.
    """
    key = _cache_key(cycle, previous)
    if key is not None:
        content: DashboardContent | None = default_cache.get(key)
        if content is not None:
            return content
    content = _compute(cycle, cycles, key)
    if key is not None:
        default_cache.set(key, content, TIMEOUT)
    return content


def teams_section(content: DashboardContent, *, cycle: Cycle, status: str, page: str | None) -> str:
    """The teams table and heatmap, one page of ``status`` teams, kept with ``content``.

    ``status``: one of ``STATUSES`` or "" for every team; ``page``: as asked
    for (a page past the end shows the last, anything else the first).
    """
    number = Paginator(range(content.counts[status]), TEAMS_PER_PAGE).get_page(page).number
    key = f"{content.key}:teams:{status}:{number}" if content.key else None
    if key is not None:
        cached: str | None = default_cache.get(key)
        if cached is not None:
            return cached
    teams_page = Paginator(content.rows(status), TEAMS_PER_PAGE).get_page(number)
    assessed = [team for team in teams_page if team.submitted]
    section = render_to_string(
        TEAMS_TEMPLATE,
        {
            "organisation": cycle.organisation,
            "cycle": cycle,
            "team_count": len(content.teams),
            "teams_page": teams_page,
            "page_range": teams_page.paginator.get_elided_page_range(teams_page.number),
            "status": status,
            "statuses": STATUSES.items(),
            "heatmap_chart": team_levels_chart(
                cycle_name=cycle.name,
                element_names=content.element_names,
                rows=[(team.name, team.levels) for team in assessed],
                left_out=len(teams_page) - len(assessed),
            )
            if assessed
            else None,
        },
    )
    if key is not None:
        default_cache.set(key, section, TIMEOUT)
    return section
