"""The demo team lead assesses their team in a real browser, on the shipped rubric."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from demo.builder import DEMO_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# What the lead reads on the way, per language.
WORDS = {
    "en": {
        "element": "CX strategy",
        "review": "Every required question is answered",
        "results": "Results for Customer support, 2026 H2",
        "level": "Level 3:",
        "focus": "Focus areas for reaching level 4",
    },
    "zh-hans": {
        "element": "客户体验战略",
        "review": "所有必答问题均已回答",
        "results": "Customer support",
        "level": "第 3 级",
        "focus": "达到第 4 级的重点领域",
    },
}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_lead_answers_everything_submits_and_sees_next_steps(
    page: Any, live_server: Any, demo: None, language: str
) -> None:
    words = WORDS[language]
    page.goto(live_server.url + "/")
    page.fill("#id_username", "lead")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if language != "en":
        with page.expect_navigation():  # the menu switches on selection
            page.select_option("#language", language)
        assert page.locator("html").get_attribute("lang") == language

    with page.expect_navigation():
        page.locator("form[action*='/start/'] button[type=submit]").click()
    assert words["element"] in page.locator("h1").inner_text()
    sections = 0
    while "/sections/" in page.url:
        sections += 1
        # The keyboard alone: focus each question's first option, arrow to the third.
        groups = page.locator("main fieldset")
        for index in range(groups.count()):
            group = groups.nth(index)
            radios = group.locator("input[type=radio]")
            if radios.count():
                radios.first.focus()
                page.keyboard.press("ArrowDown")
                page.keyboard.press("ArrowDown")
            else:
                group.locator("textarea").first.fill("We talk about customers every Monday.")
        page.locator("button[name=action][value=next]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert sections == 10
    assert page.url.endswith("/review/")
    assert words["review"] in page.content()
    with page.expect_navigation():
        page.locator("form[action$='/submit/'] button[type=submit]").click()

    assert words["results"] in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert words["level"] in body
    assert words["focus"] in body
    assert Assessment.objects.get(respondent__username="lead").status == "submitted"
