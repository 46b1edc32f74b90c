"""Response headers: privacy for signed-in pages, and the browser features the site turns off."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Browser features the site never uses, turned off for its pages and anything
# they embed. Django has no setting for this header (it has one for the CSP).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class ResponseHeadersMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    A signed-in page, an export or a PDF download holds an organisation's
    data: no shared cache may keep it and the browser may not store it on
    disk (a shared computer's next user cannot page back to it). Static files
    never reach this middleware (whitenoise answers them first). Every
    response also gets the ``Permissions-Policy`` above.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaces a "public" the view may have set: signed in, nothing is shared.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
