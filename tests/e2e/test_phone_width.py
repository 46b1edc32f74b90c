"""On a phone (390 px wide) nothing scrolls sideways: wide tables scroll in their own region."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.builder import DEMO_PASSWORD
from organisations.models import Cycle, Team

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Every chart drawn (they draw as they come near the screen) and every table
# region named, keyboard-reachable.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart-figure]')]
    .every(plot => plot.querySelector('.main-svg'))"""
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 391)
    .filter(e => !e.parentElement.closest('.table-responsive, .js-plotly-plot'))
    .map(e => e.tagName + '.' + (e.className.baseVal ?? e.className) + ' '
        + Math.round(e.getBoundingClientRect().right) + ' ' + e.textContent.trim().slice(0, 40))
    .slice(0, 10)"""
TABLE_REGIONS = """() => [...document.querySelectorAll('main table')].map(table => {
    const region = table.closest('.table-responsive');
    if (!region) return 'no region: ' + (table.caption ? table.caption.textContent : '');
    const labelledBy = region.getAttribute('aria-labelledby');
    const name = region.getAttribute('aria-label')
        || (labelledBy && labelledBy.split(' ')
            .map(id => document.getElementById(id)?.textContent.trim() || '').join(' ').trim());
    return region.getAttribute('role') === 'region' && region.tabIndex === 0 && name
        ? 'ok' : 'unlabelled: ' + region.outerHTML.slice(0, 120);
})"""


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)


def scroll_through(page: Any) -> None:
    """Down the whole page a screen at a time, as a reader would: the charts draw."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + PHONE["height"], PHONE["height"] // 2):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.wait_for_function(CHARTS_DRAWN)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_fit_a_phone_in_both_languages(
    page: Any, live_server: Any, demo: None, language: str
) -> None:
    team = Team.objects.get(name="Customer support")
    organisation = team.organisation
    cycle = Cycle.objects.filter(organisation=organisation).order_by("-opens_on").first()
    assert cycle is not None
    paths = [
        reverse("team_result", args=[team.pk, cycle.pk]),
        reverse("dashboard", args=[organisation.pk]),
        reverse("cycle_overview", args=[cycle.pk]),
        reverse("team_action_items", args=[team.pk]),
        reverse("organisation_action_items", args=[organisation.pk]),
    ]
    page.goto(f"{live_server.url}/accounts/login/")
    if language != "en":
        # On a desktop, where the menu is in view; a phone folds it away.
        with page.expect_navigation():
            page.get_by_label("Language").select_option(language)
    page.set_viewport_size(PHONE)
    page.fill("#id_username", "manager")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    for path in paths:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        scroll_through(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, language, width, page.evaluate(WIDE))
        regions = page.evaluate(TABLE_REGIONS)
        assert regions and set(regions) == {"ok"}, (path, regions)
