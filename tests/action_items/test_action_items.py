"""Action items: commit a result's step, the team and organisation lists, edit, carry over."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from action_items import services
from action_items.models import ActionItem
from assessments.models import Assessment
from organisations.models import Cycle
from playbook.models import ActionStep
from playbook.versions import rubric_version_for
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_results import submitted

# alpha: (2 + 4) / 2 = 3.0 -> level 3; beta: (1 + 2) / 2 = 1.5 -> level 2.
ANSWERS = {
    "alpha-element-level": "level-2",
    "alpha-element-agree": "agree",
    "beta-element-level": "level-1",
    "beta-element-agree": "disagree",
}
DUE = datetime.date(2026, 9, 30)
# A new item cannot be due in the past: committed ones are due in a month.
NEW_DUE = datetime.date.today() + datetime.timedelta(days=30)


def step(element_key: str, level: int, index: int) -> ActionStep:
    return ActionStep.objects.get(
        level__element__key=element_key, level__number=level, key=f"step-{index}"
    )


def create_url(assessment: Assessment, action_step: ActionStep | None = None) -> str:
    url = reverse("action_item_create", args=[assessment.pk])
    return f"{url}?step={action_step.pk}" if action_step else url


def team_url(world: World, query: str = "") -> str:
    return reverse("team_action_items", args=[world.alpha.pk]) + query


def organisation_url(world: World, query: str = "") -> str:
    return reverse("organisation_action_items", args=[world.acme.pk]) + query


def edit_url(item: ActionItem) -> str:
    return reverse("action_item_edit", args=[item.pk])


def carry_over_url(world: World, cycle: Cycle) -> str:
    return reverse("action_item_carry_over", args=[world.alpha.pk, cycle.pk])


def client_for(world: World, who: str) -> Client:
    return logged_in(getattr(world, who))


def make_item(world: World, title: str, **values: Any) -> ActionItem:
    values.setdefault("team", world.alpha)
    values.setdefault("cycle", world.cycle)
    values.setdefault("element_key", "alpha-element")
    values.setdefault("created_by", world.lead)
    return ActionItem.objects.create(title_en=title, **values)


def previous_cycle(world: World, **extra: Any) -> Cycle:
    values: dict[str, Any] = {
        "name": "2026 H1",
        "slug": "2026-h1",
        "opens_on": world.cycle.opens_on - datetime.timedelta(days=180),
        "closes_on": world.cycle.opens_on - datetime.timedelta(days=120),
    }
    values.update(extra)
    return factories.make_cycle(world.acme, [world.framework], **values)


@pytest.fixture
def assessment(world: World) -> Assessment:
    return submitted(world, world.lead, ANSWERS)


def field_error(field: str, message: str) -> str:
    """An error as it shows right below its field (whitespace collapsed)."""
    return (
        f'<div id="id_{field}_error" class="invalid-feedback"> '
        f'<p id="error_1_id_{field}"><strong>{message}'
    )


def commit_data(action_step: ActionStep, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "step": action_step.pk,
        "owner": "",
        "owner_name": "",
        "due_date": NEW_DUE.isoformat(),
        "status": "todo",
        "notes": "",
    }
    data.update(overrides)
    return data


# Committing a step from the results


def test_results_page_offers_to_commit_each_step(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    page = lead_client.get(reverse("assessment_results", args=[assessment.pk])).content.decode()
    for action_step in (step("alpha-element", 3, 1), step("beta-element", 2, 2)):
        assert f'href="{create_url(assessment, action_step)}"' in page
    assert "Commit as action item" in page


def test_lead_commits_a_step_with_a_member_as_owner(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    action_step = step("alpha-element", 3, 1)
    world.lead2.first_name, world.lead2.last_name = "Bea", "Beta"
    world.lead2.save()

    form_page = lead_client.get(create_url(assessment, action_step)).content.decode()
    assert f'<option value="{action_step.pk}" selected>alpha-element step 3.1</option>' in form_page
    assert "Bea Beta" in form_page  # a member of another team of the organisation may own it
    response = lead_client.post(
        create_url(assessment),
        commit_data(action_step, owner=world.lead2.pk, status="doing", notes="Start with VIPs."),
    )

    assert response.status_code == 302
    assert response["Location"] == team_url(world, f"?cycle={world.cycle.pk}")
    item = ActionItem.objects.get()
    assert (item.team, item.cycle, item.action_step) == (world.alpha, world.cycle, action_step)
    assert (item.title, item.element_key, item.step_key) == (
        "alpha-element step 3.1",
        "alpha-element",
        "step-1",
    )
    assert (item.owner, item.owner_name, item.due_date) == (world.lead2, "", NEW_DUE)
    assert (item.status, item.notes, item.created_by) == ("doing", "Start with VIPs.", world.lead)
    page = lead_client.get(response["Location"]).content.decode()
    assert "alpha-element step 3.1" in page
    assert "Bea Beta" in page
    assert "Doing" in page


def test_manager_commits_a_step_with_an_owner_without_login(
    manager_client: Client, world: World, assessment: Assessment
) -> None:
    action_step = step("beta-element", 2, 2)
    response = manager_client.post(
        create_url(assessment), commit_data(action_step, owner_name="  Sam Smith ", due_date="")
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner, item.owner_name, item.due_date) == (None, "Sam Smith", None)
    assert (item.element_key, item.step_key, item.status) == ("beta-element", "step-2", "todo")
    assert item.created_by == world.manager


def test_a_committed_step_shows_as_committed_and_is_not_duplicated(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    action_step = step("alpha-element", 3, 2)
    item = services.action_item_create(
        team=world.alpha,
        cycle=world.cycle,
        action_step=action_step,
        owner=world.lead,
        owner_name="",
        due_date=None,
        notes="",
        user=world.manager,
    )

    page = lead_client.get(create_url(assessment, action_step)).content.decode()
    assert "is already an action item of the team (To do)" in page
    assert f'href="{edit_url(item)}"' in page
    assert "alpha-element step 3.2 (already an action item)" in page
    response = lead_client.post(create_url(assessment), commit_data(action_step, owner_name="Sam"))
    assert response.status_code == 400
    assert "This step is already an action item of the team for this cycle." in (
        response.content.decode()
    )
    assert ActionItem.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": "next week", "owner_name": "Sam"}, "due_date", "Enter a date such as"),
        (
            {"notes": "x" * 2001, "owner_name": "Sam"},
            "notes",
            "Ensure this value has at most 2000 characters",
        ),
        ({}, "owner", "Choose an owner, or type the name of someone without a login."),
        ({"owner_name": "Sam", "owner": "lead"}, "owner_name", "Leave the name empty"),
        ({"owner": "other_lead"}, "owner", "Select a valid choice."),  # another organisation
        ({"owner": "outsider"}, "owner", "Select a valid choice."),  # no membership at all
        ({"owner_name": "Sam", "status": "blocked"}, "status", "Select a valid choice."),
        # A step of another level, or of another rubric altogether.
        ({"owner_name": "Sam", "step": ("alpha-element", 2, 1)}, "step", "Select a valid choice."),
        ({"owner_name": "Sam", "step": ("alpha-element", 4, 1)}, "step", "Select a valid choice."),
        ({"owner_name": "Sam", "step": ("gamma-element", 1, 1)}, "step", "Select a valid choice."),
        ({"owner_name": "Sam", "step": "not-a-number"}, "step", "Select a valid choice."),
    ],
)
def test_commit_refuses_bad_input_and_saves_nothing(
    lead_client: Client,
    world: World,
    assessment: Assessment,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    factories.make_rubric("other-framework", ("gamma-element",))  # another rubric's steps
    if isinstance(overrides.get("owner"), str):
        overrides["owner"] = getattr(world, overrides["owner"]).pk
    if isinstance(overrides.get("step"), tuple):
        overrides["step"] = step(*overrides["step"]).pk
    response = lead_client.post(
        create_url(assessment), commit_data(step("alpha-element", 3, 1), **overrides)
    )
    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    assert "Nothing was saved." in page
    # The error sits next to its field.
    assert field_error(field, message) in page
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider", "admin"])
def test_commit_is_404_for_everyone_else(world: World, assessment: Assessment, who: str) -> None:
    client = client_for(world, who)
    action_step = step("alpha-element", 3, 1)
    assert client.get(create_url(assessment, action_step)).status_code == 404
    response = client.post(create_url(assessment), commit_data(action_step, owner_name="Sam"))
    assert response.status_code == 404
    assert not ActionItem.objects.exists()


def test_commit_needs_a_submitted_assessment(lead_client: Client, world: World) -> None:
    draft = Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)
    assert lead_client.get(create_url(draft)).status_code == 404


def test_commit_sends_anonymous_users_to_log_in(
    client: Client, world: World, assessment: Assessment
) -> None:
    response = client.get(create_url(assessment))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_commit_refuses_other_methods(lead_client: Client, assessment: Assessment) -> None:
    assert lead_client.put(create_url(assessment)).status_code == 405
    assert lead_client.delete(create_url(assessment)).status_code == 405


def team_commit_url(world: World, action_step: ActionStep | None = None) -> str:
    url = reverse("team_action_item_create", args=[world.alpha.pk, world.cycle.pk])
    return f"{url}?step={action_step.pk}" if action_step else url


@pytest.fixture
def two_respondents(world: World) -> tuple[Assessment, Assessment]:
    """alpha-element: lead 1.0 (level 1), second 4.5 (level 5); the team median 2.75 (level 3)."""
    second = factories.make_user("second")
    factories.make_lead(second, world.alpha)
    mine = submitted(
        world,
        world.lead,
        {"alpha-element-level": "level-1", "alpha-element-agree": "strongly-disagree"},
    )
    theirs = submitted(
        world, second, {"alpha-element-level": "level-4", "alpha-element-agree": "strongly-agree"}
    )
    return mine, theirs


def test_team_result_commits_the_steps_of_the_median_level(
    lead_client: Client, world: World, two_respondents: tuple[Assessment, Assessment]
) -> None:
    median_step = step("alpha-element", 3, 1)
    page = lead_client.get(
        reverse("team_result", args=[world.alpha.pk, world.cycle.pk])
    ).content.decode()
    assert f'href="{team_commit_url(world, median_step)}"' in page

    # Not a step of the lead's own result (level 1) ...
    mine, _theirs = two_respondents
    response = lead_client.post(create_url(mine), commit_data(median_step, owner_name="Sam"))
    assert response.status_code == 400
    # ... but one of the team's.
    response = lead_client.post(team_commit_url(world), commit_data(median_step, owner_name="Sam"))
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.team, item.cycle, item.action_step) == (world.alpha, world.cycle, median_step)
    assert item.title == "alpha-element step 3.1"


def test_team_commit_is_404_without_a_submitted_result_or_for_others(
    world: World, two_respondents: tuple[Assessment, Assessment]
) -> None:
    for who in ("lead2", "other_lead", "outsider"):
        assert client_for(world, who).get(team_commit_url(world)).status_code == 404
    beta_url = reverse("team_action_item_create", args=[world.beta.pk, world.cycle.pk])
    assert logged_in(world.manager).get(beta_url).status_code == 404  # beta submitted nothing
    other_cycle = reverse("team_action_item_create", args=[world.alpha.pk, world.globex_cycle.pk])
    assert logged_in(world.lead).get(other_cycle).status_code == 404
    assert logged_in(world.lead).put(team_commit_url(world)).status_code == 405


# The lists


@pytest.fixture
def items(world: World) -> dict[str, ActionItem]:
    world.lead.first_name, world.lead.last_name = "Lee", "Lead"
    world.lead.save()
    earlier = previous_cycle(world)
    return {
        "survey": make_item(world, "Run a survey", owner=world.lead, due_date=DUE, status="doing"),
        "journey": make_item(
            world, "Map the journey", owner_name="Sam Smith", element_key="beta-element"
        ),
        "done": make_item(world, "Name a sponsor", owner=world.manager, status="done"),
        "earlier": make_item(world, "Earlier cycle item", cycle=earlier, owner=world.lead),
        "beta": make_item(world, "Beta team item", team=world.beta, owner=world.lead2),
        "gamma": make_item(
            world, "Gamma team item", team=world.gamma, cycle=world.globex_cycle, owner_name="G"
        ),
    }


def test_team_list_shows_the_current_cycle_with_owner_due_date_and_status(
    lead_client: Client, world: World, items: dict[str, ActionItem]
) -> None:
    response = lead_client.get(team_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Run a survey",
        "Lee Lead",
        "30 Sep 2026",
        "Doing",
        "Element alpha-element",
    ):
        assert expected in page
    assert "Map the journey" in page
    assert "Sam Smith" in page
    assert "Element beta-element" in page
    assert "Name a sponsor" in page
    assert "Earlier cycle item" not in page  # another cycle
    assert "Beta team item" not in page
    assert "Gamma team item" not in page
    assert f'href="{edit_url(items["survey"])}?next=' in page
    # A GET form with labelled selects and a real submit button.
    assert '<form method="get"' in page
    collapsed = " ".join(page.split())
    for name, label in [
        ("cycle", "Cycle"),
        ("status", "Status"),
        ("owner", "Owner"),
        ("element", "Element"),
    ]:
        assert f'<label for="id_{name}" class="form-label"> {label} </label>' in collapsed
        assert f'<select name="{name}"' in page
    assert '<button type="submit" class="btn btn-primary">Show</button>' in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?status=doing", ["Run a survey"], ["Map the journey", "Name a sponsor"]),
        ("?status=done", ["Name a sponsor"], ["Run a survey"]),
        ("?owner={lead}", ["Run a survey"], ["Map the journey", "Name a sponsor"]),
        ("?owner=name:Sam+Smith", ["Map the journey"], ["Run a survey", "Name a sponsor"]),
        ("?element=beta-element", ["Map the journey"], ["Run a survey", "Name a sponsor"]),
        ("?cycle={earlier}", ["Earlier cycle item"], ["Run a survey"]),
        ("?cycle=", ["Earlier cycle item", "Run a survey", "Map the journey"], ["Beta team item"]),
        ("?cycle={cycle}&status=todo&element=beta-element", ["Map the journey"], ["Run a survey"]),
    ],
)
def test_team_list_filters_from_the_query_string(
    lead_client: Client,
    world: World,
    items: dict[str, ActionItem],
    query: str,
    shown: list[str],
    hidden: list[str],
) -> None:
    query = query.format(
        lead=world.lead.pk, earlier=items["earlier"].cycle_id, cycle=world.cycle.pk
    )
    page = lead_client.get(team_url(world, query)).content.decode()
    for title in shown:
        assert title in page
    for title in hidden:
        assert title not in page


def test_team_list_keeps_the_chosen_filters_selected(
    lead_client: Client, world: World, items: dict[str, ActionItem]
) -> None:
    page = lead_client.get(
        team_url(world, f"?status=doing&owner={world.lead.pk}&element=alpha-element")
    ).content.decode()
    assert '<option value="doing" selected>Doing</option>' in page
    assert f'<option value="{world.lead.pk}" selected>Lee Lead</option>' in page
    assert '<option value="alpha-element" selected>Element alpha-element</option>' in page
    assert f'<option value="{world.cycle.pk}" selected>2026 H2</option>' in page


def test_team_list_shows_an_invalid_filter_as_an_error(
    lead_client: Client, world: World, items: dict[str, ActionItem]
) -> None:
    response = lead_client.get(team_url(world, f"?owner={world.other_lead.pk}&status=doing"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in page
    assert "Run a survey" in page  # the valid filters still apply
    assert "Name a sponsor" not in page


def test_manager_sees_every_team_list_of_the_organisation(
    manager_client: Client, world: World, items: dict[str, ActionItem]
) -> None:
    assert "Run a survey" in manager_client.get(team_url(world)).content.decode()
    beta_url = reverse("team_action_items", args=[world.beta.pk])
    assert "Beta team item" in manager_client.get(beta_url).content.decode()


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider", "admin"])
def test_team_list_is_404_for_everyone_else(
    world: World, items: dict[str, ActionItem], who: str
) -> None:
    assert client_for(world, who).get(team_url(world)).status_code == 404


def test_team_list_needs_get(lead_client: Client, world: World) -> None:
    assert lead_client.post(team_url(world)).status_code == 405


def test_organisation_list_shows_every_team_for_the_manager(
    manager_client: Client, world: World, items: dict[str, ActionItem]
) -> None:
    page = manager_client.get(organisation_url(world)).content.decode()
    for expected in ("Run a survey", "Alpha support", "Beta team item", "Beta logistics"):
        assert expected in page
    assert "Gamma team item" not in page
    assert "Earlier cycle item" not in page
    assert '<select name="team"' in page

    page = manager_client.get(organisation_url(world, f"?team={world.beta.pk}")).content.decode()
    assert "Beta team item" in page
    assert "Run a survey" not in page


@pytest.mark.parametrize("who", ["lead", "lead2", "other_lead", "outsider", "admin"])
def test_organisation_list_is_404_for_everyone_but_its_managers(
    world: World, items: dict[str, ActionItem], who: str
) -> None:
    assert client_for(world, who).get(organisation_url(world)).status_code == 404


def test_organisation_list_needs_get(manager_client: Client, world: World) -> None:
    assert manager_client.post(organisation_url(world)).status_code == 405


def test_lists_use_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    earlier = previous_cycle(world)
    owners = [
        factories.make_user(f"owner{index}", first_name=f"Owner{index}") for index in range(5)
    ]
    for owner in owners:
        factories.make_lead(owner, world.beta)
    for index in range(50):
        original = make_item(world, f"Earlier {index}", cycle=earlier, owner=owners[index % 5])
        make_item(
            world,
            f"Item {index}",
            team=world.alpha if index % 2 else world.beta,
            owner=owners[index % 5] if index % 3 else None,
            owner_name="" if index % 3 else f"Name {index}",
            element_key="alpha-element" if index % 4 else "beta-element",
            due_date=DUE,
            carried_from=original if index % 2 else None,
        )
    lead, manager = logged_in(world.lead), logged_in(world.manager)

    # The session, the user, the navigation's organisations, the team, the filters' cycles, members,
    # typed names and elements, the items, and the carry-over offer (previous cycle,
    # its open items, steps committed afresh).
    with django_assert_max_num_queries(12):
        page = lead.get(team_url(world)).content.decode()
    assert page.count("carried over from 2026 H1") == 25
    # The session, the user, the navigation's organisations, the organisation, the filters (the
    # teams too), and the items.
    with django_assert_max_num_queries(10):
        page = manager.get(organisation_url(world)).content.decode()
    assert page.count(">Edit</a>") == 50


# Editing


@pytest.fixture
def item(world: World) -> ActionItem:
    return make_item(world, "Run a survey", owner=world.lead, due_date=DUE, notes="First notes.")


def edit_data(**overrides: Any) -> dict[str, Any]:
    data = {"status": "doing", "owner": "", "owner_name": "Sam Smith", "due_date": "2026-10-15"}
    data.update({"notes": "Survey drafted.", **overrides})
    return data


def test_edit_page_shows_the_item_with_its_values(
    lead_client: Client, world: World, item: ActionItem
) -> None:
    page = lead_client.get(edit_url(item)).content.decode()
    assert "<h1>Run a survey</h1>" in page
    assert 'value="2026-09-30"' in page
    assert f'<option value="{world.lead.pk}" selected>lead</option>' in page
    assert "First notes." in page


@pytest.mark.parametrize("who", ["lead", "manager"])
def test_lead_and_manager_change_status_owner_due_date_and_notes(
    world: World, item: ActionItem, who: str
) -> None:
    response = client_for(world, who).post(edit_url(item), edit_data())
    assert response.status_code == 302
    assert response["Location"] == team_url(world, f"?cycle={world.cycle.pk}")
    item.refresh_from_db()
    assert (item.status, item.owner, item.owner_name) == ("doing", None, "Sam Smith")
    assert (item.due_date, item.notes) == (datetime.date(2026, 10, 15), "Survey drafted.")
    assert item.title == "Run a survey"


def test_edit_returns_to_the_filtered_list(
    lead_client: Client, world: World, item: ActionItem
) -> None:
    back = team_url(world, "?status=doing")
    response = lead_client.post(edit_url(item), edit_data(next=back))
    assert response["Location"] == back
    response = lead_client.post(edit_url(item), edit_data(next="https://evil.example/"))
    assert response["Location"] == team_url(world, f"?cycle={world.cycle.pk}")


def test_edit_to_a_member_owner_clears_the_typed_name(
    lead_client: Client, world: World, item: ActionItem
) -> None:
    lead_client.post(edit_url(item), edit_data())
    lead_client.post(edit_url(item), edit_data(owner=world.manager.pk, owner_name=""))
    item.refresh_from_db()
    assert (item.owner, item.owner_name) == (world.manager, "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": "2026-13-45"}, "due_date", "Enter a date such as 2026-09-30."),
        ({"notes": "x" * 2001}, "notes", "Ensure this value has at most 2000 characters"),
        ({"owner": "other_lead", "owner_name": ""}, "owner", "Select a valid choice."),
        ({"owner_name": ""}, "owner", "Choose an owner"),
        ({"status": "blocked"}, "status", "Select a valid choice."),
    ],
)
def test_edit_refuses_bad_input_and_changes_nothing(
    lead_client: Client,
    world: World,
    item: ActionItem,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    if overrides.get("owner") == "other_lead":
        overrides["owner"] = world.other_lead.pk
    response = lead_client.post(edit_url(item), edit_data(**overrides))
    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    assert field_error(field, message) in page
    item.refresh_from_db()
    assert (item.status, item.owner, item.due_date, item.notes) == (
        "todo",
        world.lead,
        DUE,
        "First notes.",
    )


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider", "admin"])
def test_edit_is_404_for_everyone_else(world: World, item: ActionItem, who: str) -> None:
    client = client_for(world, who)
    assert client.get(edit_url(item)).status_code == 404
    assert client.post(edit_url(item), edit_data()).status_code == 404
    item.refresh_from_db()
    assert item.status == "todo"


def test_edit_refuses_other_methods(lead_client: Client, item: ActionItem) -> None:
    assert lead_client.put(edit_url(item)).status_code == 405
    assert lead_client.delete(edit_url(item)).status_code == 405


# Carrying open items over to the next cycle


@pytest.fixture
def earlier_items(world: World) -> dict[str, ActionItem]:
    earlier = previous_cycle(world)
    oldest = previous_cycle(
        world,
        name="2025 H2",
        slug="2025-h2",
        opens_on=earlier.opens_on - datetime.timedelta(days=180),
        closes_on=earlier.opens_on - datetime.timedelta(days=120),
    )
    return {
        "todo": make_item(
            world,
            "Open survey",
            title_zh_hans="未完成的调查",
            cycle=earlier,
            owner=world.lead,
            action_step=step("alpha-element", 3, 1),
            step_key="step-1",
            due_date=DUE,
            notes="Half done.",
        ),
        "doing": make_item(world, "Journey map", cycle=earlier, owner_name="Sam", status="doing"),
        "done": make_item(world, "Finished sponsor", cycle=earlier, status="done"),
        "oldest": make_item(world, "Two cycles ago", cycle=oldest),
        "beta": make_item(world, "Beta's open item", cycle=earlier, team=world.beta),
    }


def test_team_list_offers_to_carry_over_the_open_items(
    lead_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    page = lead_client.get(team_url(world)).content.decode()
    assert "2 open items from 2026 H1 are not in 2026 H2 yet." in page
    assert f'action="{carry_over_url(world, world.cycle)}"' in page
    assert "Carry over open items from 2026 H1" in page


def test_carry_over_copies_the_open_items_once(
    lead_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    response = lead_client.post(carry_over_url(world, world.cycle))
    assert response.status_code == 302
    assert response["Location"] == team_url(world, f"?cycle={world.cycle.pk}")

    copies = ActionItem.objects.filter(cycle=world.cycle).order_by("title_en")
    assert [(copy.title, copy.status, copy.carried_from) for copy in copies] == [
        ("Journey map", "doing", earlier_items["doing"]),
        ("Open survey", "todo", earlier_items["todo"]),
    ]
    survey = copies[1]
    assert (survey.owner, survey.due_date, survey.notes) == (world.lead, DUE, "Half done.")
    assert (survey.title_en, survey.title_zh_hans) == ("Open survey", "未完成的调查")
    assert copies[0].title_zh_hans == ""  # read in English by everyone, as before
    assert (survey.action_step, survey.step_key) == (step("alpha-element", 3, 1), "step-1")
    assert survey.created_by == world.lead
    assert copies[0].owner_name == "Sam"

    page = lead_client.get(response["Location"]).content.decode()
    assert "2 open items carried over." in page
    assert "未完成的调查" not in page
    assert page.count("carried over from 2026 H1") == 2
    assert "Carry over open items from 2026 H1" not in page  # nothing left to carry
    chinese = lead_client.get(team_url(world), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "未完成的调查" in chinese
    assert "Journey map" in chinese

    # Again: nothing new.
    response = lead_client.post(carry_over_url(world, world.cycle), follow=True)
    assert "There were no open items left to carry over." in response.content.decode()
    assert ActionItem.objects.filter(cycle=world.cycle).count() == 2


def test_carry_over_service_is_idempotent_and_skips_steps_committed_afresh(
    world: World, earlier_items: dict[str, ActionItem]
) -> None:
    services.action_item_create(
        team=world.alpha,
        cycle=world.cycle,
        action_step=step("alpha-element", 3, 1),
        owner=None,
        owner_name="New owner",
        due_date=None,
        notes="",
        user=world.lead,
    )
    copies = services.action_item_carry_over(team=world.alpha, cycle=world.cycle, user=world.lead)
    assert [copy.title for copy in copies] == ["Journey map"]
    assert (
        services.action_item_carry_over(team=world.alpha, cycle=world.cycle, user=world.lead) == []
    )
    assert ActionItem.objects.filter(cycle=world.cycle).count() == 2

    # An item reopened in the previous cycle afterwards is carried then, once.
    earlier_items["done"].status = "doing"
    earlier_items["done"].save()
    copies = services.action_item_carry_over(team=world.alpha, cycle=world.cycle, user=world.lead)
    assert [copy.title for copy in copies] == ["Finished sponsor"]
    assert (
        services.action_item_carry_over(team=world.alpha, cycle=world.cycle, user=world.lead) == []
    )


def test_carry_over_takes_the_cycle_that_opened_last_before(
    world: World, earlier_items: dict[str, ActionItem]
) -> None:
    previous = world.cycle.previous()
    assert previous is not None
    assert previous.name == "2026 H1"
    # The first cycle has nothing before it.
    oldest = earlier_items["oldest"].cycle
    assert oldest.previous() is None
    assert services.action_item_carry_over(team=world.alpha, cycle=oldest, user=world.lead) == []


def test_no_carry_over_offer_without_open_items(lead_client: Client, world: World) -> None:
    earlier = previous_cycle(world)
    make_item(world, "Finished", cycle=earlier, status="done")
    assert "Carry over" not in lead_client.get(team_url(world)).content.decode()


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider"])
def test_carry_over_is_404_for_everyone_else(
    world: World, earlier_items: dict[str, ActionItem], who: str
) -> None:
    assert client_for(world, who).post(carry_over_url(world, world.cycle)).status_code == 404
    assert not ActionItem.objects.filter(cycle=world.cycle).exists()


def test_carry_over_refuses_a_cycle_of_another_organisation(
    lead_client: Client, world: World
) -> None:
    assert lead_client.post(carry_over_url(world, world.globex_cycle)).status_code == 404


def test_carry_over_needs_post(
    lead_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    assert lead_client.get(carry_over_url(world, world.cycle)).status_code == 405
    assert not ActionItem.objects.filter(cycle=world.cycle).exists()


def test_manager_carries_over_for_a_team(
    manager_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    assert manager_client.post(carry_over_url(world, world.cycle)).status_code == 302
    assert set(
        ActionItem.objects.filter(cycle=world.cycle).values_list("created_by", flat=True)
    ) == {world.manager.pk}


def test_a_closed_cycle_takes_no_carried_items(
    lead_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    response = lead_client.post(carry_over_url(world, world.cycle), follow=True)
    assert "This cycle is closed" in response.content.decode()
    assert not ActionItem.objects.filter(cycle=world.cycle).exists()


def test_a_scheduled_cycle_takes_carried_items_before_it_opens(
    lead_client: Client, world: World, earlier_items: dict[str, ActionItem]
) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        opens_on=datetime.date.today() + datetime.timedelta(days=5)
    )
    response = lead_client.post(carry_over_url(world, world.cycle), follow=True)
    assert "This cycle is closed" not in response.content.decode()
    assert ActionItem.objects.filter(cycle=world.cycle).exists()


def test_a_closed_cycle_takes_no_new_items(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    response = lead_client.post(
        create_url(assessment), commit_data(step("alpha-element", 3, 1), owner_name="Kim")
    )
    assert response.status_code == 400
    assert "This cycle is closed" in response.content.decode()
    assert not ActionItem.objects.exists()


# Due dates, default owner and the current cycle


def test_a_new_item_cannot_be_due_in_the_past(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    response = lead_client.post(
        create_url(assessment),
        commit_data(step("alpha-element", 3, 1), owner_name="Sam", due_date=yesterday.isoformat()),
    )
    assert response.status_code == 400
    page = " ".join(response.content.decode().split())
    assert (
        field_error(
            "due_date", "Choose today or a later date: a new action item cannot be due in the past."
        )
        in page
    )
    assert not ActionItem.objects.exists()


def test_a_new_item_may_be_due_today(
    lead_client: Client, world: World, assessment: Assessment
) -> None:
    today = datetime.date.today()
    response = lead_client.post(
        create_url(assessment),
        commit_data(step("alpha-element", 3, 1), owner_name="Sam", due_date=today.isoformat()),
    )
    assert response.status_code == 302
    assert ActionItem.objects.get().due_date == today


def test_an_existing_item_past_its_due_date_can_still_be_edited(
    lead_client: Client, world: World
) -> None:
    last_month = datetime.date.today() - datetime.timedelta(days=30)
    item = make_item(world, "Run a survey", owner=world.lead, due_date=last_month)
    response = lead_client.post(
        edit_url(item), edit_data(owner=world.lead.pk, owner_name="", due_date=last_month)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.due_date, item.status, item.notes) == (last_month, "doing", "Survey drafted.")


@pytest.mark.parametrize("who", ["lead", "manager"])
def test_the_owner_of_a_new_item_is_whoever_commits_it(
    world: World, assessment: Assessment, who: str
) -> None:
    user = getattr(world, who)
    page = client_for(world, who).get(create_url(assessment, step("alpha-element", 3, 1)))
    assert f'<option value="{user.pk}" selected>' in page.content.decode()


def test_the_action_item_lists_never_default_to_a_scheduled_cycle(
    lead_client: Client, manager_client: Client, world: World
) -> None:
    scheduled = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        opens_on=datetime.date.today() + datetime.timedelta(days=20),
        closes_on=datetime.date.today() + datetime.timedelta(days=200),
    )
    make_item(world, "Current item", owner=world.lead)
    for response in (lead_client.get(team_url(world)), manager_client.get(organisation_url(world))):
        page = response.content.decode()
        assert f'<option value="{world.cycle.pk}" selected>2026 H2</option>' in page
        assert f'<option value="{scheduled.pk}">2027 H1</option>' in page
        assert "Current item" in page


# The step's title in the reader's language

ENGLISH_TITLE = "alpha-element step 3.1"
CHINESE_TITLE = "alpha-element 步骤 3.1"


def team_list_in(client: Client, world: World, language: str) -> str:
    return client.get(team_url(world), HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.fixture
def pinned_assessment(world: World) -> Assessment:
    """A submitted assessment of a cycle that reads a frozen rubric, as every cycle does now."""
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    return submitted(world, world.lead, ANSWERS)


@pytest.mark.parametrize(
    ("committed_in", "read_in", "shown", "hidden"),
    [
        ("en", "zh-hans", CHINESE_TITLE, ENGLISH_TITLE),
        ("zh-hans", "en", ENGLISH_TITLE, CHINESE_TITLE),
    ],
)
def test_an_item_shows_its_steps_title_in_the_readers_language(
    lead_client: Client,
    world: World,
    assessment: Assessment,
    committed_in: str,
    read_in: str,
    shown: str,
    hidden: str,
) -> None:
    response = lead_client.post(
        create_url(assessment),
        commit_data(step("alpha-element", 3, 1), owner_name="Sam"),
        HTTP_ACCEPT_LANGUAGE=committed_in,
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.title_en, item.title_zh_hans) == (ENGLISH_TITLE, CHINESE_TITLE)

    page = team_list_in(lead_client, world, read_in)
    assert shown in page
    assert hidden not in page
    edit = lead_client.get(edit_url(item), HTTP_ACCEPT_LANGUAGE=read_in).content.decode()
    assert f"<h1>{shown}</h1>" in edit
    organisation = logged_in(world.manager).get(
        organisation_url(world), HTTP_ACCEPT_LANGUAGE=read_in
    )
    assert shown in organisation.content.decode()


def test_an_item_without_a_chinese_title_reads_in_english_for_chinese_readers(
    lead_client: Client, world: World
) -> None:
    make_item(world, "Call back within a day", owner=world.lead)
    assert "Call back within a day" in team_list_in(lead_client, world, "zh-hans")


def test_an_item_keeps_both_titles_after_its_step_leaves_the_rubric(
    lead_client: Client, world: World, pinned_assessment: Assessment
) -> None:
    action_step = step("alpha-element", 3, 1)
    response = lead_client.post(
        create_url(pinned_assessment), commit_data(action_step, owner_name="Sam")
    )
    assert response.status_code == 302

    action_step.delete()

    item = ActionItem.objects.get()
    assert (item.action_step, item.element_key, item.step_key) == (None, "alpha-element", "step-1")
    english = team_list_in(lead_client, world, "en")
    assert ENGLISH_TITLE in english
    assert CHINESE_TITLE not in english
    chinese = team_list_in(lead_client, world, "zh-hans")
    assert CHINESE_TITLE in chinese
    assert ENGLISH_TITLE not in chinese


def test_a_step_already_gone_from_the_rubric_is_committed_in_both_languages_once(
    lead_client: Client, world: World, pinned_assessment: Assessment
) -> None:
    # The cycle's frozen rubric still offers the step after its row is deleted.
    action_step = step("alpha-element", 3, 1)
    step_pk = action_step.pk
    action_step.delete()

    data = commit_data(action_step, step=step_pk, owner_name="Sam")
    response = lead_client.post(create_url(pinned_assessment), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.action_step, item.title_en, item.title_zh_hans) == (
        None,
        ENGLISH_TITLE,
        CHINESE_TITLE,
    )
    assert CHINESE_TITLE in team_list_in(lead_client, world, "zh-hans")

    # Committed again by someone reading Chinese: the same step, refused.
    response = lead_client.post(create_url(pinned_assessment), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert ActionItem.objects.count() == 1
