"""The CX manager's dashboard: levels across teams, completion, disagreement, change since last."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment
from organisations.models import Cycle, Membership, Team
from playbook.models import Choice, Question
from playbook.versions import rubric_version_for
from results import charts
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_charts import earlier_cycle, page_figures, submit
from tests.results.test_cycle_overview import tables

ELEMENTS = ["Element alpha-element", "Element beta-element"]
COMPLETION = (
    "Completion per team. Not started counts the team leads who have not begun; "
    "a team counts as submitted once one assessment is in."
)
HEATMAP = "Median level per team and element in 2026 H2"
CHANGES = "Level changes from 2026 H1 to 2026 H2"


def dashboard_url(world: World, cycle: Cycle | None = None) -> str:
    url = reverse("dashboard", args=[world.acme.pk])
    return f"{url}?cycle={cycle.pk}" if cycle else url


@pytest.fixture
def two_cycles(world: World) -> Cycle:
    """2026 H1 (closed) and the open 2026 H2 at acme, with four teams; returns H1.

    2026 H2: alpha (two leads: 4.0 and 2.0 on alpha-element, median 3.0,
    levels 4 and 2 apart; 2.0 on beta-element), delta (4.5 and 3.0), beta a
    draft, epsilon not started. 2026 H1: alpha 2.0 and 3.0, beta 5.0 and 1.0.
    """
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    delta = Team.objects.create(organisation=world.acme, name="Delta care", slug="delta")
    epsilon = Team.objects.create(organisation=world.acme, name="Epsilon online", slug="epsilon")
    lead3, lead4 = factories.make_user("lead3"), factories.make_user("lead4")
    factories.make_lead(lead3, delta)
    factories.make_lead(lead4, epsilon)
    h1 = earlier_cycle(world, [world.framework], "2026 H1", days_ago=200)

    submit(
        world.alpha,
        world.cycle,
        world.lead,
        {
            "alpha-element-level": "level-4",
            "alpha-element-agree": "agree",
            "beta-element-level": "level-2",
            "beta-element-agree": "disagree",
        },
    )
    submit(
        world.alpha,
        world.cycle,
        second,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "disagree",
            "beta-element-level": "level-2",
            "beta-element-agree": "disagree",
        },
    )
    submit(
        delta,
        world.cycle,
        lead3,
        {
            "alpha-element-level": "level-5",
            "alpha-element-agree": "agree",
            "beta-element-level": "level-2",
            "beta-element-agree": "agree",
        },
    )
    submit(world.beta, world.cycle, world.lead2, {"alpha-element-level": "level-3"}, draft=True)

    submit(
        world.alpha,
        h1,
        world.lead,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "disagree",
            "beta-element-level": "level-3",
            "beta-element-agree": "neutral",
        },
    )
    submit(
        world.beta,
        h1,
        world.lead2,
        {
            "alpha-element-level": "level-5",
            "alpha-element-agree": "strongly-agree",
            "beta-element-level": "level-1",
            "beta-element-agree": "strongly-disagree",
        },
    )
    return h1


def page(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_heatmap_shows_each_teams_median_level(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    assert "Dashboard of Acme" in content
    figure = page_figures(content)["level-heatmap-figure"]
    (heatmap,) = figure["data"]
    assert heatmap["type"] == "heatmap"
    assert heatmap["x"] == ELEMENTS
    # Teams without submitted results are left out of the heatmap.
    assert heatmap["y"] == ["Alpha support", "Delta care"]
    assert heatmap["z"] == [[3, 2], [5, 3]]
    assert tables(content)[HEATMAP] == [
        ["Team", *ELEMENTS],
        ["Alpha support", "3", "2"],
        ["Delta care", "5", "3"],
    ]
    assert "2 teams without submitted results are left out." in content


def test_completion_per_team_and_in_total(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    assert tables(content)[COMPLETION] == [
        ["Team", "Status", "Not started", "In progress", "Submitted"],
        ["Alpha support", "Submitted", "0", "0", "2"],
        ["Beta logistics", "In progress", "0", "1", "0"],
        ["Delta care", "Submitted", "0", "0", "1"],
        ["Epsilon online", "Not started", "1", "0", "0"],
    ]
    summary = content[content.index('id="completion-summary"') :]
    summary = " ".join(summary[: summary.index("</ul>")].split())
    assert "2</span> teams submitted" in summary
    assert "1</span> teams in progress" in summary
    assert "1</span> teams not started" in summary
    # Submitted teams link to their team result.
    assert reverse("team_result", args=[world.alpha.pk, world.cycle.pk]) in content
    assert reverse("team_result", args=[world.beta.pk, world.cycle.pk]) not in content
    assert reverse("cycle_overview", args=[world.cycle.pk]) in content


def test_organisation_median_and_spread_per_element(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    # alpha-element: teams at 3.0 and 4.5; beta-element: 2.0 and 3.0.
    assert tables(content)["Team medians for Test framework in 2026 H2"] == [
        ["Element", "Median", "Lowest", "Highest", "Teams"],
        ["Element alpha-element", "3.8", "3.0", "4.5", "2"],
        ["Element beta-element", "2.5", "2.0", "3.0", "2"],
    ]
    # Drawn as ranges: a bar from the lowest team to the highest, the median a marker.
    ranges, medians = page_figures(content)["spread-test-framework-figure"]["data"]
    assert (ranges["type"], ranges["orientation"]) == ("bar", "h")
    assert ranges["base"] == [3.0, 2.0]
    assert ranges["x"] == [1.5, 1.0]
    assert (medians["type"], medians["x"]) == ("scatter", [3.75, 2.5])
    assert "error_y" not in ranges


def test_teams_whose_respondents_disagree_are_listed_with_the_elements(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    listing = content[content.index('<ul id="disagreements">') :]
    listing = " ".join(listing[: listing.index("</ul>")].split())
    assert "Alpha support" in listing
    assert "Element alpha-element (levels 2 to 4)" in listing
    assert "beta-element" not in listing
    assert "Delta care" not in listing


def test_level_changes_since_the_previous_cycle(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    assert "Changes are counted since 2026 H1." in content
    # Organisation: alpha-element 3.5 -> 3.75 (level 4 both), beta-element 2.0 -> 2.5 (2 -> 3).
    assert tables(content)[CHANGES] == [
        ["Team", *ELEMENTS],
        ["Organisation median", "4 →to 4 =", "2 →to 3 ↑+1"],
        # The teams that moved most: only those with a level in both cycles moved.
        ["Alpha support", "2 →to 3 ↑+1", "3 →to 2 ↓-1"],
    ]
    figure = page_figures(content)["level-changes-figure"]
    by_name = {trace["name"]: trace["y"] for trace in figure["data"]}
    assert by_name == {"Moved up": [1, 0], "Same level": [0, 0], "Moved down": [0, 1]}
    assert tables(content)["Teams per element whose level changed from 2026 H1 to 2026 H2"][1:] == [
        ["Element alpha-element", "1", "0", "0"],
        ["Element beta-element", "0", "0", "1"],
    ]


def test_picking_the_earlier_cycle_shows_it_without_a_comparison(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world, two_cycles))

    assert f'<option value="{two_cycles.pk}" selected>2026 H1 (Closed)</option>' in content
    assert tables(content)["Median level per team and element in 2026 H1"][1:] == [
        ["Alpha support", "2", "3"],
        ["Beta logistics", "5", "1"],
    ]
    assert "there is nothing earlier to compare with" in content
    assert "level-changes-figure" not in content


def test_default_cycle_is_the_open_one_else_the_latest(
    world: World, manager_client: Client
) -> None:
    earlier_cycle(world, [world.framework], "2025 H2", days_ago=400)
    content = page(manager_client, dashboard_url(world))
    assert f'<option value="{world.cycle.pk}" selected>' in content

    world.cycle.status = Cycle.Status.CLOSED
    world.cycle.save()
    later = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        opens_on=datetime.date.today() + datetime.timedelta(days=100),
        closes_on=datetime.date.today() + datetime.timedelta(days=200),
        status=Cycle.Status.CLOSED,
    )
    content = page(manager_client, dashboard_url(world))
    assert f'<option value="{later.pk}" selected>' in content


def test_cycle_picker_is_a_labelled_select_with_a_submit_button(
    manager_client: Client, world: World
) -> None:
    content = page(manager_client, dashboard_url(world))
    assert '<label class="form-label" for="cycle-picker">Cycle</label>' in content
    assert '<select class="form-select" id="cycle-picker" name="cycle">' in content
    assert '<button type="submit" class="btn btn-outline-primary">Show cycle</button>' in content


def test_an_organisation_without_cycles_says_so(world: World) -> None:
    manager = factories.make_user("globex_manager")
    factories.make_manager(manager, world.globex)
    world.globex_cycle.delete()
    content = page(logged_in(manager), reverse("dashboard", args=[world.globex.pk]))
    assert "no assessment cycles yet" in content


def test_a_cycle_of_another_organisation_is_404(manager_client: Client, world: World) -> None:
    assert manager_client.get(dashboard_url(world, world.globex_cycle)).status_code == 404
    assert manager_client.get(dashboard_url(world) + "?cycle=nonsense").status_code == 404


def test_dashboard_figures_are_the_same_without_plotlys_checks(
    manager_client: Client, world: World, two_cycles: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = page_figures(page(manager_client, dashboard_url(world)))
    monkeypatch.setattr(charts, "VALIDATE", False)
    cache.clear()

    unchecked = page_figures(page(manager_client, dashboard_url(world)))

    assert unchecked == checked
    assert checked.keys() == {
        "level-heatmap-figure",
        "level-distribution-figure",
        "spread-test-framework-figure",
        "level-changes-figure",
    }


def test_dashboard_in_chinese(manager_client: Client, world: World, two_cycles: Cycle) -> None:
    content = page(manager_client, dashboard_url(world), HTTP_ACCEPT_LANGUAGE="zh-hans")
    figure = page_figures(content)["level-heatmap-figure"]
    assert figure["data"][0]["x"] == ["要素 alpha-element", "要素 beta-element"]


@pytest.mark.parametrize("who", ["lead", "lead2", "other_lead", "outsider", "admin"])
def test_dashboard_is_404_for_everyone_but_the_organisations_managers(
    who: str, world: World
) -> None:
    response = logged_in(getattr(world, who)).get(dashboard_url(world))
    assert response.status_code == 404


def test_dashboard_is_404_for_a_manager_of_another_organisation(world: World) -> None:
    globex_manager = factories.make_user("globex_manager")
    factories.make_manager(globex_manager, world.globex)
    client = logged_in(globex_manager)
    assert client.get(dashboard_url(world)).status_code == 404
    assert client.get(reverse("dashboard", args=[world.globex.pk])).status_code == 200


def test_dashboard_needs_login(client: Client, world: World) -> None:
    response = client.get(dashboard_url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_refuses_post(manager_client: Client, world: World) -> None:
    assert manager_client.post(dashboard_url(world)).status_code == 405


def test_navigation_links_to_the_dashboard_for_managers_only(world: World) -> None:
    url = reverse("dashboard", args=[world.acme.pk])
    home = page(logged_in(world.manager), reverse("home"))
    assert f'href="{url}"' in home
    assert ">Dashboard</a>" in " ".join(home.split()).replace("> ", ">").replace(" <", "<")
    for who in ("lead", "other_lead", "outsider", "admin"):
        assert 'href="/organisations/' not in page(logged_in(getattr(world, who)), reverse("home"))


def test_navigation_names_each_organisation_of_a_manager_of_two(world: World) -> None:
    factories.make_manager(world.manager, world.globex)
    home = " ".join(page(logged_in(world.manager), reverse("home")).split())
    assert "Dashboard: Acme" in home
    assert "Dashboard: Globex" in home
    assert reverse("dashboard", args=[world.globex.pk]) in home


def _bulk_organisation(
    world: World, teams: int, cycles: int | list[Cycle], *, first: int = 0
) -> list[Cycle]:
    """``teams`` teams with one lead each, ``cycles`` cycles, every question answered by all.

    Pass the cycles made by an earlier call, and ``first`` (its ``teams``), to add more teams.
    """
    if isinstance(cycles, list):
        cycle_list = cycles
    else:
        cycle_list = [world.cycle]
        for number in range(1, cycles):
            cycle_list.append(
                earlier_cycle(world, [world.framework], f"Cycle {number}", days_ago=200 * number)
            )
    created = Team.objects.bulk_create(
        Team(organisation=world.acme, name=f"Team {number:03}", slug=f"team-{number}")
        for number in range(first, first + teams)
    )
    users = User.objects.bulk_create(
        User(username=f"bulk_lead_{number}", password="!") for number in range(first, first + teams)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=world.acme, team=team, role=Membership.Role.LEAD)
        for team, user in zip(created, users, strict=True)
    )
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(
            team=team,
            cycle=cycle,
            respondent=user,
            status=Assessment.Status.SUBMITTED,
            submitted_at=now,
        )
        for cycle in cycle_list
        for team, user in zip(created, users, strict=True)
    )
    questions = list(Question.objects.filter(element__framework=world.framework))
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__in=questions, score__isnull=False).order_by(
        "score"
    ):
        choices.setdefault(choice.question_id, []).append(choice)
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=question,
            choice=choices[question.pk][index % 5] if question.pk in choices else None,
            text="" if question.pk in choices else "Bulk reflection.",
        )
        for index, assessment in enumerate(assessments)
        for question in questions
    )
    return cycle_list


def _pin(cycle: Cycle) -> None:
    """Pin the cycle's rubric, as opening a cycle does: its dashboard is then cached."""
    cycle.rubric_version = rubric_version_for(cycle.frameworks.all())
    cycle.save(update_fields=["rubric_version"])


