"""When a section page warns that the session is about to end.

A session lasts ``SESSION_COOKIE_AGE`` seconds from the request that last
saved it. Opening or saving a section keeps it going, but writing the session
row on every page and every background save would cost the busiest page three
queries; so the session is saved again only once ``REFRESH_EVERY_SECONDS``
have passed (or a tenth of its age, when that is shorter), and the time of
that save is kept in the session itself. The page then knows when its session
ends, and its script (static/js/autosave.js) shows the warning
``warn_before_seconds`` ahead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

WARN_BEFORE_SECONDS = 10 * 60
REFRESH_EVERY_SECONDS = 60 * 60
SESSION_KEY = "assessments_session_saved_at"


@dataclass(frozen=True)
class SessionWarning:
    age_seconds: int
    expires_in_seconds: int
    warn_before_seconds: int

    @property
    def warn_after_seconds(self) -> int:
        return max(0, self.expires_in_seconds - self.warn_before_seconds)

    @property
    def minutes(self) -> int:
        """The warning's lead time, in whole minutes (at least one)."""
        return max(1, round(self.warn_before_seconds / 60))


def session_keep_alive(session: SessionBase) -> SessionWarning:
    """Keep the lead's session going; when it ends, and when to warn: at most half its age ahead."""
    age = int(settings.SESSION_COOKIE_AGE)
    now = int(time.time())
    saved_at = session.get(SESSION_KEY)
    if not isinstance(saved_at, int) or now - saved_at >= min(REFRESH_EVERY_SECONDS, age // 10):
        session[SESSION_KEY] = now  # saved at the end of this request, expiring ``age`` from now
        saved_at = now
    return SessionWarning(
        age_seconds=age,
        expires_in_seconds=max(0, age - (now - saved_at)),
        warn_before_seconds=min(WARN_BEFORE_SECONDS, age // 2),
    )
