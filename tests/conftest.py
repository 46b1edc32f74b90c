"""Named people and a small complete rubric, shared by every test.

acme: teams alpha (lead: ``lead``) and beta (lead: ``lead2``), CX manager
``manager``, one open cycle on the test framework. globex: team gamma (lead:
``other_lead``). ``outsider`` belongs nowhere; ``admin`` is a superuser.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from organisations.models import Cycle, Organisation, Team
from playbook.models import Framework
from playbook.versions import rubric_for_version
from reports import chart_export
from results import charts
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # The demo fixture's users carry PBKDF2 hashes.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _forget_pinned_rubrics() -> Iterator[None]:
    """Each test's database starts empty, so ids repeat: drop the process caches."""
    rubric_for_version.cache_clear()
    cache.clear()
    yield
    rubric_for_version.cache_clear()
    cache.clear()


# The machine's Redis (README: "Shared cache"); database 15, so a test run
# never empties the cache of a site served from the same Redis.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _language_put_back() -> Iterator[None]:
    """Each test starts in the default language.

    The test client leaves the last request's language active in the test's
    thread: after a Chinese request, a later test's ``date_format`` or
    ``gettext`` outside a request would be Chinese.
    """
    yield
    translation.deactivate()


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request: pytest.FixtureRequest, settings: Any) -> str:
    """Run a test with the default local-memory cache, then with Django's Redis cache.

    Without a Redis server the Redis run is skipped, except in CI, where it fails.
    """
    if request.param == "redis":
        try:
            redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no Redis at {TEST_REDIS_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": TEST_REDIS_URL,
                "KEY_PREFIX": f"cx-test-{uuid.uuid4().hex}",
            }
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        assert type(caches["default"]).__name__ == "RedisCache"
    cache.clear()
    return str(request.param)


@pytest.fixture(autouse=True)
def _plotly_checks_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages skip plotly's property checks (``charts.VALIDATE``); tests build every
    figure with them, so a misspelt or invalid property fails the suite."""
    monkeypatch.setattr(charts, "VALIDATE", True)


@pytest.fixture(autouse=True)
def _charts_drawn_one_by_one(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unit tests replace ``figure_to_svg`` or the browser behind it; drawing ahead
    would start a real Chromium, so it is off but in slow tests and its own."""
    if request.node.get_closest_marker("slow") or request.module.__name__.endswith(
        "test_chart_export"
    ):
        return
    monkeypatch.setattr(chart_export, "draw_ahead", lambda *args, **kwargs: None)


@dataclass
class World:
    framework: Framework
    acme: Organisation
    alpha: Team
    beta: Team
    globex: Organisation
    gamma: Team
    cycle: Cycle
    globex_cycle: Cycle
    lead: User
    lead2: User
    manager: User
    other_lead: User
    outsider: User
    admin: User


@pytest.fixture
def rubric(db: None) -> Framework:
    return factories.make_rubric()


@pytest.fixture
def world(rubric: Framework) -> World:
    acme = Organisation.objects.create(name="Acme", slug="acme")
    globex = Organisation.objects.create(name="Globex", slug="globex")
    alpha = Team.objects.create(organisation=acme, name="Alpha support", slug="alpha")
    beta = Team.objects.create(organisation=acme, name="Beta logistics", slug="beta")
    gamma = Team.objects.create(organisation=globex, name="Gamma sales", slug="gamma")
    lead = factories.make_user("lead")
    lead2 = factories.make_user("lead2")
    manager = factories.make_user("manager")
    other_lead = factories.make_user("other_lead")
    outsider = factories.make_user("outsider")
    admin = User.objects.create_superuser("admin", "admin@example.com", factories.PASSWORD)
    factories.make_lead(lead, alpha)
    factories.make_lead(lead2, beta)
    factories.make_manager(manager, acme)
    factories.make_lead(other_lead, gamma)
    return World(
        framework=rubric,
        acme=acme,
        alpha=alpha,
        beta=beta,
        globex=globex,
        gamma=gamma,
        cycle=factories.make_cycle(acme, [rubric]),
        globex_cycle=factories.make_cycle(globex, [rubric]),
        lead=lead,
        lead2=lead2,
        manager=manager,
        other_lead=other_lead,
        outsider=outsider,
        admin=admin,
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lead_client(world: World) -> Client:
    return logged_in(world.lead)


@pytest.fixture
def manager_client(world: World) -> Client:
    return logged_in(world.manager)


@pytest.fixture
def admin_client_(world: World) -> Client:
    return logged_in(world.admin)
