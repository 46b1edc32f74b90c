"""The signed-in floor: a page that needs a signed-in user and then does nothing.

Not part of the site. ``make bench`` serves it (through ``bench/wsgi.py``) and
``bench/inprocess.py`` calls it beside the real pages: what the session, the
user and the middleware cost every signed-in page before it does any work of
its own, which bounds the ratio any signed-in page can reach.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import clear_url_caches, path

PATH = "/bench-floor/"


@login_required
def signed_in_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def install() -> None:
    """Add the floor page to the site's URLs, in this process only."""
    from cxmaturity import urls

    urls.urlpatterns.append(path(PATH.strip("/") + "/", signed_in_floor))
    clear_url_caches()