def _queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_uses_the_same_number_of_queries_for_3_and_30_teams(
    manager_client: Client, world: World
) -> None:
    counts = []
    _pin(world.cycle)
    cycles = _bulk_organisation(world, teams=1, cycles=2)
    # The pinned rubric, once read, stays in the process: read it before counting.
    page(manager_client, dashboard_url(world))
    for added, last in ((0, "Team 000"), (27, "Team 022")):  # with alpha and beta: 3, 30 teams
        _bulk_organisation(world, teams=added, cycles=cycles, first=1)
        cache.clear()
        computed, content = _queries(manager_client, dashboard_url(world))
        cached, _content = _queries(manager_client, dashboard_url(world))
        counts.append((computed, cached))
        assert tables(content)[COMPLETION][-1][0] == last

    assert counts[0] == counts[1]
    computed, cached = counts[0]
    # From the cache: the computation's queries are left out.
    assert cached < computed


def test_teams_are_paged_with_the_total_said(manager_client: Client, world: World) -> None:
    _bulk_organisation(world, teams=28, cycles=1)

    content = page(manager_client, dashboard_url(world))

    assert "Teams 1 to 25 of 30." in content
    completion = tables(content)[COMPLETION]
    assert len(completion) == 1 + 25
    assert [row[0] for row in completion[1:3]] == ["Alpha support", "Beta logistics"]
    # The heatmap has the page's teams with results, its table the same numbers.
    assert len(tables(content)[HEATMAP]) == 1 + 23
    assert page_figures(content)["level-heatmap-figure"]["data"][0]["y"][0] == "Team 000"
    assert '<nav aria-label="Pages of teams">' in content
    next_page = f"?cycle={world.cycle.pk}&amp;page=2#teams"
    assert f'href="{next_page}" aria-label="Page 2"' in content
    current = '<li class="page-item active" aria-current="page"><span class="page-link">1</span>'
    assert current in content

    second = page(manager_client, dashboard_url(world, world.cycle) + "&page=2")

    assert "Teams 26 to 30 of 30." in second
    assert [row[0] for row in tables(second)[COMPLETION][1:]] == [
        f"Team {number:03}" for number in range(23, 28)
    ]
    # The organisation first is the same on every page: all 30 teams.
    assert "28 of 30 teams submitted (93 %)." in second


