"""The site around the assessments: log in and out, passwords, language, layout, assets."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from tests.conftest import World, logged_in
from tests.factories import PASSWORD

NEW_PASSWORD = "a-fresh-passphrase-2026"


class _AssetCollector(HTMLParser):
    """Collects the URLs of scripts and stylesheets a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.urls.append(attributes.get("href") or "")


def _asset_urls(html: str) -> list[str]:
    collector = _AssetCollector()
    collector.feed(html)
    return collector.urls


def _logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return SESSION_KEY in client.session


def test_login_with_password_shows_home_page_with_username(client: Client, world: World) -> None:
    response = client.post(
        reverse("login"), {"username": "lead", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Signed in as lead" in response.content.decode()
    assert client.session[SESSION_KEY] == str(world.lead.pk)


def test_login_with_wrong_password_shows_error_and_stays_on_login(
    client: Client, world: World
) -> None:
    response = client.post(reverse("login"), {"username": "lead", "password": "wrong-password"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password." in page
    assert 'name="password"' in page
    assert SESSION_KEY not in client.session


def test_anonymous_home_redirects_to_login(client: Client, db: None) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('home')}"


def test_login_page_keeps_next_for_the_redirect_after_login(client: Client, world: World) -> None:
    page = client.get(f"{reverse('login')}?next={reverse('password_change')}").content.decode()
    assert f'name="next" value="{reverse("password_change")}"' in page

    response = client.post(
        reverse("login"),
        {"username": "lead", "password": PASSWORD, "next": reverse("password_change")},
    )
    assert response["Location"] == reverse("password_change")


def test_logout_by_get_is_refused_and_keeps_the_session(world: World) -> None:
    client = logged_in(world.lead)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


def test_logout_by_post_ends_the_session(world: World) -> None:
    client = logged_in(world.lead)
    home = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in home

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_a_session_ended_by_another_server_process_is_ended_here_too(world: World) -> None:
    """Each gunicorn worker has its own memory: a logout handled by one worker
    deletes the session row, and every other worker must stop honouring the
    cookie at once, whatever it read before."""
    client = logged_in(world.lead)
    assert client.get(reverse("home")).status_code == 200
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value

    # What another worker's logout leaves behind: the row gone, this process untouched.
    Session.objects.filter(session_key=session_key).delete()

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.usefixtures("cache_backend")
def test_a_logout_handled_by_another_server_process_ends_the_session_here_too(
    world: World,
) -> None:
    """With the database store, or cached_db on the shared Redis cache: a logout in
    one process (one client here) ends the session another process (client) holds."""
    here = logged_in(world.lead)
    assert here.get(reverse("home")).status_code == 200
    there = Client()
    there.cookies[settings.SESSION_COOKIE_NAME] = here.cookies[settings.SESSION_COOKIE_NAME].value
    assert there.get(reverse("home")).status_code == 200

    there.post(reverse("logout"))

    response = here.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_expired_session_signs_the_user_out(world: World) -> None:
    client = logged_in(world.lead)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    assert client.get(reverse("home")).status_code == 302


def test_a_deactivated_user_is_signed_out_at_the_next_request(world: World) -> None:
    client = logged_in(world.lead)
    assert client.get(reverse("home")).status_code == 200

    User.objects.filter(pk=world.lead.pk).update(is_active=False)

    assert client.get(reverse("home")).status_code == 302


def test_admin_link_is_shown_to_staff_only(world: World) -> None:
    admin_url = f'href="{reverse("admin:index")}"'

    assert admin_url in logged_in(world.admin).get(reverse("home")).content.decode()
    assert admin_url not in logged_in(world.lead).get(reverse("home")).content.decode()


def test_language_switch_shows_chinese_pages(client: Client, world: World) -> None:
    login_page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in login_page
    assert f'action="{reverse("set_language")}" method="post"' in login_page
    assert f'<input type="hidden" name="next" value="{reverse("login")}">' in login_page
    assert re.search(r'<label [^>]*for="language">Language</label>', login_page)
    assert re.search(r'<select [^>]*id="language" name="language">', login_page)

    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("login")}
    )
    assert response["Location"] == reverse("login")

    login_page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in login_page
    assert "跳到主要内容" in login_page  # "Skip to main content"

    client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in home
    assert "退出登录" in home  # "Log out"


def test_password_change_lets_the_new_password_log_in(world: World) -> None:
    client = logged_in(world.lead)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Your password was changed." in response.content.decode()
    # The session that changed the password stays logged in.
    assert client.get(reverse("home")).status_code == 200
    assert _logs_in("lead", NEW_PASSWORD)
    assert not _logs_in("lead", PASSWORD)


# Forgotten passwords


def _reset_link(body: str) -> str:
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_the_login_page_offers_a_password_reset(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in page


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client: Client, world: World
) -> None:
    User.objects.filter(pk=world.lead.pk).update(email="lead@example.com")
    form = client.get(reverse("password_reset")).content.decode()
    assert re.search(r'<label\s[^>]*for="id_email"', form)
    assert "Django site admin" not in form

    response = client.post(reverse("password_reset"), {"email": "LEAD@example.com"}, follow=True)

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Check your email" in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["lead@example.com"]
    assert email.subject == "Choose a new password for CX maturity"
    assert "the CX maturity account lead" in email.body

    # The emailed link swaps its token for a session and shows the form.
    response = client.get(_reset_link(str(email.body)), follow=True)
    page = response.content.decode()
    assert "Choose a new password" in page
    assert re.search(r'<label\s[^>]*for="id_new_password1"', page)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert "Your new password is set." in response.content.decode()
    assert _logs_in("lead", NEW_PASSWORD)
    assert not _logs_in("lead", PASSWORD)

    # Used once: the same link now explains itself and offers a new one.
    page = Client().get(_reset_link(str(email.body)), follow=True).content.decode()
    assert "This link does not work any more" in page
    assert f'href="{reverse("password_reset")}"' in page


def test_an_unknown_address_gets_the_same_answer_and_no_email(client: Client, world: World) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "If an account uses that address" in response.content.decode()
    assert not mail.outbox


def test_a_bad_address_is_shown_next_to_the_field(client: Client, world: World) -> None:
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'aria-invalid="true"' in page
    assert not mail.outbox


def test_the_reset_email_is_written_in_the_users_language(client: Client, world: World) -> None:
    User.objects.filter(pk=world.lead.pk).update(email="lead@example.com")
    # The language the lead last chose, not the page's (tests/organisations/test_email_language.py).
    logged_in(world.lead).post(reverse("set_language"), {"language": "zh-hans"})

    client.post(reverse("password_reset"), {"email": "lead@example.com"}, HTTP_ACCEPT_LANGUAGE="en")

    (email,) = mail.outbox
    assert email.subject == "设置新的客户体验成熟度密码"
    assert "打开以下链接设置新密码" in email.body


def test_password_change_with_wrong_old_password_shows_error(world: World) -> None:
    client = logged_in(world.lead)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert User.objects.get(pk=world.lead.pk).check_password(PASSWORD)


def test_password_change_needs_login(client: Client, db: None) -> None:
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_messages_are_alerts_with_live_roles(rf: RequestFactory, db: None) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    messages = [
        Message(constants.ERROR, "Could not save."),
        Message(constants.SUCCESS, "Saved."),
    ]

    page = render_to_string("base.html", {"messages": messages}, request=request)

    assert re.search(r'class="alert alert-danger[^"]*"\s+role="alert">\s*Could not save\.', page)
    assert re.search(r'class="alert alert-success[^"]*"\s+role="status">\s*Saved\.', page)


@pytest.mark.parametrize(
    "path",
    [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/plotly/plotly-cx.min.js",
        "css/app.css",
    ],
)
def test_static_assets_are_found_locally(path: str) -> None:
    location = finders.find(path)

    assert isinstance(location, str)
    assert Path(location).stat().st_size > 0


def test_pages_load_scripts_and_styles_from_this_site_only(client: Client, world: World) -> None:
    pages = [
        client.get(reverse("login")).content.decode(),
        logged_in(world.admin).get(reverse("home")).content.decode(),
    ]

    for page in pages:
        urls = _asset_urls(page)
        assert "/static/vendor/bootstrap/bootstrap.min.css" in urls
        assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in urls
        assert [url for url in urls if url.startswith(("http:", "https:", "//"))] == []


def test_the_kept_header_belongs_to_whoever_is_signed_in(world: World) -> None:
    lead, manager = logged_in(world.lead), logged_in(world.manager)
    dashboard = reverse("dashboard", args=[world.acme.pk])
    for _ in range(2):  # the second round is served from the kept headers
        lead_page = lead.get(reverse("home")).content.decode()
        manager_page = manager.get(reverse("home")).content.decode()
        assert "Signed in as lead" in lead_page
        assert "Signed in as manager" not in lead_page
        assert dashboard not in lead_page
        assert "Signed in as manager" in manager_page
        assert f'href="{dashboard}"' in manager_page


def test_the_kept_header_marks_the_current_page_and_keeps_its_path(world: World) -> None:
    manager = logged_in(world.manager)
    home = manager.get(reverse("home") + "?from=mail").content.decode()
    dashboard_url = reverse("dashboard", args=[world.acme.pk])
    dashboard = manager.get(dashboard_url).content.decode()
    assert 'aria-current="page" href="/"' in home
    assert '<input type="hidden" name="next" value="/?from=mail">' in home
    assert re.search(r'aria-current="page"\s+href="' + re.escape(dashboard_url), dashboard)
    assert f'<input type="hidden" name="next" value="{dashboard_url}">' in dashboard
    assert 'aria-current="page" href="/"' not in dashboard


def test_the_kept_header_shows_a_renamed_organisation(world: World) -> None:
    manager = logged_in(world.manager)
    manager.get(reverse("home"))
    world.acme.name = "Acme Worldwide"
    world.acme.save()
    world.globex.memberships.create(user=world.manager, role="manager")
    page = manager.get(reverse("home")).content.decode()
    assert "Dashboard: Acme Worldwide" in page
    assert "Dashboard: Globex" in page


def test_the_kept_headers_forms_carry_this_requests_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead)
    for _ in range(2):
        page = client.get(reverse("home")).content.decode()
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
        assert tokens
        response = client.post(
            reverse("set_language"),
            {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()},
        )
        assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[-1]
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert SESSION_KEY not in client.session


