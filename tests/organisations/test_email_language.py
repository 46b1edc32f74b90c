"""Emails go out in the language their recipient reads: the language they last chose,
else their organisation's, never the language of the page that sent them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations import services
from organisations.models import Invitation, Organisation, UserPreference
from tests.conftest import World, logged_in
from tests.factories import PASSWORD

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-hans"}
NEW_PASSWORD = "quiet-harbour-lantern-42"


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def prefer(user: User, language: str) -> None:
    UserPreference.objects.create(user=user, language=language)


def organisation_reads(organisation: Organisation, language: str) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(language=language)


def with_address(user: User) -> str:
    User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.com")
    return f"{user.username}@example.com"


def set_language(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302


def log_in(client: Client, username: str, headers: dict[str, str] | None = None) -> str:
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=True, headers=headers
    )
    assert response.redirect_chain[-1] == (reverse("home"), 302)
    return response.content.decode()


# Choosing a language


def test_a_signed_in_users_choice_of_language_is_stored(world: World) -> None:
    client = logged_in(world.lead)

    set_language(client, "zh-hans")

    assert UserPreference.objects.get(user=world.lead).language == "zh-hans"
    # Django's own view still did its part: the pages are Chinese.
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()

    set_language(client, "en")

    assert list(UserPreference.objects.values_list("user__username", "language")) == [
        ("lead", "en")
    ]


@pytest.mark.parametrize("language", ["fr", "klingon", ""])
def test_a_language_the_site_does_not_offer_is_not_stored(world: World, language: str) -> None:
    set_language(logged_in(world.lead), language)

    assert not UserPreference.objects.exists()


def test_choosing_a_language_signed_out_stores_nothing(client: Client, world: World) -> None:
    set_language(client, "zh-hans", reverse("login"))

    assert not UserPreference.objects.exists()
    assert '<html lang="zh-hans">' in client.get(reverse("login")).content.decode()


def test_a_get_to_set_language_changes_nothing(world: World) -> None:
    client = logged_in(world.lead)

    response = client.get(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    assert response.status_code == 302
    assert not UserPreference.objects.exists()


# Signing in


def test_a_stored_choice_comes_back_on_a_device_without_one(world: World) -> None:
    prefer(world.lead, "zh-hans")

    home = log_in(Client(), "lead", EN)

    assert '<html lang="zh-hans">' in home
    assert "退出登录" in home  # "Log out"


def test_a_language_chosen_on_the_login_page_is_stored(world: World) -> None:
    prefer(world.lead, "en")
    client = Client()
    set_language(client, "zh-hans", reverse("login"))

    home = log_in(client, "lead")

    assert '<html lang="zh-hans">' in home
    assert UserPreference.objects.get(user=world.lead).language == "zh-hans"


def test_signing_in_without_a_choice_stores_nothing(world: World) -> None:
    home = log_in(Client(), "lead", ZH)

    assert '<html lang="zh-hans">' in home  # the browser's language, as before
    assert not UserPreference.objects.exists()


def test_a_new_lead_keeps_the_language_chosen_on_the_invitation_page(world: World) -> None:
    invitation = services.invitation_create(
        team=world.beta, email="ana@example.com", invited_by=world.manager
    )
    accept_url = reverse("invitation_accept", args=[invitation.token])
    client = Client()
    set_language(client, "zh-hans", accept_url)

    response = client.post(
        accept_url, {"username": "ana", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert UserPreference.objects.get(user__username="ana").language == "zh-hans"


# Invitations


def test_an_invitation_to_a_new_address_is_in_the_organisations_language(
    manager_client: Client, world: World
) -> None:
    organisation_reads(world.acme, "zh-hans")

    response = manager_client.post(
        reverse("invitation_list", args=[world.acme.pk]),
        {"email": "ana@example.com", "team": world.beta.pk},
        follow=True,
        headers=EN,
    )

    # The manager's page stays in the manager's language...
    assert "Invitation sent to ana@example.com." in response.content.decode()
    # ...the email is in the organisation's, dates included.
    (email,) = mail.outbox
    assert email.subject == "邀请您担任Acme的Beta logistics负责人"
    assert "manager 邀请您在客户体验成熟度自评中担任Acme的Beta logistics负责人。" in email.body
    expires = timezone.localdate(Invitation.objects.get().expires_at)
    assert f"该链接仅可使用一次，将于 {chinese_date(expires)} 过期。" in email.body


def test_an_invitation_to_someone_who_chose_a_language_is_in_theirs(
    manager_client: Client, world: World
) -> None:
    organisation_reads(world.acme, "zh-hans")
    User.objects.filter(pk=world.outsider.pk).update(email="Sam@Example.com")
    prefer(world.outsider, "en")

    manager_client.post(
        reverse("invitation_list", args=[world.acme.pk]),
        {"email": "sam@example.com", "team": world.beta.pk},
        headers=ZH,
    )

    (email,) = mail.outbox
    assert email.subject == "You are invited to lead Beta logistics at Acme"
    expires = timezone.localdate(Invitation.objects.get().expires_at)
    assert f"expires on {expires.day} {expires:%b} {expires.year}." in email.body


# Password reset


def test_a_reader_of_chinese_gets_the_reset_email_in_chinese_from_an_english_page(
    client: Client, world: World
) -> None:
    address = with_address(world.lead)
    prefer(world.lead, "zh-hans")

    response = client.post(reverse("password_reset"), {"email": address}, follow=True, headers=EN)

    assert "Check your email" in response.content.decode()
    (email,) = mail.outbox
    assert email.subject == "设置新的客户体验成熟度密码"
    assert "有人申请重置客户体验成熟度账号 lead 的密码。打开以下链接设置新密码：" in email.body
    assert "http://testserver/accounts/reset/" in email.body


def test_a_reset_for_someone_who_never_chose_is_in_their_organisations_language(
    client: Client, world: World
) -> None:
    organisation_reads(world.acme, "zh-hans")
    addresses = [with_address(world.lead), with_address(world.other_lead)]

    for address in addresses:
        client.post(reverse("password_reset"), {"email": address}, headers=EN)

    acme_lead, globex_lead = mail.outbox
    assert acme_lead.subject == "设置新的客户体验成熟度密码"
    assert globex_lead.subject == "Choose a new password for CX maturity"


def test_the_page_a_reset_is_asked_from_does_not_choose_its_language(
    client: Client, world: World
) -> None:
    # Anyone may ask for a reset of someone else's account.
    address = with_address(world.lead)

    client.post(reverse("password_reset"), {"email": address}, headers=ZH)

    (email,) = mail.outbox
    assert email.subject == "Choose a new password for CX maturity"
    assert "Someone asked to reset the password of the CX maturity account lead." in email.body


def test_without_a_choice_or_an_organisation_the_sites_language_is_used(
    client: Client, world: World, settings: object
) -> None:
    settings.LANGUAGE_CODE = "zh-hans"  # type: ignore[attr-defined]
    address = with_address(world.outsider)

    client.post(reverse("password_reset"), {"email": address}, headers=EN)

    (email,) = mail.outbox
    assert email.subject == "设置新的客户体验成熟度密码"


# The organisation's language


def test_an_admin_sets_the_organisations_language(admin_client_: Client, world: World) -> None:
    url = reverse("admin:organisations_organisation_change", args=[world.acme.pk])
    assert 'name="language"' in admin_client_.get(url).content.decode()

    response = admin_client_.post(
        url,
        {
            "name": "Acme",
            "slug": "acme",
            "language": "zh-hans",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.acme.pk).language == "zh-hans"
    assert Organisation.objects.get(pk=world.globex.pk).language == "en"
