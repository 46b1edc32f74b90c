"""send_reminders: leads of teams that have not submitted hear about cycles closing soon."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from assessments.models import Assessment, Reminder
from organisations.models import Cycle, Organisation, UserPreference
from tests.conftest import World

TODAY = datetime.date(2026, 9, 1)


@pytest.fixture
def soon(world: World) -> World:
    """Acme's cycle closes in five days; Globex's in thirty. Every lead has an address."""
    Cycle.objects.filter(pk=world.cycle.pk).update(
        opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY + datetime.timedelta(days=5)
    )
    Cycle.objects.filter(pk=world.globex_cycle.pk).update(
        opens_on=TODAY - datetime.timedelta(days=30), closes_on=TODAY + datetime.timedelta(days=30)
    )
    for user in (world.lead, world.lead2, world.other_lead, world.manager):
        user.email = f"{user.username}@example.com"
        user.save()
    world.cycle.refresh_from_db()
    return world


def send(*args: str, today: datetime.date | None = TODAY) -> str:
    out = StringIO()
    options = [f"--today={today.isoformat()}"] if today else []
    call_command("send_reminders", *options, *args, stdout=out)
    return out.getvalue()


def submit(world: World, team_name: str) -> None:
    team = world.alpha if team_name == "alpha" else world.beta
    Assessment.objects.create(
        team=team,
        cycle=world.cycle,
        respondent=world.lead if team_name == "alpha" else world.lead2,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )


def recipients() -> list[str]:
    return sorted(address for email in mail.outbox for address in email.to)


def test_leads_of_teams_without_a_submission_are_reminded(soon: World) -> None:
    submit(soon, "alpha")
    Assessment.objects.create(team=soon.beta, cycle=soon.cycle, respondent=soon.lead2)  # a draft

    assert send() == "Sent 1 reminder(s).\n"

    assert recipients() == ["lead2@example.com"]
    (email,) = mail.outbox
    assert email.subject == "Reminder: 2026 H2 closes on 6 Sep 2026"
    assert "Hello lead2," in email.body
    assert "Beta logistics has not yet submitted its assessment for 2026 H2 at Acme." in email.body
    assert "in 5 days" in email.body
    reminder = Reminder.objects.get()
    assert (reminder.cycle, reminder.team, reminder.user, reminder.sent_on) == (
        soon.cycle,
        soon.beta,
        soon.lead2,
        TODAY,
    )


def test_every_lead_of_each_waiting_team_is_reminded(soon: World) -> None:
    assert send() == "Sent 2 reminder(s).\n"
    assert recipients() == ["lead2@example.com", "lead@example.com"]
    assert Reminder.objects.filter(cycle=soon.cycle).count() == 2


def test_a_second_run_on_the_same_day_sends_nothing(soon: World) -> None:
    send()
    assert send() == "Sent 0 reminder(s).\n"
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_the_next_day_reminds_again(soon: World) -> None:
    send()
    assert send(today=TODAY + datetime.timedelta(days=1)) == "Sent 2 reminder(s).\n"
    assert len(mail.outbox) == 4
    assert sorted(Reminder.objects.values_list("sent_on", flat=True)) == [
        TODAY,
        TODAY,
        TODAY + datetime.timedelta(days=1),
        TODAY + datetime.timedelta(days=1),
    ]


def test_without_today_it_uses_the_local_date(soon: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    assert send(today=None) == "Sent 2 reminder(s).\n"
    assert set(Reminder.objects.values_list("sent_on", flat=True)) == {TODAY}


def test_no_reminders_when_every_team_has_submitted(soon: World) -> None:
    submit(soon, "alpha")
    submit(soon, "beta")
    assert send() == "Sent 0 reminder(s).\n"
    assert not mail.outbox
    assert not Reminder.objects.exists()


def test_no_reminders_for_a_closed_cycle(soon: World) -> None:
    Cycle.objects.filter(pk=soon.cycle.pk).update(status=Cycle.Status.CLOSED)
    assert send() == "Sent 0 reminder(s).\n"
    assert not mail.outbox
    assert not Reminder.objects.exists()


def test_no_reminders_once_the_closing_day_has_passed(soon: World) -> None:
    assert send(today=TODAY + datetime.timedelta(days=6)) == "Sent 0 reminder(s).\n"
    assert not mail.outbox


def test_the_closing_day_itself_still_reminds(soon: World) -> None:
    assert send(today=TODAY + datetime.timedelta(days=5)) == "Sent 2 reminder(s).\n"
    assert "The cycle closes today." in mail.outbox[0].body


def test_days_sets_how_far_ahead_to_look(soon: World) -> None:
    # Globex's cycle closes in thirty days: outside the default week.
    send()
    assert "other_lead@example.com" not in recipients()
    assert send("--days=30") == "Sent 1 reminder(s).\n"
    assert "other_lead@example.com" in recipients()
    # Acme closes in four days from tomorrow: just outside a three-day window.
    assert send("--days=3", today=TODAY + datetime.timedelta(days=1)) == "Sent 0 reminder(s).\n"


def test_negative_days_are_refused(soon: World) -> None:
    with pytest.raises(CommandError, match="cannot be negative"):
        send("--days=-1")
    assert not mail.outbox


def test_leads_without_an_address_are_skipped(soon: World) -> None:
    soon.lead.email = ""
    soon.lead.save()
    assert send() == "Sent 1 reminder(s).\n"
    assert recipients() == ["lead2@example.com"]
    assert not Reminder.objects.filter(user=soon.lead).exists()


def test_reminders_are_not_written_in_the_language_active_where_the_command_runs(
    soon: World,
) -> None:
    with translation.override("zh-hans"):
        send()
    assert mail.outbox[0].subject.endswith("6 Sep 2026")


def test_a_lead_who_chose_chinese_is_reminded_in_chinese(soon: World) -> None:
    UserPreference.objects.create(user=soon.lead2, language="zh-hans")

    with translation.override("en"):
        send()

    emails = {email.to[0]: email for email in mail.outbox}
    chinese = emails["lead2@example.com"]
    assert chinese.subject == "提醒：2026 H2将于 2026年9月6日 结束"
    assert "lead2，您好：" in chinese.body
    assert "Acme的Beta logistics尚未提交2026 H2的评估。" in chinese.body
    assert "评估周期将于 2026年9月6日 结束，还剩 5 天。" in chinese.body
    assert emails["lead@example.com"].subject == "Reminder: 2026 H2 closes on 6 Sep 2026"


def test_leads_who_never_chose_are_reminded_in_their_organisations_language(soon: World) -> None:
    Organisation.objects.filter(pk=soon.acme.pk).update(language="zh-hans")
    UserPreference.objects.create(user=soon.lead, language="en")

    send()

    emails = {email.to[0]: email for email in mail.outbox}
    assert emails["lead2@example.com"].subject == "提醒：2026 H2将于 2026年9月6日 结束"
    assert emails["lead@example.com"].subject == "Reminder: 2026 H2 closes on 6 Sep 2026"


def test_a_failed_email_is_not_recorded_so_the_next_run_retries(
    soon: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_send = EmailMessage.send

    def fail_for_lead(self: EmailMessage, *args: Any, **kwargs: Any) -> int:
        if self.to == ["lead@example.com"]:
            raise OSError("mail server down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", fail_for_lead)
    with pytest.raises(CommandError, match="1 reminder"):
        send()
    assert recipients() == ["lead2@example.com"]
    assert list(Reminder.objects.values_list("user__username", flat=True)) == ["lead2"]

    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert send() == "Sent 1 reminder(s).\n"
    assert recipients() == ["lead2@example.com", "lead@example.com"]
