"""Template context for every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from organisations.access import managed_organisations
from organisations.models import Organisation


def navigation(request: HttpRequest) -> dict[str, Callable[[], list[Organisation]]]:
    """``dashboard_organisations``: those the user is CX manager of (the dashboard links).

    A callable: templates call it where they use it, so pages that never show
    the navigation run no query, and a page that does runs one.
    """
    user: Any = getattr(request, "user", None)

    @cache
    def organisations() -> list[Organisation]:
        return list(managed_organisations(user)) if user is not None else []

    return {"dashboard_organisations": organisations}
