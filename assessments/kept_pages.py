"""Whole pages rendered once per set of inputs, then filled in per request.

The questionnaire and the results page had already kept their big parts (the
question cards, the results' content, the header) as fragments
(``cxmaturity.fragments``), yet drawing the page around them through the
template engine still cost them more than their queries. ``render_kept``
renders a page's template once per key, with markers where the values that
change per request go (the CSRF token, the current path and the slots the
view names), and afterwards only fills them in.

The key is the caller's promise: it must hold every input of the template's
markup apart from the slots. The language and the header's inputs (user,
managed organisations, page) are added here. A page showing messages (the
one after a save, say) is rendered in full, as are all pages while
``ENABLED`` is off, which the tests use to compare both ways of drawing a page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from assessments.dashboard import managed_organisations
from assessments.templatetags.site import header_key
from cxmaturity.fragments import FragmentCache, slot

ENABLED = True

# Pages here hold no rubric text of their own (their callers keep those with
# the rubric); a few KiB each, the big parts being slots.
pages = FragmentCache(size=2048)

_CSRF = "kept:csrf"
_PATH = "kept:path"


def render_kept(
    request: HttpRequest,
    template_name: str,
    *,
    key: Hashable,
    context: Callable[[], dict[str, Any]],
    slots: Mapping[str, SafeString | bytes],
    store: FragmentCache | None = None,
) -> HttpResponse:
    """``template_name`` with ``context()`` and ``slots``, from the kept page when there is one.

    ``context`` is called only when the page is rendered (not yet kept, or
    drawn in full). ``slots``: the template variables whose markup changes
    per request, already escaped, as text or UTF-8. ``store``: where to keep
    the page, when its inputs (a live rubric's texts) must not outlive
    something else.
    """
    if not ENABLED or len(get_messages(request)):  # type: ignore[arg-type]
        markup = {
            name: mark_safe(value.decode()) if isinstance(value, bytes) else value
            for name, value in slots.items()
        }
        return render(request, template_name, {**context(), **markup})
    user: Any = request.user
    full_key = (
        template_name,
        get_language(),
        header_key(request, user, managed_organisations(user)),
        key,
    )

    def draw() -> str:
        markers = {name: slot(name) for name in slots}
        fixed = {"messages": (), "csrf_token": slot(_CSRF), "page_path": slot(_PATH)}
        return render_to_string(template_name, {**context(), **markers, **fixed}, request)

    fragment = (pages if store is None else store).get(full_key, draw)
    values = {
        **slots,
        _CSRF: escape(get_token(request)),
        _PATH: escape(request.get_full_path()),
    }
    return HttpResponse(fragment.fill_bytes(values))
