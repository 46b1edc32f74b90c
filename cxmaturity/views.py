from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """A minimal page: for load balancers, and the baseline of ``make bench``."""
    return render(request, "health.html")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and feed readers ask for without a link to it.

    A redirect, not a permanent one: the static URL carries a content hash
    when DEBUG is off, and changes with the icon.
    """
    return HttpResponseRedirect(static("favicon.ico"))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, also for a request whose body Django refuses to read.

    Django's own ``bad_request`` is wrapped in ``requires_csrf_token``, whose
    check reads ``request.POST``: for a form body declaring a charset other
    than UTF-8 that read raises ``BadRequest`` again, and the error page
    itself fails with a 500. This view reads no body; the page's language
    switch still gets its CSRF token from the ``csrf`` context processor.
    """
    return render(request, "400.html", status=400)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, which must render when the database is down.

    Rendered from a plain context, never the request's context processors:
    ``auth`` and ``messages`` read the session and ``navigation`` queries
    organisations, each of which can be what failed. The header gets the
    request (for the current URL) and a CSRF token (for the language switch),
    neither of which touches the database, and no ``user``: who is signed in is
    in the database, so it shows neither the account links nor "Log in".
    """
    context = {"request": request, "csrf_token": get_token(request), "account_unknown": True}
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            "<h1>Server Error (500)</h1>", content_type="text/html; charset=utf-8"
        )
    return HttpResponseServerError(body)
