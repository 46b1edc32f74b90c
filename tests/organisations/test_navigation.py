"""The navigation lists the organisations a user manages, read once per page."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from organisations.context_processors import navigation
from tests import factories
from tests.conftest import World


def test_the_dashboard_links_are_read_once_per_page(
    world: World, django_assert_num_queries: Any
) -> None:
    factories.make_manager(world.lead, world.globex)
    request = RequestFactory().get("/")
    request.user = world.lead
    organisations = navigation(request)["dashboard_organisations"]
    with django_assert_num_queries(1):
        assert [organisation.name for organisation in organisations()] == ["Globex"]
        assert organisations() == organisations()


def test_a_lead_or_an_outsider_has_no_dashboard_links(world: World) -> None:
    for user in (world.lead, world.outsider):
        request = RequestFactory().get("/")
        request.user = user
        assert navigation(request)["dashboard_organisations"]() == []
