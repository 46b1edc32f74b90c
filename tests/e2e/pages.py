"""Steps that several browser tests take: signing in, waiting for every chart to draw."""

from __future__ import annotations

from typing import Any

from demo.builder import DEMO_PASSWORD


def log_in(page: Any, base: str, username: str) -> None:
    """Sign in afresh as ``username`` (a demo user) through the sign-in page."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def draw_every_chart(page: Any, url: str) -> int:
    """Open ``url``, scroll to each chart and wait for plotly's drawing; return how many."""
    page.goto(url)
    charts = page.locator("[data-chart-figure]")
    count = charts.count()
    for index in range(count):
        chart = charts.nth(index)
        # charts.js draws a chart (and loads plotly.js) only as it nears the screen.
        chart.scroll_into_view_if_needed()
        chart.locator("svg.main-svg").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    return count
