"""Django's model backend, with the signed-in user read by a prepared query.

Every signed-in request loads its user. Django builds that lookup through the
ORM each time, which on these machines costs more than the database takes to
answer it; here the same QuerySet is compiled once per connection
(``cxmaturity.prepared``) and run with each request's id. Signing in,
permissions and ``is_active`` stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from cxmaturity.prepared import PreparedQuery

_USER = PreparedQuery(lambda pk: User.objects.filter(pk=pk))


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):  # a session from another user model
            return None
        user = _USER.first(pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
