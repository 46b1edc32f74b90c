"""The log-in throttle (django-axes): per username and per client address, its
page, unlocking by an admin or by a new password, and the address behind a proxy.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from organisations.accounts import client_ip_address
from tests.conftest import World, logged_in
from tests.factories import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

WRONG_PASSWORD = "not-the-password"
NEW_PASSWORD = "a-fresh-passphrase-2026"
PAUSED = "Logging in is paused"
TRY_AGAIN = "please try again in 15 minutes"
WRONG = "Please enter a correct username and password"


def log_in(client: Client, username: str, password: str, **headers: Any) -> TestResponse:
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def fail(times: int, username: str = "lead", **headers: Any) -> TestResponse:
    """``times`` wrong passwords for ``username``, each from a fresh browser; the last answer."""
    response = None
    for _ in range(times):
        response = log_in(Client(), username, WRONG_PASSWORD, **headers)
    assert response is not None
    return response


def is_logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def assert_paused(response: TestResponse) -> None:
    page = response.content.decode()
    assert response.status_code == 429
    assert PAUSED in page
    assert TRY_AGAIN in page
    # The site's own log-in page, with the way out.
    assert "· CX maturity</title>" in page
    assert 'name="password"' in page
    assert f'<a href="{reverse("password_reset")}">Reset it</a>' in page
    # Not the form's "wrong password": a locked-out attempt's password is never checked.
    assert WRONG not in page


# Per username


def test_the_right_password_is_refused_after_too_many_wrong_ones(world: World) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(Client(), "lead", WRONG_PASSWORD)
        assert response.status_code == 200
        assert WRONG in response.content.decode()

    # The failure that reaches the limit is answered with the pause already.
    assert_paused(log_in(Client(), "lead", WRONG_PASSWORD))

    client = Client()
    response = log_in(client, "lead", PASSWORD)
    assert_paused(response)
    assert not is_logged_in(client)
    attempt = AccessAttempt.objects.get(username="lead")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_the_limit_is_a_setting(world: World, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    fail(1)
    assert log_in(Client(), "lead", WRONG_PASSWORD).status_code == 429


def test_a_username_is_locked_whatever_address_the_guesses_come_from(world: World) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), "lead", WRONG_PASSWORD, REMOTE_ADDR=f"198.51.100.{number + 1}")

    client = Client()
    assert_paused(log_in(client, "lead", PASSWORD, REMOTE_ADDR="203.0.113.50"))
    assert not is_logged_in(client)
    # Another username from the same addresses is not affected.
    assert log_in(Client(), "lead2", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_admin_log_in_is_throttled_too(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT, username="admin")

    client = Client()
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})

    assert_paused(response)
    assert not is_logged_in(client)


def test_a_successful_log_in_clears_the_users_failures(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT - 1)

    client = Client()
    assert log_in(client, "lead", PASSWORD).status_code == 302
    assert is_logged_in(client)
    assert not AccessAttempt.objects.filter(username="lead").exists()

    # The count starts again: as many failures as before still do not lock.
    response = fail(settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert log_in(Client(), "lead", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT)
    assert log_in(Client(), "lead", PASSWORD).status_code == 429

    # The last failure a minute longer ago than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    assert log_in(Client(), "lead", PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_extend_the_lock(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT)
    locked_at = timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=locked_at)

    assert log_in(Client(), "lead", WRONG_PASSWORD).status_code == 429

    attempt = AccessAttempt.objects.get(username="lead")
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


# Per client address


def test_an_address_is_locked_after_failures_on_different_usernames(world: World) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), f"guess{number}", WRONG_PASSWORD, REMOTE_ADDR="203.0.113.7")

    # The lead has no failures of their own, but this address is paused.
    client = Client()
    assert_paused(log_in(client, "lead", PASSWORD, REMOTE_ADDR="203.0.113.7"))
    assert not is_logged_in(client)
    # From another address the lead logs in.
    assert log_in(Client(), "lead", PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_escape_the_address_lock(world: World) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(
            Client(),
            f"guess{number}",
            WRONG_PASSWORD,
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )

    response = log_in(
        Client(),
        "lead",
        PASSWORD,
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
        HTTP_X_REAL_IP="192.0.2.99",
    )
    assert_paused(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_proxy_the_address_comes_from_the_configured_header(
    world: World, settings: Any
) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.5"
    # The client adds a made-up entry each time; the proxy appends the real address.
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(
            Client(),
            f"guess{number}",
            WRONG_PASSWORD,
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number + 1}, 203.0.113.7",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert_paused(
        log_in(Client(), "lead", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    )
    # Another client behind the same proxy is not paused.
    response = log_in(
        Client(), "lead", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert response.status_code == 302


def test_the_client_address_counts_trusted_proxies_from_the_right(settings: Any) -> None:
    factory = RequestFactory()

    def address(**meta: Any) -> str | None:
        return client_ip_address(factory.get("/", REMOTE_ADDR="10.0.0.5", **meta))

    # By default the header is not read at all.
    assert address(HTTP_X_FORWARDED_FOR="203.0.113.7") == "10.0.0.5"

    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    assert address(HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7") == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert address(HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7, 10.0.0.9") == "203.0.113.7"
    # Fewer entries than proxies, no header or no address: the connection's own.
    assert address(HTTP_X_FORWARDED_FOR="203.0.113.7") == "10.0.0.5"
    assert address() == "10.0.0.5"
    assert address(HTTP_X_FORWARDED_FOR="192.0.2.1, not-an-address, 10.0.0.9") == "10.0.0.5"

    settings.CLIENT_IP_HEADER = "X-Real-IP"
    settings.TRUSTED_PROXY_COUNT = 1
    assert address(HTTP_X_REAL_IP="2001:db8::7", HTTP_X_FORWARDED_FOR="192.0.2.1") == "2001:db8::7"


# Unlocking


def test_an_admin_unlocks_a_user_by_deleting_the_access_attempt(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="lead")
    admin = logged_in(world.admin)

    changelist = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "lead" in changelist
    assert "Locked Out" in changelist
    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(Client(), "lead", PASSWORD).status_code == 302


def test_the_reset_command_unlocks_a_username(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset_username", "lead")

    assert log_in(Client(), "lead", PASSWORD).status_code == 302


def test_the_admin_lists_the_throttle_under_its_own_name(world: World) -> None:
    page = logged_in(world.admin).get(reverse("admin:index")).content.decode()
    assert "Log-in throttle" in page
    assert "Access attempts" in page
    assert "Access logs" in page
    assert "Access failures" in page


# The password reset


def _reset_link(body: str) -> str:
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_a_locked_out_user_resets_the_password_and_logs_in_with_it(world: World) -> None:
    world.lead.email = "lead@example.com"
    world.lead.save()
    fail(settings.AXES_FAILURE_LIMIT)
    client = Client()
    assert log_in(client, "lead", PASSWORD).status_code == 429

    response = client.post(reverse("password_reset"), {"email": "lead@example.com"}, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    (email,) = mail.outbox
    response = client.get(_reset_link(str(email.body)), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("password_reset_complete"), 302)]

    response = log_in(client, "lead", NEW_PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_new_password_leaves_an_address_lock_from_other_usernames(world: World) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), f"guess{number}", WRONG_PASSWORD, REMOTE_ADDR="203.0.113.7")
    world.lead.email = "lead@example.com"
    world.lead.save()

    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post(reverse("password_reset"), {"email": "lead@example.com"})
    (email,) = mail.outbox
    response = client.get(_reset_link(str(email.body)), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert log_in(client, "lead", NEW_PASSWORD).status_code == 429
    assert log_in(Client(), "lead", NEW_PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


# Chinese


def test_the_pause_is_explained_in_chinese(world: World) -> None:
    fail(settings.AXES_FAILURE_LIMIT)

    response = log_in(Client(), "lead", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已暂停" in page
    assert "请在 15 分钟后重试" in page
    assert f'<a href="{reverse("password_reset")}">重置密码</a>' in page
    assert PAUSED not in page


def test_the_admin_names_the_throttle_in_chinese(world: World) -> None:
    admin = logged_in(world.admin)
    page = admin.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录频率限制" in page
    assert "登录尝试记录" in page
    assert "登录失败记录" in page
    assert "Access attempts" not in page
