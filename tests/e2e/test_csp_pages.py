"""Under the Content-Security-Policy, in a real browser: the pages, their charts and the admin.

Chromium reports every refused script, style or attribute as a
``securitypolicyviolation`` event; the test listens on every page and popup it
opens and expects none, while the charts draw and the admin's scripts run.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Assessment
from organisations.models import Cycle, Organisation
from playbook.models import Element
from tests.e2e.pages import draw_every_chart, log_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolation(`${event.violatedDirective} refused ${event.blockedURI} (${where})`);
});
"""


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", verbosity=0)


@pytest.fixture
def violations(page: Any) -> list[str]:
    """The policy violations of every page the test opens, with the page's address."""
    found: list[str] = []
    page.context.expose_binding(
        "cspViolation", lambda source, text: found.append(f"{source['frame'].url}: {text}")
    )
    page.context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{message.location.get('url')}: {message.text}")

    page.context.on("console", on_console)
    return found


def test_pages_charts_and_questionnaire_run_without_a_policy_violation(
    page: Any, live_server: Any, demo: None, violations: list[str]
) -> None:
    base = live_server.url
    northwind = Organisation.objects.get(slug="northwind")
    cycle = Cycle.objects.get(organisation=northwind, slug="2026-h2")
    submitted = Assessment.objects.get(
        cycle=cycle, respondent__username="lead2", status="submitted"
    )
    draft = Assessment.objects.get(cycle=cycle, respondent__username="lead", status="draft")

    log_in(page, base, "lead2")
    assert draw_every_chart(page, base + reverse("assessment_results", args=[submitted.pk])) >= 3
    # plotly.js took its rules from the linked stylesheet, not an inline <style>.
    assert page.locator("link#plotly\\.js-style-global.no-inline-styles").count() == 1
    assert page.locator("style").count() == 0
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.js-plotly-plot .main-svg')).position"
        )
        == "absolute"
    )

    log_in(page, base, "manager")
    assert draw_every_chart(page, base + reverse("dashboard", args=[northwind.pk])) >= 3
    # The heatmap's colour bar, whose empty style="" the dashboard's policy allows.
    page.locator(".colorbar rect.cbfill").first.wait_for(state="attached")
    assert draw_every_chart(page, base + reverse("cycle_overview", args=[cycle.pk])) >= 1

    log_in(page, base, "lead")
    page.goto(base + reverse("assessment_section", args=[draft.pk, 1]))
    assert page.locator("progress.section-progress").get_attribute("value") == "1"
    # Answering saves in the background (static/js/autosave.js).
    page.locator("main form input[type=radio]").first.check()
    expect(page.locator("#autosave-status")).to_have_text(re.compile("^Saved at"))

    assert violations == []


def test_the_admin_runs_without_a_policy_violation(
    page: Any, live_server: Any, demo: None, violations: list[str]
) -> None:
    base = live_server.url
    log_in(page, base, "admin")
    page.goto(base + reverse("admin:index"))
    assert page.get_by_role("heading", name="Site administration").is_visible()

    # A change list's actions (admin/js/actions.js): select every row, run an action.
    page.goto(base + reverse("admin:playbook_question_changelist"))
    page.locator("#action-toggle").check()
    rows = page.locator("input.action-select").count()
    assert page.locator("input.action-select:checked").count() == rows > 1
    expect(page.locator(".action-counter")).to_contain_text(f"{rows} of {rows} selected")
    page.locator("select[name=action]").select_option("delete_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    # Answered questions are kept (playbook/admin.py).
    expect(page.locator("ul.messagelist")).to_contain_text("Nothing was deleted.")

    # A change form's date widgets: the calendar opens and "Today" fills the field.
    cycle = Cycle.objects.get(organisation__slug="northwind", slug="2026-h2")
    page.goto(base + reverse("admin:organisations_cycle_change", args=[cycle.pk]))
    page.locator("#calendarlink0").click()
    assert page.locator("#calendarbox0").is_visible()
    page.locator("#calendarbox0 .calendar-shortcuts a").first.click()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.input_value("#id_opens_on"))

    # A related-object popup: add a user from the membership form.
    page.goto(base + reverse("admin:organisations_membership_add"))
    with page.expect_popup() as popup_info:
        page.locator("#add_id_user").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_username", "csp-popup-user")
    popup.fill("#id_password1", "a long enough password 42")
    popup.fill("#id_password2", "a long enough password 42")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    assert page.locator("#id_user option:checked").inner_text() == "csp-popup-user"

    # Saving a rubric element, then its change history (django-simple-history).
    element = Element.objects.order_by("pk").first()
    assert element is not None
    page.goto(base + reverse("admin:playbook_element_change", args=[element.pk]))
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    page.goto(base + reverse("admin:playbook_element_history", args=[element.pk]))
    assert page.locator("table#change-history tbody tr").count() >= 1

    assert violations == []
