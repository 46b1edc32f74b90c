"""Reading assessments as their users may see them."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from assessments.models import Assessment
from organisations.access import visible_teams


def get_assessment_for_user(request: HttpRequest, pk: int, *, own: bool = False) -> Assessment:
    """An assessment of a team the user sees (``own``: one they answer themselves), else 404."""
    assessment = (
        Assessment.objects.filter(team__in=visible_teams(request.user))
        .select_related("team__organisation", "cycle")
        .filter(pk=pk)
        .first()
    )
    if assessment is None or (own and assessment.respondent_id != request.user.pk):
        raise Http404
    if assessment.respondent_id == request.user.pk:
        # The respondent is the user the request has already read.
        assessment.respondent = request.user  # type: ignore[assignment]
    return assessment
