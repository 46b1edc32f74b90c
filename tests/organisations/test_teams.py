"""The teams page of CX managers: teams and their leads, adding a team, removing a lead."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from organisations import services as cycle_services
from organisations.models import Membership, Organisation, Team
from tests.conftest import World, logged_in

NOT_MANAGERS = ["lead", "lead2", "other_lead", "outsider", "admin"]


def teams_url(organisation: Organisation) -> str:
    return reverse("team_list", args=[organisation.pk])


def remove_url(membership: Membership) -> str:
    return reverse("lead_remove", args=[membership.organisation_id, membership.pk])


def lead_membership(world: World) -> Membership:
    return Membership.objects.get(user=world.lead, team=world.alpha, role=Membership.Role.LEAD)


# The list


def test_manager_sees_the_teams_and_their_leads(manager_client: Client, world: World) -> None:
    Team.objects.create(organisation=world.acme, name="Gamma support", slug="gamma-support")

    page = manager_client.get(teams_url(world.acme)).content.decode()

    assert "<h1>Teams at Acme</h1>" in page
    assert f'href="{teams_url(world.acme)}" aria-current="page">Teams</a>' in page
    for team in ("Alpha", "Beta", "Gamma support"):
        assert f'<th scope="row">{team}' in page or team in page
    membership = lead_membership(world)
    assert (
        f'href="{remove_url(membership)}" aria-label="Remove lead from {world.alpha.name}"' in page
    )
    assert "No lead yet." in page  # Gamma support
    assert world.gamma.name not in page  # globex's team


def test_the_list_reads_teams_and_leads_in_fixed_queries(
    manager_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(20):
        team = Team.objects.create(
            organisation=world.acme, name=f"Team {number:02}", slug=f"team-{number:02}"
        )
        Membership.objects.create(
            user=world.lead2, organisation=world.acme, team=team, role=Membership.Role.LEAD
        )

    # The session, the user, the organisation, the navigation's memberships,
    # the teams and their leads.
    with django_assert_max_num_queries(6):
        page = manager_client.get(teams_url(world.acme)).content.decode()
    assert page.count("Remove lead2 from") == 21


# Adding a team


def test_manager_adds_a_team(manager_client: Client, world: World) -> None:
    response = manager_client.post(teams_url(world.acme), {"name": "  Field sales "}, follow=True)

    assert response.redirect_chain == [(teams_url(world.acme), 302)]
    team = Team.objects.get(organisation=world.acme, name="Field sales")
    assert team.slug == "field-sales"
    page = response.content.decode()
    assert "Team Field sales added." in page
    invitations = manager_client.get(reverse("invitation_list", args=[world.acme.pk]))
    assert f'<option value="{team.pk}">Field sales</option>' in invitations.content.decode()


def test_chinese_team_names_get_slugs_of_their_own(manager_client: Client, world: World) -> None:
    manager_client.post(teams_url(world.acme), {"name": "华东客服"})
    manager_client.post(teams_url(world.acme), {"name": "华南客服"})

    slugs = set(
        Team.objects.filter(name__in=["华东客服", "华南客服"]).values_list("slug", flat=True)
    )
    assert len(slugs) == 2
    assert all(slug and slug.isascii() for slug in slugs)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("—!", "Use at least one letter or digit in the name."),
        ("alpha", "This organisation already has a team with this name."),  # its slug
        ("ALPHA SUPPORT", "This organisation already has a team with this name."),
    ],
)
def test_a_bad_team_name_is_shown_and_nothing_is_added(
    manager_client: Client, world: World, name: str, error: str
) -> None:
    teams = Team.objects.count()

    response = manager_client.post(teams_url(world.acme), {"name": name})

    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'aria-invalid="true"' in page
    assert Team.objects.count() == teams


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_organisations_managers_see_or_add_teams(world: World, who: str) -> None:
    client = logged_in(getattr(world, who))
    teams = Team.objects.count()

    assert client.get(teams_url(world.acme)).status_code == 404
    assert client.post(teams_url(world.acme), {"name": "Intruders"}).status_code == 404
    assert Team.objects.count() == teams


def test_a_manager_cannot_add_teams_to_another_organisation(
    manager_client: Client, world: World
) -> None:
    assert manager_client.post(teams_url(world.globex), {"name": "X"}).status_code == 404
    assert not Team.objects.filter(name="X").exists()


# Removing a lead


def test_manager_removes_a_lead_who_then_loses_access_and_keeps_their_assessments(
    manager_client: Client, world: World
) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    lead = logged_in(world.lead)
    section = reverse("assessment_section", args=[assessment.pk, 1])
    assert lead.get(section).status_code == 200
    membership = lead_membership(world)
    User.objects.filter(pk=world.lead.pk).update(first_name="Leo", last_name="Park")

    confirm = manager_client.get(remove_url(membership)).content.decode()
    assert f"Remove Leo Park from {world.alpha.name}?" in confirm
    assert "stay in the team’s results" in confirm
    assert Membership.objects.filter(pk=membership.pk).exists()  # asking changes nothing

    response = manager_client.post(remove_url(membership), follow=True)

    assert response.redirect_chain == [(teams_url(world.acme), 302)]
    message = f"Leo Park no longer leads {world.alpha.name}. Their assessments are kept."
    assert message in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert lead.get(section).status_code == 404
    # The manager still sees the team's assessment.
    results = reverse("cycle_overview", args=[world.cycle.pk])
    assert manager_client.get(results).status_code == 200


def test_removing_a_removed_lead_is_404_and_changes_nothing(
    manager_client: Client, world: World
) -> None:
    membership = lead_membership(world)
    manager_client.post(remove_url(membership))
    memberships = Membership.objects.count()

    assert manager_client.post(remove_url(membership)).status_code == 404
    assert Membership.objects.count() == memberships


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_organisations_managers_may_remove_leads(world: World, who: str) -> None:
    membership = Membership.objects.get(user=world.lead2, role=Membership.Role.LEAD)
    client = logged_in(getattr(world, who))

    assert client.get(remove_url(membership)).status_code == 404
    assert client.post(remove_url(membership)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_manager_cannot_remove_another_organisations_lead(
    manager_client: Client, world: World
) -> None:
    elsewhere = Membership.objects.get(user=world.other_lead, role=Membership.Role.LEAD)

    # Neither through the other organisation's address nor through their own.
    assert manager_client.post(remove_url(elsewhere)).status_code == 404
    own_address = reverse("lead_remove", args=[world.acme.pk, elsewhere.pk])
    assert manager_client.post(own_address).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_a_manager_membership_cannot_be_removed_here(manager_client: Client, world: World) -> None:
    own = Membership.objects.get(user=world.manager, role=Membership.Role.MANAGER)

    assert manager_client.post(remove_url(own)).status_code == 404
    assert Membership.objects.filter(pk=own.pk).exists()


def test_lead_remove_refuses_put(manager_client: Client, world: World) -> None:
    assert manager_client.put(remove_url(lead_membership(world))).status_code == 405


def test_the_teams_page_speaks_chinese(manager_client: Client, world: World) -> None:
    page = manager_client.get(teams_url(world.acme), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = page.content.decode()
    assert "添加团队" in html
    assert "移除" in html


# Renaming a team


def rename_url(team: Team) -> str:
    return reverse("team_rename", args=[team.organisation_id, team.pk])


def test_manager_renames_a_team_which_keeps_its_leads_and_assessments(
    manager_client: Client, world: World
) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    form_page = manager_client.get(rename_url(world.alpha)).content.decode()
    assert "<h1>Rename Alpha support</h1>" in form_page
    assert 'value="Alpha support"' in form_page
    list_page = manager_client.get(teams_url(world.acme)).content.decode()
    assert f'href="{rename_url(world.alpha)}" aria-label="Rename Alpha support"' in list_page

    response = manager_client.post(
        rename_url(world.alpha), {"name": "  Customer care "}, follow=True
    )

    page = response.content.decode()
    assert "Team Alpha support is now called Customer care." in page
    assert "Customer care" in page and "Alpha support" not in page.split("</h1>", 1)[1]
    world.alpha.refresh_from_db()
    assert (world.alpha.name, world.alpha.slug) == ("Customer care", "customer-care")
    assert lead_membership(world).team == world.alpha
    assessment.refresh_from_db()
    assert assessment.team_id == world.alpha.pk
    lead_home = logged_in(world.lead).get(reverse("home")).content.decode()
    assert "Customer care" in lead_home and "Alpha support" not in lead_home


def test_a_team_may_change_the_case_of_its_own_name(manager_client: Client, world: World) -> None:
    response = manager_client.post(rename_url(world.alpha), {"name": "ALPHA SUPPORT"})

    assert response.status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.name == "ALPHA SUPPORT"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("!!!", "Use at least one letter or digit in the name."),
        ("beta LOGISTICS", "This organisation already has a team with this name."),
        ("Beta", "This organisation already has a team with this name."),  # beta's slug
    ],
)
def test_a_bad_new_name_is_shown_next_to_the_field_and_nothing_changes(
    manager_client: Client, world: World, name: str, error: str
) -> None:
    response = manager_client.post(rename_url(world.alpha), {"name": name})

    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert 'aria-invalid="true"' in page
    assert "The team was not renamed." in page
    assert "<h1>Rename Alpha support</h1>" in page
    world.alpha.refresh_from_db()
    assert (world.alpha.name, world.alpha.slug) == ("Alpha support", "alpha")


def test_a_team_can_take_a_chinese_name(manager_client: Client, world: World) -> None:
    response = manager_client.post(
        rename_url(world.alpha), {"name": "客户服务部"}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True
    )

    assert "团队 Alpha support 已更名为 客户服务部。" in response.content.decode()
    world.alpha.refresh_from_db()
    assert world.alpha.name == "客户服务部"
    assert world.alpha.slug and world.alpha.slug.isascii()
    page = manager_client.get(rename_url(world.alpha), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "<h1>重命名 客户服务部</h1>" in page.content.decode()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_the_organisations_managers_may_rename_teams(world: World, who: str) -> None:
    client = logged_in(getattr(world, who))

    assert client.get(rename_url(world.alpha)).status_code == 404
    assert client.post(rename_url(world.alpha), {"name": "Taken over"}).status_code == 404
    world.alpha.refresh_from_db()
    assert world.alpha.name == "Alpha support"


def test_a_manager_cannot_rename_another_organisations_team(
    manager_client: Client, world: World
) -> None:
    assert manager_client.post(rename_url(world.gamma), {"name": "Ours"}).status_code == 404
    # Nor through their own organisation's address.
    url = reverse("team_rename", args=[world.acme.pk, world.gamma.pk])
    assert manager_client.post(url, {"name": "Ours"}).status_code == 404
    world.gamma.refresh_from_db()
    assert world.gamma.name == "Gamma sales"


def test_team_rename_refuses_put(manager_client: Client, world: World) -> None:
    assert manager_client.put(rename_url(world.alpha)).status_code == 405


def test_the_service_refuses_a_slug_in_use_and_changes_nothing(world: World) -> None:
    # A name checked free by the form, taken by another manager a moment later.
    with pytest.raises(cycle_services.TeamNameTaken):
        cycle_services.team_rename(team=world.alpha, name="Beta", user=world.manager)

    stored = Team.objects.get(pk=world.alpha.pk)
    assert (stored.name, stored.slug) == ("Alpha support", "alpha")
