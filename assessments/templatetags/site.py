"""``{% site_header %}``: the header of every page, rendered once per user, language and page.

Rendering the navigation through the template engine cost a signed-in page
more than a millisecond, more than its own queries. Its markup depends only on
the language, the user (name, staff, the organisations they manage) and which
page is shown, so it is kept per those (``cxmaturity.fragments``) with the CSRF
token and the current path filled in per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cxmaturity.fragments import FragmentCache, slot

register = template.Library()

TEMPLATE = "_site_header.html"
headers = FragmentCache(size=2048)


def header_key(request: HttpRequest, user: Any, organisations: Sequence[Any]) -> tuple[Any, ...]:
    """Every input of the header's markup but the CSRF token and the current path."""
    match = request.resolver_match
    authenticated = bool(user is not None and user.is_authenticated)
    return (
        get_language(),
        authenticated,
        user.pk if authenticated else None,
        user.get_username() if authenticated else "",
        bool(authenticated and user.is_staff),
        tuple((organisation.pk, organisation.name) for organisation in organisations),
        match.url_name if match else None,
        match.kwargs.get("pk") if match else None,
    )


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    request = context.get("request")
    if request is None:  # a page rendered without its request: no user, no forms to sign
        return mark_safe(render_to_string(TEMPLATE, {"url_name": None}))
    user: Any = context.get("user") or getattr(request, "user", None)
    organisations = context.get("dashboard_organisations") or []
    if callable(organisations):
        organisations = organisations()
    key = header_key(request, user, organisations)

    def render() -> str:
        return render_to_string(
            TEMPLATE,
            {
                "user": user,
                "dashboard_organisations": organisations,
                "url_name": key[-2],
                "url_pk": key[-1],
                "csrf_token": slot("csrf"),
                "next_path": slot("next"),
            },
        )

    # The page's own forms take their token from the same context value: one
    # masked token per page instead of one per form (each costs 32 random draws).
    # A kept page (assessments.kept_pages) passes markers for both values.
    token = context.get("csrf_token") or get_token(request)
    path = context.get("page_path") or request.get_full_path()
    return headers.get(key, render).fill({"csrf": escape(str(token)), "next": escape(path)})
