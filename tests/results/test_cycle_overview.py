"""The cycle overview: CX managers see every team's levels, completion and level spread."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from organisations.models import Cycle, Team
from tests import factories
from tests.conftest import World, logged_in
from tests.results.test_charts import page_figures, submit


def overview_url(cycle: Cycle) -> str:
    return reverse("cycle_overview", args=[cycle.pk])


class Tables(HTMLParser):
    """The page's tables: caption -> rows of cell texts (header row included)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: list[list[str]] = []
        self.caption = ""
        self.text: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.rows, self.caption = [], ""
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.tables[self.caption] = self.rows
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td") and self.text is not None:
            self.rows[-1].append(" ".join("".join(self.text).split()))
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption += data.strip()
        elif self.text is not None:
            self.text.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


COMPLETION = "Assessments per team. Not started counts the team leads who have not begun."
LEVELS = "Median level per team and element in 2026 H2"


def test_manager_sees_levels_and_completion_per_team(manager_client: Client, world: World) -> None:
    second = factories.make_user("second_lead")
    factories.make_lead(second, world.alpha)
    # alpha: 4.0 and 2.5 on alpha-element: median 3.25, level 3.
    submit(
        world.alpha,
        world.cycle,
        world.lead,
        {"alpha-element-level": "level-4", "alpha-element-agree": "agree"},
    )
    submit(
        world.alpha,
        world.cycle,
        second,
        {"alpha-element-level": "level-2", "alpha-element-agree": "neutral"},
    )
    # beta: only a draft so far.
    submit(world.beta, world.cycle, world.lead2, {"alpha-element-level": "level-5"}, draft=True)

    response = manager_client.get(overview_url(world.cycle))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Overview of 2026 H2 at Acme" in page
    page_tables = tables(page)
    assert page_tables[COMPLETION] == [
        ["Team", "Not started", "In progress", "Submitted"],
        ["Alpha support", "0", "0", "2"],
        ["Beta logistics", "0", "1", "0"],
    ]
    # Another organisation's team does not appear.
    assert page_tables[LEVELS] == [
        ["Team", "Element alpha-element", "Element beta-element"],
        ["Alpha support", "3", "—Not enough answers"],
        ["Beta logistics", "Nothing submitted yet"],
    ]
    # The level distribution chart and its table.
    figure = page_figures(page)["level-distribution-figure"]
    level_three = next(trace for trace in figure["data"] if trace["name"] == "Level 3")
    assert level_three["y"] == [1, 0]
    assert '<section class="mb-5" id="level-distribution"' in page
    assert "/static/vendor/plotly/plotly-cx.min.js" in page


def test_leads_not_started_are_counted(manager_client: Client, world: World) -> None:
    page = manager_client.get(overview_url(world.cycle)).content.decode()
    assert tables(page)[COMPLETION][1:] == [
        ["Alpha support", "1", "0", "0"],
        ["Beta logistics", "1", "0", "0"],
    ]


def test_overview_in_chinese(manager_client: Client, world: World) -> None:
    submit(world.alpha, world.cycle, world.lead, {"alpha-element-level": "level-4"})
    page = manager_client.get(
        overview_url(world.cycle), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert '<th scope="col">要素 alpha-element</th>' in page
    figure = page_figures(page)["level-distribution-figure"]
    assert figure["data"][0]["x"] == ["要素 alpha-element", "要素 beta-element"]


@pytest.mark.parametrize("who", ["lead", "lead2", "other_lead", "outsider", "admin"])
def test_overview_is_404_for_everyone_but_the_organisations_managers(
    who: str, world: World
) -> None:
    response = logged_in(getattr(world, who)).get(overview_url(world.cycle))
    assert response.status_code == 404


def test_overview_is_404_for_a_manager_of_another_organisation(world: World) -> None:
    globex_manager = factories.make_user("globex_manager")
    factories.make_manager(globex_manager, world.globex)
    client = logged_in(globex_manager)
    assert client.get(overview_url(world.cycle)).status_code == 404
    assert client.get(overview_url(world.globex_cycle)).status_code == 200


def test_overview_needs_login(client: Client, world: World) -> None:
    response = client.get(overview_url(world.cycle))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_overview_needs_get(manager_client: Client, world: World) -> None:
    assert manager_client.post(overview_url(world.cycle)).status_code == 405


def test_overview_uses_a_fixed_number_of_queries(
    manager_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(18):  # 20 teams with alpha and beta
        team = Team.objects.create(
            organisation=world.acme, name=f"Team {number:02}", slug=f"team-{number}"
        )
        lead = factories.make_user(f"team_lead_{number}")
        factories.make_lead(lead, team)
        submit(
            team,
            world.cycle,
            lead,
            {
                "alpha-element-level": f"level-{number % 5 + 1}",
                "beta-element-level": "level-3",
                "beta-element-agree": "agree",
            },
            draft=number % 4 == 0,
        )

    # The session, the user, the cycle and its rubric (three), the teams, their
    # members, the assessments (two), the answers and the navigation's memberships.
    with django_assert_max_num_queries(12):
        response = manager_client.get(overview_url(world.cycle))

    page_tables = tables(response.content.decode())
    assert len(page_tables[COMPLETION]) == 1 + 20
    assert page_tables[COMPLETION][-1] == ["Team 17", "0", "0", "1"]
    assert page_tables[LEVELS][-1] == ["Team 17", "3", "4"]
