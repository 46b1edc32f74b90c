"""Django's model backend, with the signed-in user read together with their memberships.

Every signed-in request loads its user, and nearly every page then the
user's memberships. Django builds the user lookup through the ORM each time,
which on these machines costs more than the database takes to answer it;
here one prepared query (``cxmaturity.prepared``) reads the user with their
memberships (``assessments.models.user_with_memberships``). Signing in,
permissions and ``is_active`` stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from assessments.models import user_with_memberships


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):  # a session from another user model
            return None
        user = user_with_memberships(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
