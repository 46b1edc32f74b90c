"""The language menu in a browser: it switches on selection, with no button to press."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_choosing_a_language_switches_the_page_at_once(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Switch")).to_be_hidden()

    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Log in")
    assert page.url == f"{live_server.url}/accounts/login/"


def test_without_javascript_the_switch_button_stays(page: Any, live_server: Any) -> None:
    context = page.context.browser.new_context(locale="en-GB", java_script_enabled=False)
    no_script = context.new_page()
    no_script.goto(f"{live_server.url}/accounts/login/")

    expect(no_script.get_by_role("button", name="Switch")).to_be_visible()
    no_script.get_by_label("Language").select_option("zh-hans")
    with no_script.expect_navigation():
        no_script.get_by_role("button", name="Switch").click()
    expect(no_script.locator("html")).to_have_attribute("lang", "zh-hans")
    context.close()