def test_a_page_signs_all_its_forms_with_one_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead)
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    page = client.get(reverse("assessment_section", args=[assessment.pk, 1])).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)

    # The header's forms (language, sign out) and the section's form.
    assert len(tokens) >= 3 and len(set(tokens)) == 1
    response = client.post(
        reverse("assessment_section", args=[assessment.pk, 1]),
        {"action": "stay", "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/assessments/{}/results/"),
        ("get", "/assessments/{}/sections/1/"),
        ("post", "/assessments/{}/sections/1/"),
        ("get", "/assessments/{}/review/"),
        ("get", "/action-plans/{}/download/"),
    ],
)
def test_an_id_too_large_for_the_database_is_404(
    lead_client: Client, world: World, method: str, path: str
) -> None:
    response = getattr(lead_client, method)(path.format(10**20))

    assert response.status_code == 404


def test_base_renders_without_a_request(db: None) -> None:
    """As Django's own error views may: the header shows, signed out, without failing."""
    html = render_to_string("base.html", {})
    assert "CX maturity" in html
    assert "Log in" in html
    assert "Signed in as" not in html


def test_the_header_names_the_user_by_full_name_or_else_username(world: World) -> None:
    world.lead.first_name, world.lead.last_name = "Wei", "Li"
    world.lead.save()

    named = logged_in(world.lead).get(reverse("home")).content.decode()
    unnamed = logged_in(world.lead2).get(reverse("home")).content.decode()
    chinese = logged_in(world.lead).get(reverse("home"), headers={"accept-language": "zh-hans"})

    assert "Signed in as Wei Li" in named
    assert "Signed in as lead2" in unnamed
    assert "当前用户：Wei Li" in chinese.content.decode()


