"""Signed-in responses are private and never stored; every page turns off unused features."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.exports.test_exports import export_url


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize("name", ["home", "results", "dashboard", "export", "favicon"])
def test_signed_in_responses_are_private_and_not_stored(
    manager_client: Client, world: World, name: str
) -> None:
    url = {
        "home": reverse("home"),
        "results": reverse("team_result", args=[world.alpha.pk, world.cycle.pk]),
        "dashboard": reverse("dashboard", args=[world.acme.pk]),
        "export": export_url("scores", world.cycle, "csv"),
        # A view that says "public" for everyone else.
        "favicon": reverse("favicon"),
    }[name]

    response = manager_client.get(url)

    assert {"private", "no-store"} <= directives(response), name
    assert "public" not in directives(response)


def test_signed_out_pages_stay_cacheable_and_every_page_has_the_permissions_policy(
    client: Client,
) -> None:
    favicon = client.get(reverse("favicon"))
    login = client.get(reverse("login"))

    assert "public" in directives(favicon)
    assert "no-store" not in favicon.get("Cache-Control", "")
    for response in (favicon, login):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
