"""Input a browser never sends gets a clear 4xx with the site's page, never a 500."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from organisations.models import Invitation
from tests.conftest import World


def test_a_form_body_in_another_charset_gets_the_sites_400_page() -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value

    response = client.post(
        reverse("login"),
        data=f"username=ana&password=secret&csrfmiddlewaretoken={token}",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert "This request could not be handled" in response.content.decode()


def test_the_400_page_is_in_the_users_language() -> None:
    client = Client(raise_request_exception=False)

    response = client.post(
        reverse("login"),
        data="username=ana",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "无法处理此请求" in response.content.decode()


def test_a_nul_byte_in_an_invitation_link_is_not_found(client: Client) -> None:
    client.raise_request_exception = False

    response = client.get("/invitations/%00/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_invitation_email_longer_than_the_column_is_refused_next_to_the_field(
    manager_client: Client, world: World
) -> None:
    long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"
    assert len(long_email) > 254

    response = manager_client.post(
        reverse("invitation_list", args=[world.acme.pk]),
        {"email": long_email, "team": world.beta.pk},
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "email" in form.errors
    assert "at most 254 characters" in form.errors["email"][0]
    assert not Invitation.objects.exists()
