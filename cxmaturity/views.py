from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """A minimal page: for load balancers, and the baseline of ``make bench``."""
    return render(request, "health.html")
