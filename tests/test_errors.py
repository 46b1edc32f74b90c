"""The 400, 403, 404 and 500 pages: the site's look, the user's language, the navigation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse
from pytest_django import DjangoAssertNumQueries

from cxmaturity.urls import handler400, handler500
from cxmaturity.urls import urlpatterns as site_urlpatterns
from tests.conftest import World

ZH = {"accept-language": "zh-hans"}


def _bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a test's bad request")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a test's server error")


# The site's URLs and handlers, plus views that fail on purpose.
urlpatterns = [
    path("test-errors/400/", _bad_request),
    path("test-errors/403/", _forbidden),
    path("test-errors/500/", _broken),
    *site_urlpatterns,
]
__all__ = ["handler400", "handler500", "urlpatterns"]

pytestmark = [pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def _production_errors() -> Iterator[None]:
    with override_settings(DEBUG=False):
        yield


def _client(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    return client


PAGES = [
    ("/test-errors/400/", 400, "This request could not be handled", "无法处理此请求"),
    ("/test-errors/403/", 403, "You do not have access to this page", "您无权访问此页面"),
    ("/no-such-page/", 404, "This page could not be found", "找不到此页面"),
    ("/test-errors/500/", 500, "Something went wrong on our side", "我们这边出了问题"),
]


@pytest.mark.parametrize(("url", "status", "english", "chinese"), PAGES)
def test_error_pages_have_the_sites_header_and_footer_in_english(
    world: World, url: str, status: int, english: str, chinese: str
) -> None:
    response = _client(world).get(url)

    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert f"<h1>{english}</h1>" in page
    assert '<a class="navbar-brand" href="/">CX maturity</a>' in page
    assert f'action="{reverse("set_language")}"' in page
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in page
    assert "CX maturity: a customer-experience self-assessment for teams." in page
    assert chinese not in page


@pytest.mark.parametrize(("url", "status", "english", "chinese"), PAGES)
def test_error_pages_speak_chinese_to_chinese_users(
    world: World, url: str, status: int, english: str, chinese: str
) -> None:
    response = _client(world).get(url, headers=ZH)

    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert f"<h1>{chinese}</h1>" in page
    assert ">前往首页</a>" in page  # "Go to the home page"
    assert english not in page


@pytest.mark.parametrize("url", ["/test-errors/400/", "/test-errors/403/", "/no-such-page/"])
def test_4xx_pages_keep_the_signed_in_navigation(world: World, url: str) -> None:
    page = _client(world).get(url).content.decode()

    assert "Signed in as manager" in page
    assert f'href="{reverse("dashboard", args=[world.acme.pk])}"' in page
    assert "Log out" in page


def test_the_500_page_needs_no_query(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-errors/500/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_pages_language_switch_carries_a_working_csrf_token(world: World) -> None:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    page = client.get("/test-errors/500/").content.decode()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert '<input type="hidden" name="next" value="/test-errors/500/">' in page
    response = client.post(
        reverse("set_language"),
        {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("headers", "text"),
    [({}, "Something went wrong on our side"), (ZH, "我们这边出了问题")],
)
def test_the_500_page_renders_when_the_database_is_down(
    world: World, headers: dict[str, str], text: str
) -> None:
    client = _client(world)
    down = OperationalError("could not connect to server")
    wrapper = type(connections["default"])

    # Every query fails: the session and user lookups of the home page first.
    with (
        mock.patch.object(wrapper, "cursor", side_effect=down),
        mock.patch.object(wrapper, "chunked_cursor", side_effect=down),
    ):
        response = client.get(reverse("home"), headers=headers)

    assert response.status_code == 500
    page = response.content.decode()
    assert f"<h1>{text}</h1>" in page
    assert '<a class="navbar-brand" href="/">' in page
    assert 'name="language"' in page
    # Who is signed in is in the database: the header names no one and offers no login.
    assert "Signed in as" not in page
    assert "当前用户" not in page
    assert f'href="{reverse("login")}"' not in page


def test_a_500_page_that_cannot_render_falls_back_to_plain_text(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch("cxmaturity.views.loader.get_template", side_effect=OSError("disk gone")):
        response = Client(raise_request_exception=False).get("/test-errors/500/")

    assert response.status_code == 500
    assert response.content == b"<h1>Server Error (500)</h1>"
    assert "The 500 page could not be rendered" in caplog.text


@pytest.mark.parametrize(("headers", "text"), [({}, "This page has expired"), (ZH, "此页面已过期")])
def test_a_form_without_its_csrf_token_gets_the_expired_page_in_the_sites_look(
    world: World, headers: dict[str, str], text: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)

    response = client.post(reverse("set_language"), {"language": "en"}, headers=headers)

    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{text}</h1>" in page
    assert '<a class="navbar-brand" href="/">' in page
    assert f'href="{reverse("dashboard", args=[world.acme.pk])}"' in page
