"""Django's model backend, with the signed-in user read by one plain query.

Every signed-in request loads its user. Django builds that lookup through the
ORM each time, which on these machines costs twice what the same SELECT costs
as written SQL through ``raw()`` (which still converts each column as the ORM
would). Signing in, permissions and ``is_active`` stay Django's.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import connections, router


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        using = router.db_for_read(User)
        user = next(iter(User.objects.db_manager(using).raw(_user_query(using), [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _user_query(using: str) -> str:
    """The SELECT for one database, built once per process (it is on every request's path)."""
    quote = connections[using].ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in User._meta.concrete_fields)
    return f"SELECT {columns} FROM {quote(User._meta.db_table)} WHERE {quote('id')} = %s"
