"""Invitations: a CX manager invites a team lead by email; the link is used once to join."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations import services as cycle_services
from organisations.models import Invitation, Membership, Organisation, Team
from tests.conftest import World, logged_in

NEW_PASSWORD = "quiet-harbour-lantern-42"


def list_url(organisation: Organisation) -> str:
    return reverse("invitation_list", args=[organisation.pk])


def accept_url(invitation: Invitation) -> str:
    return reverse("invitation_accept", args=[invitation.token])


def invite(
    world: World, email: str = "ana.lima@example.com", team: Team | None = None
) -> Invitation:
    return cycle_services.invitation_create(
        team=team or world.beta, email=email, invited_by=world.manager
    )


def account_data(**overrides: str) -> dict[str, str]:
    data = {"username": "ana.lima", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(overrides)
    return data


NOT_MANAGERS = ["lead", "lead2", "other_lead", "outsider", "admin"]


# Sending


def test_manager_invites_a_lead_and_the_email_carries_the_link(
    manager_client: Client, world: World
) -> None:
    response = manager_client.post(
        list_url(world.acme), {"email": "Ana.Lima@EXAMPLE.com", "team": world.beta.pk}, follow=True
    )

    assert response.redirect_chain == [(list_url(world.acme), 302)]
    page = response.content.decode()
    assert "Invitation sent to Ana.Lima@example.com." in page
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.team, invitation.organisation) == (
        "Ana.Lima@example.com",
        world.beta,
        world.acme,
    )
    assert invitation.invited_by == world.manager
    assert len(invitation.token) >= 43
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )
    assert invitation.accepted_at is None
    assert "Pending" in page

    (email,) = mail.outbox
    assert email.to == ["Ana.Lima@example.com"]
    assert email.subject == "You are invited to lead Beta logistics at Acme"
    assert f"http://testserver/invitations/{invitation.token}/" in email.body
    assert "can be used once" in email.body


def test_the_email_is_written_in_the_organisations_language_not_the_managers(
    manager_client: Client, world: World
) -> None:
    manager_client.post(
        list_url(world.acme),
        {"email": "ana@example.com", "team": world.beta.pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    expires = timezone.localdate(Invitation.objects.get().expires_at)
    # The date format shows the language the email was rendered in: Acme's, English
    # (tests/organisations/test_email_language.py has the Chinese organisation).
    assert f"expires on {expires.day} {expires:%b} {expires.year}." in mail.outbox[0].body


def test_the_team_select_asks_for_a_choice_in_chinese_too(
    manager_client: Client, world: World
) -> None:
    page = manager_client.get(list_url(world.acme), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = page.content.decode()
    assert '<option value="" selected>- 请选择 -</option>' in html
    assert "Select an option" not in html


def test_the_form_offers_the_organisations_teams_only(manager_client: Client, world: World) -> None:
    page = manager_client.get(list_url(world.acme)).content.decode()
    assert "Alpha support" in page and "Beta logistics" in page
    assert "Gamma sales" not in page


def test_list_shows_pending_accepted_and_expired_invitations(
    manager_client: Client, world: World
) -> None:
    invite(world, "pending@example.com")
    expired = invite(world, "expired@example.com")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    accepted = invite(world, "accepted@example.com")
    cycle_services.invitation_accept(invitation=accepted, user=world.lead)
    withdrawn = invite(world, "withdrawn@example.com")
    cycle_services.invitation_withdraw(invitation=withdrawn, user=world.manager)
    invite(world, "elsewhere@example.com", team=world.gamma)

    response = manager_client.get(list_url(world.acme))

    rows = {invitation.email: state.label for invitation, state in response.context["invitations"]}
    assert rows == {
        "pending@example.com": "Pending",
        "expired@example.com": "Expired",
        "accepted@example.com": "Accepted",
        "withdrawn@example.com": "Withdrawn",
    }
    page = response.content.decode()
    assert "Expiry, acceptance or withdrawal" in page
    rows_html = {email: _row(page, email) for email in rows}
    assert "Accepted on" in rows_html["accepted@example.com"]
    assert "by lead" in rows_html["accepted@example.com"]
    assert "Withdrawn on" in rows_html["withdrawn@example.com"]
    assert "Expired on" in rows_html["expired@example.com"]
    assert "Expires on" in rows_html["pending@example.com"]
    assert "elsewhere@example.com" not in page

    chinese = manager_client.get(
        list_url(world.acme), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "到期、接受或撤回" in chinese
    assert re.search(r"已于 .+ 过期", _row(chinese, "expired@example.com"))
    assert re.search(r"将于 .+ 过期", _row(chinese, "pending@example.com"))


def _row(page: str, email: str) -> str:
    """The table row of the invitation sent to ``email``."""
    start = page.index(f'<th scope="row">{email}</th>')
    return page[start : page.index("</tr>", start)]


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"team": ""}, "team", "This field is required."),
        (
            {"team": "gamma"},
            "team",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_shown_and_nothing_is_sent(
    manager_client: Client, world: World, data: dict[str, Any], field: str, error: str
) -> None:
    values = {"email": "ana@example.com", "team": world.beta.pk, **data}
    if values["team"] == "gamma":
        values["team"] = world.gamma.pk
    response = manager_client.post(list_url(world.acme), values)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [error]
    assert "Nothing was sent." in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_someone_who_already_leads_the_team_is_not_invited_again(
    manager_client: Client, world: World
) -> None:
    world.lead2.email = "bea@example.com"
    world.lead2.save()
    response = manager_client.post(
        list_url(world.acme), {"email": "BEA@example.com", "team": world.beta.pk}
    )
    assert response.status_code == 400
    assert "BEA@example.com already leads Beta logistics." in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_organisations_managers_may_invite(world: World, who: str) -> None:
    client = logged_in(getattr(world, who))
    assert client.get(list_url(world.acme)).status_code == 404
    response = client.post(list_url(world.acme), {"email": "x@example.com", "team": world.beta.pk})
    assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_manager_cannot_invite_into_another_organisation(
    manager_client: Client, world: World
) -> None:
    response = manager_client.post(
        list_url(world.globex), {"email": "x@example.com", "team": world.gamma.pk}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_invitation_list_refuses_put(manager_client: Client, world: World) -> None:
    assert manager_client.put(list_url(world.acme)).status_code == 405


# Withdrawing


def withdraw_url(invitation: Invitation) -> str:
    return reverse("invitation_withdraw", args=[invitation.organisation_id, invitation.pk])


def test_manager_withdraws_a_pending_invitation_and_its_link_stops_working(
    manager_client: Client, world: World
) -> None:
    invitation = invite(world, "typo@exampel.com")
    page = manager_client.get(list_url(world.acme)).content.decode()
    assert f'action="{withdraw_url(invitation)}" method="post"' in page
    assert 'aria-label="Withdraw the invitation to typo@exampel.com"' in page

    response = manager_client.post(withdraw_url(invitation), follow=True)

    assert response.redirect_chain == [(list_url(world.acme), 302)]
    page = response.content.decode()
    assert "The invitation to typo@exampel.com is withdrawn; its link no longer works." in page
    assert "Withdrawn on" in page and "by manager" in page
    assert withdraw_url(invitation) not in page  # nothing left to withdraw
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert invitation.withdrawn_by == world.manager

    users = User.objects.count()
    response = Client().get(accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation was withdrawn. Ask your CX manager for a new one." in (
        response.content.decode()
    )
    response = Client().post(accept_url(invitation), account_data())
    assert response.status_code == 410
    assert User.objects.count() == users
    assert not Membership.objects.filter(team=world.beta).exclude(user=world.lead2).exists()


def test_withdrawing_speaks_chinese(manager_client: Client, world: World) -> None:
    invitation = invite(world)

    response = manager_client.post(
        withdraw_url(invitation), follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    page = response.content.decode()
    assert "发给 ana.lima@example.com 的邀请已撤回，其链接已失效。" in page
    assert "已撤回" in page  # the state
    response = Client().get(accept_url(invitation), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "此邀请已被撤回。" in response.content.decode()


def test_withdrawing_twice_is_harmless(manager_client: Client, world: World) -> None:
    invitation = invite(world)
    manager_client.post(withdraw_url(invitation))
    first = Invitation.objects.get(pk=invitation.pk).withdrawn_at

    response = manager_client.post(withdraw_url(invitation), follow=True)

    assert "is withdrawn" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at == first


def test_an_accepted_invitation_cannot_be_withdrawn(manager_client: Client, world: World) -> None:
    invitation = invite(world)
    cycle_services.invitation_accept(invitation=invitation, user=world.lead)

    response = manager_client.post(withdraw_url(invitation), follow=True)

    assert "was accepted already and cannot be withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    assert Membership.objects.filter(team=world.beta, user=world.lead).exists()


def test_an_expired_invitation_is_left_as_it_is(manager_client: Client, world: World) -> None:
    invitation = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = manager_client.post(withdraw_url(invitation), follow=True)

    assert "has expired; its link no longer works." in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_organisations_managers_may_withdraw(world: World, who: str) -> None:
    invitation = invite(world)

    response = logged_in(getattr(world, who)).post(withdraw_url(invitation))

    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None


def test_a_manager_cannot_withdraw_another_organisations_invitation(
    manager_client: Client, world: World
) -> None:
    elsewhere = cycle_services.invitation_create(
        team=world.gamma, email="x@example.com", invited_by=world.other_lead
    )
    # Neither through the other organisation's address nor through their own.
    assert manager_client.post(withdraw_url(elsewhere)).status_code == 404
    url = reverse("invitation_withdraw", args=[world.acme.pk, elsewhere.pk])
    assert manager_client.post(url).status_code == 404
    assert Invitation.objects.get(pk=elsewhere.pk).withdrawn_at is None


def test_withdraw_takes_post_only(manager_client: Client, world: World) -> None:
    invitation = invite(world)
    assert manager_client.get(withdraw_url(invitation)).status_code == 405
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None


# Accepting


def test_the_link_asks_for_a_username_prefilled_from_the_email(world: World) -> None:
    invitation = invite(world)
    response = Client().get(accept_url(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are invited to lead Beta logistics at Acme" in page
    assert 'name="username" value="ana.lima"' in page
    assert 'name="password1"' in page and 'name="password2"' in page


def test_the_suggested_username_avoids_taken_ones(world: World) -> None:
    # "lead" and "lead2" exist already.
    page = Client().get(accept_url(invite(world, "lead@example.com"))).content.decode()
    assert 'name="username" value="lead3"' in page


def test_a_new_lead_creates_an_account_and_joins_the_team(world: World) -> None:
    invitation = invite(world)
    client = Client()

    response = client.post(accept_url(invitation), account_data(), follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Welcome! You now lead Beta logistics." in response.content.decode()
    assert "Signed in as ana.lima" in response.content.decode()
    user = User.objects.get(username="ana.lima")
    assert user.email == "ana.lima@example.com"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.team, membership.organisation) == (
        Membership.Role.LEAD,
        world.beta,
        world.acme,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    # django-axes, the log-in throttle, needs the request authenticate() is for.
    assert Client().login(request=HttpRequest(), username="ana.lima", password=NEW_PASSWORD)


def test_a_logged_in_user_joins_with_their_account(world: World) -> None:
    world.lead2.email = "Lead2@Example.com"
    world.lead2.save()
    invitation = invite(world, email="lead2@example.com", team=world.alpha)
    client = logged_in(world.lead2)
    page = client.get(accept_url(invitation)).content.decode()
    assert "Join as lead2" in page
    assert 'name="password1"' not in page

    response = client.post(accept_url(invitation), follow=True)

    assert "Welcome! You now lead Alpha support." in response.content.decode()
    assert Membership.objects.filter(
        user=world.lead2, team=world.alpha, role=Membership.Role.LEAD
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.lead2
    assert not User.objects.filter(email="ana.lima@example.com").exists()


def test_someone_signed_in_with_another_email_cannot_take_the_invitation(
    world: World,
) -> None:
    invitation = invite(world, team=world.alpha)  # sent to ana.lima@example.com
    client = logged_in(world.other_lead)
    for response in (client.get(accept_url(invitation)), client.post(accept_url(invitation))):
        assert response.status_code == 403
        assert "This invitation was sent to ana.lima@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=world.other_lead, team=world.alpha).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_joining_a_team_one_leads_already_adds_no_second_membership(world: World) -> None:
    world.lead2.email = "lead2@example.com"
    world.lead2.save()
    invitation = invite(world, email="lead2@example.com", team=world.beta)
    logged_in(world.lead2).post(accept_url(invitation))
    assert Membership.objects.filter(user=world.lead2, team=world.beta).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.lead2


def test_a_used_link_is_refused(world: World) -> None:
    invitation = invite(world)
    Client().post(accept_url(invitation), account_data())

    response = Client().get(accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    response = Client().post(accept_url(invitation), account_data(username="someone.else"))
    assert response.status_code == 410
    assert not User.objects.filter(username="someone.else").exists()
    assert Membership.objects.filter(team=world.beta).count() == 2  # lead2 and ana.lima


def test_a_double_submit_creates_one_user(world: World) -> None:
    invitation = invite(world)
    cycle_services.invitation_accept(
        invitation=invitation, username="ana.lima", password=NEW_PASSWORD
    )
    with pytest.raises(cycle_services.InvitationUnavailable):
        cycle_services.invitation_accept(
            invitation=invitation, username="ana.lima2", password=NEW_PASSWORD
        )
    assert list(User.objects.filter(email="ana.lima@example.com")) == [
        User.objects.get(username="ana.lima")
    ]


def test_an_expired_link_is_refused_and_creates_nothing(world: World) -> None:
    invitation = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    users = User.objects.count()

    response = Client().get(accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation has expired. Ask your CX manager for a new one." in (
        response.content.decode()
    )
    response = Client().post(accept_url(invitation), account_data())
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    response = logged_in(world.outsider).post(accept_url(invitation))
    assert response.status_code == 410

    assert User.objects.count() == users
    assert not Membership.objects.filter(team=world.beta).exclude(user=world.lead2).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unknown_token_is_404_with_an_explanation(world: World) -> None:
    response = Client().get(reverse("invitation_accept", args=["no-such-token"]))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"password2": "something-else-42"}, "password2", "The two password fields didn’t match."),
        (
            {"password1": "short1", "password2": "short1"},
            "password2",
            "This password is too short. It must contain at least 8 characters.",
        ),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        (
            {"password1": "ana.lima.example", "password2": "ana.lima.example"},
            "password2",
            "too similar",
        ),
        ({"username": "lead"}, "username", "A user with that username already exists."),
        ({"username": "LEAD2"}, "username", "A user with that username already exists."),
        ({"username": "ana lima"}, "username", "Enter a valid username."),
        ({"username": ""}, "username", "This field is required."),
    ],
)
def test_bad_account_details_are_shown_and_nothing_is_created(
    world: World, overrides: dict[str, str], field: str, error: str
) -> None:
    invitation = invite(world)
    users = User.objects.count()

    response = Client().post(accept_url(invitation), account_data(**overrides))

    assert response.status_code == 400
    assert any(error in message for message in response.context["form"].errors[field])
    page = response.content.decode()
    assert "No account was created." in page
    assert error in page
    assert User.objects.count() == users
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_refuses_put(world: World) -> None:
    assert Client().put(accept_url(invite(world))).status_code == 405


def test_one_address_cannot_hold_two_pending_invitations_to_a_team(
    manager_client: Client, world: World
) -> None:
    invite(world, "ana.lima@example.com", team=world.beta)
    response = manager_client.post(
        list_url(world.acme), {"email": "Ana.Lima@example.com", "team": world.beta.pk}
    )

    assert response.status_code == 400
    message = (
        "Ana.Lima@example.com already has a pending invitation to Beta logistics. "
        "Withdraw it below to send a new one."
    )
    page = " ".join(response.content.decode().split())
    assert re.search(r'id="error_1_id_email"[^>]*> ?<strong>' + re.escape(message), page)
    assert Invitation.objects.count() == 1
    assert not mail.outbox


def test_a_withdrawn_expired_or_other_teams_invitation_does_not_block_a_new_one(
    manager_client: Client, world: World
) -> None:
    withdrawn = invite(world, "ana.lima@example.com", team=world.beta)
    cycle_services.invitation_withdraw(invitation=withdrawn, user=world.manager)
    expired = invite(world, "bea@example.com", team=world.beta)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    invite(world, "cai@example.com", team=world.alpha)

    for email in ("ana.lima@example.com", "bea@example.com", "cai@example.com"):
        response = manager_client.post(
            list_url(world.acme), {"email": email, "team": world.beta.pk}
        )
        assert response.status_code == 302, email
    assert Invitation.objects.filter(team=world.beta).count() == 5
    assert len(mail.outbox) == 3
