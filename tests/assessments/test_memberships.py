"""A user's memberships are read once per request (``memberships_of``)."""

from __future__ import annotations

from typing import Any

from assessments.models import Membership, memberships_of
from tests import factories
from tests.conftest import World


def test_memberships_are_read_once_with_their_organisations(
    world: World, django_assert_num_queries: Any
) -> None:
    factories.make_manager(world.lead, world.globex)
    with django_assert_num_queries(1):
        memberships = memberships_of(world.lead)
        assert sorted((m.role, m.organisation.name) for m in memberships) == [
            (Membership.Role.LEAD, "Acme"),
            (Membership.Role.MANAGER, "Globex"),
        ]
        assert memberships_of(world.lead) is memberships


def test_a_user_without_memberships_has_none(world: World) -> None:
    assert memberships_of(world.outsider) == []
