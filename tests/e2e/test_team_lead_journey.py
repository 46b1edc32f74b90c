"""The demo team lead assesses their team in a real browser, on the shipped rubric."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from assessments.management.commands.load_demo import DEMO_PASSWORD
from assessments.models import Assessment

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)


def test_lead_answers_everything_submits_and_sees_next_steps(
    page: Any, live_server: Any, demo: None
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    with page.expect_navigation():
        page.get_by_role("button", name="Start assessment").click()
    sections = 0
    while "Review and submit" not in page.title():
        sections += 1
        # Answer with the keyboard only: focus each question's first option, arrow to another.
        groups = page.locator("fieldset")
        for index in range(groups.count()):
            group = groups.nth(index)
            radios = group.locator("input[type=radio]")
            if radios.count():
                radios.first.focus()
                page.keyboard.press("ArrowDown")
                page.keyboard.press("ArrowDown")  # the third option: a middle level
            else:
                group.locator("textarea").first.fill("We talk about customers every Monday.")
        page.get_by_role("button", name="Save and continue").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert sections > 5

    assert "Every required question is answered" in page.content()
    page.get_by_role("button", name="Submit assessment").click()

    assert page.get_by_role("heading", name="Results for Customer support, 2026 H2").is_visible()
    body = page.locator("main").inner_text()
    assert "Level 3:" in body
    assert "Focus areas for reaching level 4" in body
    assert "Action steps" in body
    assert Assessment.objects.get(respondent__username="lead").status == "submitted"
