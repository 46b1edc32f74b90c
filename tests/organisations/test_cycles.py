"""Cycles: a CX manager lists, opens, closes and reopens the cycles of their organisation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment
from organisations import services as cycle_services
from organisations.models import Cycle, Organisation
from playbook.models import Framework, Question
from playbook.versions import rubric_for_cycle, rubric_version_for
from tests import factories
from tests.assessments.helpers import section_url
from tests.conftest import World, logged_in

OPENS = datetime.date(2027, 1, 4)
CLOSES = datetime.date(2027, 2, 26)


def list_url(organisation: Organisation) -> str:
    return reverse("cycle_list", args=[organisation.pk])


def create_url(organisation: Organisation) -> str:
    return reverse("cycle_create", args=[organisation.pk])


def close_url(cycle: Cycle) -> str:
    return reverse("cycle_close", args=[cycle.pk])


def reopen_url(cycle: Cycle) -> str:
    return reverse("cycle_reopen", args=[cycle.pk])


def cycle_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "2027 H1",
        "opens_on": OPENS.isoformat(),
        "closes_on": CLOSES.isoformat(),
        "frameworks": [world.framework.pk],
    }
    data.update(overrides)
    return data


def globex_manager(world: World) -> Client:
    user = factories.make_user("globex_manager")
    factories.make_manager(user, world.globex)
    return logged_in(user)


NOT_MANAGERS = ["lead", "lead2", "other_lead", "outsider", "admin"]


# The list


def test_list_shows_each_cycle_with_status_dates_frameworks_and_counts(
    manager_client: Client, world: World
) -> None:
    factories.make_cycle(
        world.acme,
        [world.framework],
        name="2025 H2",
        slug="2025-h2",
        opens_on=datetime.date(2025, 7, 1),
        closes_on=datetime.date(2025, 9, 30),
        status=Cycle.Status.CLOSED,
    )
    Assessment.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        respondent=world.lead,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Assessment.objects.create(team=world.beta, cycle=world.cycle, respondent=world.lead2)

    response = manager_client.get(list_url(world.acme))

    assert response.status_code == 200
    page = response.content.decode()
    rows = [cycle for cycle in response.context["cycles"]]
    assert [(c.name, c.submitted_count, c.draft_count) for c in rows] == [
        ("2026 H2", 1, 1),
        ("2025 H2", 0, 0),
    ]
    assert f'href="{reverse("cycle_overview", args=[world.cycle.pk])}"' in page
    assert "Test framework" in page
    assert "Open" in page and "Closed" in page
    assert "30 Sep 2025" in page
    assert f'href="{close_url(world.cycle)}"' in page
    assert "Reopen 2025 H2" in page
    assert "Globex" not in page


def test_list_costs_the_same_queries_for_many_cycles(manager_client: Client, world: World) -> None:
    url = list_url(world.acme)
    manager_client.get(url)
    with CaptureQueriesContext(connection) as one_cycle:
        manager_client.get(url)
    for number in range(6):
        cycle = factories.make_cycle(
            world.acme, [world.framework], name=f"Old {number}", slug=f"old-{number}"
        )
        Assessment.objects.create(team=world.alpha, cycle=cycle, respondent=world.lead)
    with CaptureQueriesContext(connection) as seven_cycles:
        response = manager_client.get(url)
    assert len(response.context["cycles"]) == 7
    assert len(seven_cycles) == len(one_cycle)


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_list_is_404_for_everyone_but_the_organisations_managers(world: World, who: str) -> None:
    assert logged_in(getattr(world, who)).get(list_url(world.acme)).status_code == 404


def test_list_of_another_organisation_is_404(manager_client: Client, world: World) -> None:
    assert manager_client.get(list_url(world.globex)).status_code == 404


def test_list_asks_anonymous_visitors_to_log_in(world: World) -> None:
    response = Client().get(list_url(world.acme))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_refuses_post(manager_client: Client, world: World) -> None:
    assert manager_client.post(list_url(world.acme)).status_code == 405


# Opening a cycle


def test_form_offers_active_frameworks_only(manager_client: Client, world: World) -> None:
    retired = factories.make_rubric("retired-framework", ("old-element",))
    Framework.objects.filter(pk=retired.pk).update(active=False, name_en="Retired one")
    page = manager_client.get(create_url(world.acme)).content.decode()
    assert f'name="frameworks" value="{world.framework.pk}"' in page
    assert 'type="checkbox"' in page
    assert "Test framework" in page
    assert f'name="frameworks" value="{retired.pk}"' not in page
    assert "Retired one" not in page


def test_manager_opens_a_cycle_with_a_pinned_rubric(manager_client: Client, world: World) -> None:
    today = timezone.localdate()
    response = manager_client.post(
        create_url(world.acme), cycle_data(world, opens_on=today.isoformat()), follow=True
    )

    assert response.redirect_chain == [(list_url(world.acme), 302)]
    assert "Cycle 2027 H1 is open." in response.content.decode()
    cycle = Cycle.objects.get(organisation=world.acme, slug="2027-h1")
    assert (cycle.name, cycle.opens_on, cycle.closes_on, cycle.status) == (
        "2027 H1",
        today,
        CLOSES,
        Cycle.Status.OPEN,
    )
    assert list(cycle.frameworks.all()) == [world.framework]
    assert cycle.rubric_version == rubric_version_for([world.framework])


def test_a_rubric_edit_after_opening_does_not_change_the_cycle(world: World) -> None:
    cycle = cycle_services.cycle_open(
        organisation=world.acme,
        name="2027 H1",
        opens_on=OPENS,
        closes_on=CLOSES,
        frameworks=[world.framework],
        user=world.manager,
    )
    Question.objects.filter(key="alpha-element-level").update(prompt_en="Edited later?")
    prompts = {
        str(question.prompt)
        for element in rubric_for_cycle(cycle).elements
        for question in element.questions.all()
    }
    assert "Where is alpha-element?" in prompts
    assert "Edited later?" not in prompts


def test_opening_rolls_back_when_the_rubric_cannot_be_pinned(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(frameworks: Any) -> Any:
        raise RuntimeError("no rubric")

    monkeypatch.setattr(cycle_services, "rubric_version_for", fail)
    with pytest.raises(RuntimeError):
        cycle_services.cycle_open(
            organisation=world.acme,
            name="2027 H1",
            opens_on=OPENS,
            closes_on=CLOSES,
            frameworks=[world.framework],
            user=world.manager,
        )
    assert not Cycle.objects.filter(slug="2027-h1").exists()


def test_the_same_name_may_be_used_by_another_organisation(
    manager_client: Client, world: World
) -> None:
    factories.make_cycle(world.globex, [world.framework], name="Spring", slug="spring")
    response = manager_client.post(create_url(world.acme), cycle_data(world, name="Spring"))
    assert response.status_code == 302
    assert Cycle.objects.filter(organisation=world.acme, slug="spring").exists()


def test_chinese_names_get_distinct_ascii_slugs(manager_client: Client, world: World) -> None:
    for name in ("2027 上半年", "2027 下半年"):
        response = manager_client.post(create_url(world.acme), cycle_data(world, name=name))
        assert response.status_code == 302
    slugs = set(
        Cycle.objects.filter(organisation=world.acme, name__startswith="2027").values_list(
            "slug", flat=True
        )
    )
    assert len(slugs) == 2
    assert all(slug.startswith("2027-") and slug.isascii() for slug in slugs)


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        (
            {"closes_on": "2027-01-03"},
            "closes_on",
            "The cycle cannot close before it opens.",
        ),
        ({"name": "2026 h2"}, "name", "This organisation already has a cycle with this name."),
        ({"name": "2026-H2"}, "name", "This organisation already has a cycle with this name."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "!!!"}, "name", "Use at least one letter or digit in the name."),
        ({"frameworks": []}, "frameworks", "Choose at least one framework."),
        ({"opens_on": "4 January"}, "opens_on", "Enter a date such as 2026-09-30."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    manager_client: Client, world: World, overrides: dict[str, Any], field: str, error: str
) -> None:
    response = manager_client.post(create_url(world.acme), cycle_data(world, **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [error]
    page = response.content.decode()
    assert error.replace("'", "&#x27;") in page
    assert "Nothing was saved." in page
    assert Cycle.objects.filter(organisation=world.acme).count() == 1


def test_an_inactive_framework_cannot_be_included(manager_client: Client, world: World) -> None:
    retired = factories.make_rubric("retired-framework", ("old-element",))
    Framework.objects.filter(pk=retired.pk).update(active=False)
    response = manager_client.post(
        create_url(world.acme), cycle_data(world, frameworks=[retired.pk])
    )
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert Cycle.objects.filter(organisation=world.acme).count() == 1


def test_service_refuses_a_name_taken_meanwhile(world: World) -> None:
    with pytest.raises(cycle_services.CycleNameTaken):
        cycle_services.cycle_open(
            organisation=world.acme,
            name="2026 H2",
            opens_on=OPENS,
            closes_on=CLOSES,
            frameworks=[world.framework],
            user=world.manager,
        )
    assert Cycle.objects.filter(organisation=world.acme).count() == 1


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_may_open_a_cycle(world: World, who: str) -> None:
    client = logged_in(getattr(world, who))
    assert client.get(create_url(world.acme)).status_code == 404
    assert client.post(create_url(world.acme), cycle_data(world)).status_code == 404
    assert not Cycle.objects.filter(slug="2027-h1").exists()


def test_a_manager_cannot_open_a_cycle_in_another_organisation(
    manager_client: Client, world: World
) -> None:
    assert manager_client.post(create_url(world.globex), cycle_data(world)).status_code == 404
    assert not Cycle.objects.filter(slug="2027-h1").exists()


def test_form_refuses_put(manager_client: Client, world: World) -> None:
    assert manager_client.put(create_url(world.acme)).status_code == 405


# Closing and reopening


def test_manager_closes_and_reopens_a_cycle(manager_client: Client, world: World) -> None:
    response = manager_client.post(close_url(world.cycle), follow=True)
    assert response.redirect_chain == [(list_url(world.acme), 302)]
    assert "Cycle 2026 H2 is closed and takes no more answers." in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.CLOSED

    response = manager_client.post(reopen_url(world.cycle), follow=True)
    assert "Cycle 2026 H2 is open again and takes answers." in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.OPEN


def test_closing_twice_leaves_it_closed(manager_client: Client, world: World) -> None:
    manager_client.post(close_url(world.cycle))
    assert manager_client.post(close_url(world.cycle)).status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.CLOSED


def test_a_cycle_closed_here_takes_no_more_answers(
    manager_client: Client, lead_client: Client, world: World
) -> None:
    lead_client.post(reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]))
    assessment = Assessment.objects.get(team=world.alpha, respondent=world.lead)
    manager_client.post(close_url(world.cycle))

    response = lead_client.post(
        section_url(assessment, 1), {"answer-alpha-element-level": "level-2"}, follow=True
    )
    assert "This cycle is closed and takes no more answers." in response.content.decode()
    assert not Answer.objects.exists()

    manager_client.post(reopen_url(world.cycle))
    response = lead_client.post(
        section_url(assessment, 1), {"answer-alpha-element-level": "level-2"}
    )
    assert response.status_code == 302
    assert Answer.objects.get().choice.key == "level-2"  # type: ignore[union-attr]


@pytest.mark.parametrize("url", [close_url, reopen_url])
@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_may_close_or_reopen(world: World, who: str, url: Any) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    assert logged_in(getattr(world, who)).post(url(world.cycle)).status_code == 404
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.CLOSED


def test_a_manager_cannot_close_another_organisations_cycle(world: World) -> None:
    client = globex_manager(world)
    assert client.post(close_url(world.cycle)).status_code == 404
    assert client.post(close_url(world.globex_cycle)).status_code == 302
    world.cycle.refresh_from_db()
    world.globex_cycle.refresh_from_db()
    assert (world.cycle.status, world.globex_cycle.status) == ("open", "closed")


def test_reopen_refuses_get(manager_client: Client, world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    assert manager_client.get(reopen_url(world.cycle)).status_code == 405
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.CLOSED


def test_the_assessment_states_the_cycle_list_counts_are_the_assessments_apps() -> None:
    from assessments.models import Assessment
    from organisations import services

    assert (services.SUBMITTED, services.DRAFT) == (
        Assessment.Status.SUBMITTED,
        Assessment.Status.DRAFT,
    )


# Closing asks first


def test_closing_asks_to_confirm_and_counts_the_drafts(
    manager_client: Client, world: World
) -> None:
    Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)
    Assessment.objects.create(team=world.beta, cycle=world.cycle, respondent=world.lead2)
    Assessment.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        respondent=world.manager,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )

    response = manager_client.get(close_url(world.cycle))

    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Close 2026 H2?" in page
    assert "2 assessments are still drafts." in page
    assert "1 assessment has been submitted." in page
    assert f'href="{list_url(world.acme)}"' in page  # cancel
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.OPEN  # asking changes nothing


def test_the_cycle_list_links_to_the_confirmation_not_a_one_click_close(
    manager_client: Client, world: World
) -> None:
    page = manager_client.get(list_url(world.acme)).content.decode()
    assert f'href="{close_url(world.cycle)}"' in page
    assert f'action="{close_url(world.cycle)}"' not in page


def test_the_confirmation_of_a_closed_cycle_goes_back_to_the_list(
    manager_client: Client, world: World
) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    response = manager_client.get(close_url(world.cycle), follow=True)
    assert response.redirect_chain == [(list_url(world.acme), 302)]
    assert "Cycle 2026 H2 is closed already." in response.content.decode()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_see_the_close_confirmation(world: World, who: str) -> None:
    assert logged_in(getattr(world, who)).get(close_url(world.cycle)).status_code == 404


def test_close_refuses_put(manager_client: Client, world: World) -> None:
    assert manager_client.put(close_url(world.cycle)).status_code == 405
    world.cycle.refresh_from_db()
    assert world.cycle.status == Cycle.Status.OPEN


# Scheduled cycles


def open_early_url(cycle: Cycle) -> str:
    return reverse("cycle_open_early", args=[cycle.pk])


def scheduled_cycle(world: World, days: int = 10) -> Cycle:
    today = timezone.localdate()
    return factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        opens_on=today + datetime.timedelta(days=days),
        closes_on=today + datetime.timedelta(days=days + 60),
    )


def test_a_cycle_opening_later_is_scheduled_and_opens_on_its_date() -> None:
    today = timezone.localdate()
    cycle = Cycle(opens_on=today + datetime.timedelta(days=1), closes_on=today, status="open")
    assert (cycle.is_scheduled, cycle.is_open, str(cycle.status_label)) == (
        True,
        False,
        "Scheduled",
    )
    cycle.opens_on = today
    assert (cycle.is_scheduled, cycle.is_open, str(cycle.status_label)) == (False, True, "Open")
    cycle.status = Cycle.Status.CLOSED
    assert (cycle.is_scheduled, cycle.is_open, str(cycle.status_label)) == (
        False,
        False,
        "Closed",
    )


def test_a_cycle_created_with_a_later_opening_date_is_scheduled(
    manager_client: Client, world: World
) -> None:
    opens_on = timezone.localdate() + datetime.timedelta(days=10)
    response = manager_client.post(
        create_url(world.acme),
        cycle_data(world, opens_on=opens_on.isoformat(), closes_on=CLOSES.isoformat()),
        follow=True,
    )
    page = response.content.decode()
    assert "Cycle 2027 H1 is scheduled: it opens on" in page
    assert ">Scheduled</span>" in page
    cycle = Cycle.objects.get(slug="2027-h1")
    assert f'action="{open_early_url(cycle)}"' in page
    assert f'action="{open_early_url(world.cycle)}"' not in page  # open already


def test_manager_opens_a_scheduled_cycle_early(
    manager_client: Client, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    cycle = scheduled_cycle(world)

    with caplog.at_level("INFO", logger="organisations.services"):
        response = manager_client.post(open_early_url(cycle), follow=True)

    assert response.redirect_chain == [(list_url(world.acme), 302)]
    page = response.content.decode()
    assert "Cycle 2027 H1 is open from today: team leads can start their assessments." in page
    cycle.refresh_from_db()
    assert (cycle.opens_on, cycle.status, cycle.is_open) == (
        timezone.localdate(),
        Cycle.Status.OPEN,
        True,
    )
    assert f"Cycle {cycle.pk} opened early by {world.manager.pk}" in caplog.text


def test_opening_a_closed_cycle_early_leaves_it_closed(
    manager_client: Client, world: World
) -> None:
    cycle = scheduled_cycle(world)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.CLOSED)
    response = manager_client.post(open_early_url(cycle), follow=True)
    assert "Cycle 2027 H1 is closed: reopen it instead." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.opens_on > timezone.localdate()


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_may_open_a_cycle_early(world: World, who: str) -> None:
    cycle = scheduled_cycle(world)
    assert logged_in(getattr(world, who)).post(open_early_url(cycle)).status_code == 404
    cycle.refresh_from_db()
    assert cycle.is_scheduled


def test_open_early_refuses_get(manager_client: Client, world: World) -> None:
    cycle = scheduled_cycle(world)
    assert manager_client.get(open_early_url(cycle)).status_code == 405
    cycle.refresh_from_db()
    assert cycle.is_scheduled


def test_a_lead_cannot_start_a_scheduled_cycle(lead_client: Client, world: World) -> None:
    cycle = scheduled_cycle(world)
    response = lead_client.post(
        reverse("assessment_start", args=[world.alpha.pk, cycle.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("home"), 302)]
    page = response.content.decode()
    assert "This cycle opens on" in page  # refused, saying when it opens
    assert "you can start your assessment then." in page
    assert "Opens on" in page
    assert not Assessment.objects.filter(cycle=cycle).exists()


def test_the_cycle_overview_shows_a_scheduled_cycle_as_scheduled(
    manager_client: Client, world: World
) -> None:
    cycle = scheduled_cycle(world)
    page = manager_client.get(reverse("cycle_overview", args=[cycle.pk])).content.decode()
    assert "Scheduled: from" in page


def test_the_cycles_frameworks_are_listed_with_the_languages_separator(world: World) -> None:
    second = factories.make_rubric("second-framework", ("gamma-element",))
    second.name_en, second.name_zh_hans = "Second framework", "第二框架"
    second.save()
    factories.make_cycle(
        world.acme,
        [world.framework, second],
        name="2027 H1",
        slug="2027-h1",
        opens_on=OPENS,
        closes_on=CLOSES,
    )
    client = logged_in(world.manager)

    english = client.get(list_url(world.acme)).content.decode()
    chinese = client.get(list_url(world.acme), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Second framework, Test framework" in english
    assert "第二框架、测试框架" in chinese
