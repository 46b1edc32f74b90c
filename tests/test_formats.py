"""Dates read the same everywhere: "7 Dec 2026" in English, Django's own format in Chinese."""

from __future__ import annotations

import datetime
import re

import plotly.graph_objects as go
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from action_items.models import ActionItem
from assessments.reminders import reminders_send
from organisations.models import Cycle
from reports import chart_export, pdf
from results.selectors import assessment_result
from tests.conftest import World
from tests.reports.test_pdf import ANSWERS, pdf_text
from tests.results.test_results import submitted

OPENS = datetime.date(2026, 12, 7)
CLOSES = datetime.date(2027, 1, 31)
# What Django's English formats write: "Dec. 7, 2026", "12/07/2026".
AMERICAN = re.compile(r"\b[A-Z][a-z]{2}\.? \d{1,2}, \d{4}\b|\b\d{2}/\d{2}/\d{4}\b")


def _day_month_year(day: datetime.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


@pytest.fixture
def december(world: World) -> World:
    Cycle.objects.filter(pk=world.cycle.pk).update(opens_on=OPENS, closes_on=CLOSES)
    return world


def test_english_pages_show_dates_as_day_month_year(
    manager_client: Client, december: World
) -> None:
    page = manager_client.get(reverse("cycle_list", args=[december.acme.pk])).content.decode()

    assert "<td>7 Dec 2026</td>" in page
    assert "<td>31 Jan 2027</td>" in page
    assert AMERICAN.search(page) is None


def test_chinese_pages_keep_djangos_chinese_dates(manager_client: Client, december: World) -> None:
    page = manager_client.get(
        reverse("cycle_list", args=[december.acme.pk]), headers={"accept-language": "zh-hans"}
    ).content.decode()

    assert "<td>2026年12月7日</td>" in page
    assert "7 Dec 2026" not in page


def test_reminder_emails_show_dates_as_day_month_year(december: World) -> None:
    december.lead.email = "lead@example.com"
    december.lead.save()

    reminders_send(today=datetime.date(2027, 1, 26), days=7)

    email = next(email for email in mail.outbox if email.to == ["lead@example.com"])
    assert "closes on 31 Jan 2027" in email.subject
    assert "The cycle closes on 31 Jan 2027, in 5 days." in email.body
    assert AMERICAN.search(f"{email.subject} {email.body}") is None


def _fake_svg(figure: go.Figure, **size: int) -> str:
    return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def test_pdf_action_plans_show_dates_as_day_month_year(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_export, "figure_to_svg", _fake_svg)
    result = assessment_result(submitted(world, world.lead, ANSWERS))

    english = pdf_text(pdf.render_action_plan(result, language="en"))
    chinese = pdf_text(pdf.render_action_plan(result, language="zh-hans"))

    today = timezone.localdate()
    assert f"Date {_day_month_year(today)}" in english
    assert AMERICAN.search(english) is None
    assert f"{today.year}年{today.month}月{today.day}日" in chinese


def test_cycle_dates_are_browser_date_pickers_that_take_iso_dates(
    manager_client: Client, world: World
) -> None:
    url = reverse("cycle_create", args=[world.acme.pk])
    form = manager_client.get(url).content.decode()
    assert re.search(r'<input type="date" name="opens_on"[^>]*>', form)
    assert re.search(r'<input type="date" name="closes_on"[^>]*>', form)

    response = manager_client.post(
        url,
        {
            "name": "Winter pulse",
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-31",
            "frameworks": [world.framework.pk],
        },
        follow=True,
    )

    cycle = Cycle.objects.get(name="Winter pulse")
    assert (cycle.opens_on, cycle.closes_on) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 31),
    )
    assert "it opens on 1 Mar 2027" in response.content.decode()


def test_action_item_due_dates_are_date_pickers_and_read_day_month_year(
    lead_client: Client, world: World
) -> None:
    item = ActionItem.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        element_key="alpha-element",
        created_by=world.lead,
        title_en="Call back within a day",
        due_date=OPENS,
    )

    form = lead_client.get(reverse("action_item_edit", args=[item.pk])).content.decode()
    listing = lead_client.get(reverse("team_action_items", args=[world.alpha.pk])).content.decode()

    assert re.search(r'<input type="date" name="due_date" value="2026-12-07"[^>]*>', form)
    assert "<td>7 Dec 2026" in listing
    assert AMERICAN.search(listing) is None