def test_the_language_menu_keeps_its_button_for_pages_without_javascript(
    client: Client, db: None
) -> None:
    page = client.get(reverse("login")).content.decode()

    # The script hides the button and switches on selection; without it, the button stays.
    assert re.search(r"<button [^>]*type=\"submit\"[^>]*>Switch</button>", page)
    assert not re.search(r"<button [^>]*hidden[^>]*>Switch</button>", page)
    assert "/static/js/language.js" in _asset_urls(page)
    script = finders.find("js/language.js")
    assert isinstance(script, str)
    assert "requestSubmit" in Path(script).read_text()


def test_favicon_is_linked_and_served_at_the_root(client: Client, db: None) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page

    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain == [("/static/favicon.ico", 302)]
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert icon.startswith(b"\x00\x00\x01\x00")  # an ICO file
    svg = finders.find("favicon.svg")
    assert isinstance(svg, str)
    assert Path(svg).read_text().startswith("<svg")


def test_the_admin_is_cx_maturity_administration_in_both_languages(world: World) -> None:
    admin = logged_in(world.admin)

    english = admin.get(reverse("admin:index")).content.decode()
    chinese = admin.get(
        reverse("admin:index"), headers={"accept-language": "zh-hans"}
    ).content.decode()

    assert "<title>Site administration | CX maturity administration</title>" in english
    assert '<a href="/admin/">CX maturity administration</a>' in english
    assert "<title>站点管理 | 客户体验成熟度管理</title>" in chinese
    assert '<a href="/admin/">客户体验成熟度管理</a>' in chinese
