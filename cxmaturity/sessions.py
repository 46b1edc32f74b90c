"""Sessions in the database, read with one plain query.

Every signed-in request reads its session, so the read is on every page's
path. Django's database store builds that lookup through the ORM each time,
which on these machines costs several times the query itself; this store
sends the same SELECT as written SQL and keeps everything else (writes,
expiry, key rotation, the async methods) as Django has it.

The session is read from the database on every request, never from a
per-process cache: a logout handled by one server worker deletes the row, and
the other workers must stop honouring the cookie at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: a stale or unknown key is dropped, and a
            # save makes a new one instead of reviving it.
            self._session_key = None
            return {}
        return self.decode(row[0])
