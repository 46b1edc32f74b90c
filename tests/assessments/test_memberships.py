"""The signed-in user is read with their memberships (``user_with_memberships``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from assessments.models import Membership, memberships_of, user_with_memberships
from tests import factories
from tests.conftest import World


def test_a_user_and_their_memberships_come_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    factories.make_manager(world.lead, world.globex)
    with django_assert_num_queries(1):
        user = user_with_memberships(world.lead.pk)
        assert user is not None
        memberships = memberships_of(user)
    assert user == world.lead
    assert user.username == "lead" and user.check_password(factories.PASSWORD)
    assert sorted((m.role, m.organisation.name) for m in memberships) == [
        (Membership.Role.LEAD, "Acme"),
        (Membership.Role.MANAGER, "Globex"),
    ]
    assert all(membership.user is user for membership in memberships)


def test_a_user_without_memberships_is_read_too(
    world: World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        user = user_with_memberships(world.outsider.pk)
        assert user is not None
        assert memberships_of(user) == []
    assert user == world.outsider


def test_an_unknown_user_is_none(db: None) -> None:
    assert user_with_memberships(404) is None
    assert user_with_memberships(2**40) is None
    assert not User.objects.exists()
