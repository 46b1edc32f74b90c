"""The demo CX manager runs a cycle in a real browser: open, invite, watch, commit, download."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from action_items.models import ActionItem
from demo.builder import DEMO_PASSWORD
from organisations.models import Cycle, Membership

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEBUG = True
    # PDFs are prepared in the request's transaction hook here, not by a separate worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)


def log_in(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()


def test_manager_opens_a_cycle_invites_watches_commits_and_downloads(
    page: Any, live_server: Any, demo: None
) -> None:
    base = live_server.url
    log_in(page, base, "manager")

    # Open a cycle on the CX strategy framework alone.
    page.get_by_role("link", name="Cycles").click()
    page.get_by_role("link", name=re.compile("Open a (new )?cycle")).first.click()
    today = datetime.date.today()
    page.fill("#id_name", "Pulse 2027")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("CX strategy maturity").check()
    submit(page)
    cycle = Cycle.objects.get(name="Pulse 2027")
    assert cycle.is_open and cycle.rubric_version_id

    # Invite a new lead to the product team; they accept in their own browser.
    page.goto(f"{base}/organisations/{cycle.organisation_id}/invitations/")
    page.fill("#id_email", "nora@demo.example")
    page.select_option("#id_team", label="Product")
    submit(page)
    found = re.search(r"https?://\S+/invitations/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    link = found.group(0)
    invitee = page.context.browser.new_context().new_page()
    invitee.goto(link)
    invitee.fill("#id_password1", "a long new password 42")
    invitee.fill("#id_password2", "a long new password 42")
    submit(invitee)
    assert Membership.objects.filter(user__email="nora@demo.example", team__slug="product").exists()

    # The demo lead answers the new cycle and submits.
    lead = page.context.browser.new_context().new_page()
    log_in(lead, base, "lead")
    lead.locator(f"form[action$='/cycles/{cycle.pk}/start/'] button").click()
    lead.wait_for_url(re.compile(r"/sections/1/"))
    groups = lead.locator("main fieldset")
    for index in range(groups.count()):
        radios = groups.nth(index).locator("input[type=radio]")
        if radios.count():
            radios.nth(1).check()
    with lead.expect_navigation():
        lead.locator("button[name=action][value=next]").click()
    with lead.expect_navigation():
        lead.locator("form[action$='/submit/'] button").click()
    assert "Level 2" in lead.locator("main").inner_text()

    # The dashboard shows the team's level; the manager commits a step from its result.
    page.goto(f"{base}/organisations/{cycle.organisation_id}/dashboard/?cycle={cycle.pk}")
    assert page.locator("#completion-summary .badge").first.inner_text() == "1"
    # Only a team that submitted links to its result.
    with page.expect_navigation():
        page.get_by_role("link", name="Customer support").first.click()
    assert "Level 2" in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("Commit as action item")).first.click()
    page.select_option("#id_owner", "")  # the owner defaults to the manager committing it
    page.fill("#id_owner_name", "Priya from support")
    page.fill("#id_due_date", (today + datetime.timedelta(days=60)).isoformat())
    submit(page)
    item = ActionItem.objects.get(cycle=cycle)
    assert item.owner_name == "Priya from support"
    assert "Priya from support" in page.locator("main").inner_text()

    # The organisation PDF: prepared, then downloaded.
    page.goto(f"{base}/organisations/{cycle.organisation_id}/dashboard/?cycle={cycle.pk}")
    with page.expect_navigation():
        page.locator("#action-plan form button[type=submit]").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF action plan").click()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Northwind Services" in text
    assert "Customer support" in text