def test_teams_can_be_filtered_by_status(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world, world.cycle) + "&status=not_started")

    assert "Team 1 to 1 of 1." in content
    assert tables(content)[COMPLETION][1:] == [["Epsilon online", "Not started", "1", "0", "0"]]
    assert '<option value="not_started" selected>Not started</option>' in content
    assert "No team on this page has submitted an assessment in this cycle yet." in content


def test_organisation_first_levels_completion_movers_and_disagreement(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    content = page(manager_client, dashboard_url(world))

    assert "2 of 4 teams submitted (50 %)." in content
    # Teams at each median level: alpha-element alpha 3, delta 5; beta-element 2 and 3.
    assert tables(content)["Teams at each level in 2026 H2"] == [
        ["Element", "Level 1", "Level 2", "Level 3", "Level 4", "Level 5", "Not enough answers"],
        ["Element alpha-element", "0", "0", "1", "0", "1", "0"],
        ["Element beta-element", "0", "1", "1", "0", "0", "0"],
    ]
    bars = page_figures(content)["level-distribution-figure"]["data"]
    assert [trace["y"] for trace in bars[:5]] == [[0, 0], [0, 1], [1, 1], [0, 0], [1, 0]]
    assert (
        "1 team disagrees; the list shows 1, those that disagree on the most elements." in content
    )
    # The organisation comes before the teams table.
    assert content.index("Teams at each level") < content.index(COMPLETION)
    assert content.index('id="disagreements"') < content.index(COMPLETION)


def test_the_teams_that_moved_most_come_first_and_ten_at_most(
    manager_client: Client, world: World
) -> None:
    # Team n answers choice n % 5 now and (n + 2) % 5 in Cycle 1 (one answer index
    # runs across both cycles): teams 3, 4, 8, 9 move up 3 levels on both elements,
    # the others down 2.
    _bulk_organisation(world, teams=12, cycles=2)

    content = page(manager_client, dashboard_url(world))

    rows = tables(content)["Level changes from Cycle 1 to 2026 H2"]
    assert [row[0] for row in rows[1:]] == [
        "Organisation median",
        *(f"Team {number:03}" for number in (3, 4, 8, 9, 0, 1, 2, 5, 6, 7)),
    ]
    assert rows[2][1:] == ["1 →to 4 ↑+3"] * 2


def test_every_team_is_in_the_teams_csv(manager_client: Client, world: World) -> None:
    _bulk_organisation(world, teams=28, cycles=1)
    content = page(manager_client, dashboard_url(world))
    url = reverse("dashboard_teams_csv", args=[world.cycle.pk])
    assert f'href="{url}"' in content

    response = manager_client.get(url)

    assert response["Content-Disposition"] == (
        'attachment; filename="team-levels-acme-2026-h2.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Team", "Status", "Not started", "In progress", "Submitted", *ELEMENTS]
    assert len(rows) == 1 + 30
    assert rows[1] == ["Alpha support", "Not started", "1", "0", "0", "", ""]
    assert rows[3] == ["Team 000", "Submitted", "0", "0", "1", "1", "1"]
    assert rows[-1][0] == "Team 027"


def test_the_teams_csv_is_404_for_a_team_lead(lead_client: Client, world: World) -> None:
    url = reverse("dashboard_teams_csv", args=[world.cycle.pk])
    assert lead_client.get(url).status_code == 404


def test_a_new_submission_shows_at_once(
    cache_backend: str, manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    _pin(world.cycle)
    assert "2 of 4 teams submitted (50 %)." in page(manager_client, dashboard_url(world))
    draft = Assessment.objects.get(team=world.beta, cycle=world.cycle)
    draft.status, draft.submitted_at = Assessment.Status.SUBMITTED, timezone.now()
    draft.save()

    content = page(manager_client, dashboard_url(world))

    assert "3 of 4 teams submitted (75 %)." in content
    assert tables(content)[COMPLETION][2] == ["Beta logistics", "Submitted", "0", "0", "1"]


def test_chinese_dashboard_uses_chinese_punctuation(
    manager_client: Client, world: World, two_cycles: Cycle
) -> None:
    manager_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    content = page(manager_client, dashboard_url(world))

    assert "2026 H1（已关闭）</option>" in content
    listing = content[content.index('<ul id="disagreements">') :]
    listing = " ".join(listing[: listing.index("</ul>")].split())
    assert "要素 alpha-element（第 2 级至第 4 级）" in listing


def test_default_cycle_is_never_a_scheduled_one(world: World, manager_client: Client) -> None:
    scheduled = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2027 H1",
        slug="2027-h1",
        opens_on=timezone.localdate() + datetime.timedelta(days=20),
        closes_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    content = page(manager_client, dashboard_url(world))
    assert f'<option value="{world.cycle.pk}" selected>2026 H2 (Open)</option>' in content
    assert f'<option value="{scheduled.pk}">2027 H1 (Scheduled)</option>' in content

    # Without an open cycle, the latest that started, still not the scheduled one.
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    content = page(manager_client, dashboard_url(world))
    assert f'<option value="{world.cycle.pk}" selected>2026 H2 (Closed)</option>' in content


def test_of_two_open_cycles_the_default_is_the_one_that_started_last(
    world: World, manager_client: Client
) -> None:
    later = factories.make_cycle(
        world.acme,
        [world.framework],
        name="2026 H2 bis",
        slug="2026-h2-bis",
        opens_on=world.cycle.opens_on + datetime.timedelta(days=2),
        closes_on=world.cycle.closes_on,
    )
    content = page(manager_client, dashboard_url(world))
    assert f'<option value="{later.pk}" selected>' in content
