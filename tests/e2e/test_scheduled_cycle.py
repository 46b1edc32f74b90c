"""A scheduled cycle in a browser: the lead waits, the manager opens it early, the lead starts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from assessments.models import Assessment
from organisations.models import Cycle, Organisation
from tests.e2e.test_manager_journey import log_in, submit

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)


def test_a_lead_waits_for_a_scheduled_cycle_until_the_manager_opens_it_early(
    page: Any, live_server: Any, demo: None
) -> None:
    base = live_server.url
    organisation = Organisation.objects.get(memberships__user__username="manager")
    opens_on = timezone.localdate() + datetime.timedelta(days=14)

    # The manager schedules a cycle to open in two weeks.
    log_in(page, base, "manager")
    page.goto(f"{base}/organisations/{organisation.pk}/cycles/new/")
    page.fill("#id_name", "Pulse later")
    page.fill("#id_opens_on", opens_on.isoformat())
    page.fill("#id_closes_on", (opens_on + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("CX strategy maturity").check()
    submit(page)
    cycle = Cycle.objects.get(name="Pulse later")
    assert cycle.is_scheduled
    row = page.get_by_role("row").filter(has_text="Pulse later")
    expect(row.get_by_text("Scheduled")).to_be_visible()

    # The lead sees when it opens, and no button to start it.
    lead = page.context.browser.new_context(locale="en-GB").new_page()
    log_in(lead, base, "lead")
    start = lead.locator(f"form[action$='/cycles/{cycle.pk}/start/'] button")
    lead_row = lead.get_by_role("row").filter(has_text="Pulse later")
    expect(lead_row.get_by_text(f"Opens on {date_format(opens_on, 'DATE_FORMAT')}")).to_be_visible()
    expect(start).to_have_count(0)

    # The manager opens it now from the cycle list.
    with page.expect_navigation():
        row.get_by_role("button", name="Open Pulse later now").click()
    expect(page.get_by_text("Cycle Pulse later is open from today")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.is_open and cycle.opens_on == timezone.localdate()

    # The lead can start it at once.
    lead.reload()
    expect(lead_row.get_by_text("Opens on")).to_have_count(0)
    expect(start).to_have_count(1)
    with lead.expect_navigation():
        start.click()
    lead.wait_for_url(re.compile(r"/sections/1/"))
    assert Assessment.objects.filter(cycle=cycle, respondent__username="lead").exists()
