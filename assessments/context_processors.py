"""Template context for every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from assessments.dashboard import managed_organisations
from assessments.models import Organisation


def navigation(request: HttpRequest) -> dict[str, Callable[[], list[Organisation]]]:
    """``dashboard_organisations``: those the user is CX manager of (the dashboard links).

    A callable: templates call it when they first use it, so pages that never
    show the navigation run no query; the answer is kept on the user object.
    """
    user: Any = getattr(request, "user", None)

    def organisations() -> list[Organisation]:
        return managed_organisations(user) if user is not None else []

    return {"dashboard_organisations": organisations}
