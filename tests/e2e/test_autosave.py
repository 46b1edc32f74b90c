"""A section saves itself as the lead answers, in a real browser (static/js/autosave.js)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command

from assessments.models import Answer, Assessment
from demo.builder import DEMO_PASSWORD
from organisations.models import Team

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessment(settings: Any) -> Assessment:
    settings.DEBUG = True
    call_command("loaddata", "fixtures/rubric.json", verbosity=0)
    call_command("load_demo", "--bare", verbosity=0)
    team = Team.objects.get(slug="customer-support")
    return Assessment.objects.create(
        team=team,
        cycle=team.organisation.cycles.get(),
        respondent=User.objects.get(username="lead"),
    )


def sign_in(page: Any) -> None:
    page.fill("#id_username", "lead")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def open_section(page: Any, live_server: Any, assessment: Assessment) -> str:
    url = f"{live_server.url}/assessments/{assessment.pk}/sections/1/"
    page.goto(url)
    sign_in(page)
    assert page.url == url
    return url


def eventually(check: Any, seconds: float = 5) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_a_chosen_option_and_a_note_are_saved_without_pressing_save(
    page: Any, live_server: Any, assessment: Assessment
) -> None:
    url = open_section(page, live_server, assessment)
    status = page.locator("#autosave-status")
    assert status.get_attribute("aria-live") == "polite"
    first = page.locator("main fieldset").first
    first.locator("input[type=radio]").nth(2).check()
    page.wait_for_function(
        # A function, not an expression: the page's policy refuses eval.
        "() => document.getElementById('autosave-status').textContent.startsWith('Saved at')"
    )
    page.reload()
    assert page.locator("main fieldset").first.locator("input[type=radio]").nth(2).is_checked()

    # A long note: counted as typed, refused next to the field, never cut.
    first.locator("summary").click()
    note = first.locator("textarea")
    note.fill("n" * 1980)
    counter = first.locator("[id$='-count']")
    assert counter.inner_text() == "1,980 of 2,000 characters"
    note.fill("n" * 2005)
    assert "5 too many" in counter.inner_text()
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.startsWith('Not saved')"
    )
    assert "at most 2000 characters" in first.locator("[data-error-for^=note-]").inner_text()
    assert len(note.input_value()) == 2005

    # The answer cleared with its own button, saved in the background too.
    note.fill("Seen in the review.")
    first.locator("button[data-clear-answer]").click()
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent.startsWith('Saved at')"
    )
    answer = Answer.objects.get(assessment=assessment)
    assert answer.choice is None
    assert answer.note == "Seen in the review."
    assert page.url == url


def test_switching_language_keeps_what_was_just_typed(
    page: Any, live_server: Any, assessment: Assessment
) -> None:
    open_section(page, live_server, assessment)
    dialogs: list[str] = []

    def leave_anyway(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave_anyway)
    reflection = page.locator("main fieldset textarea:not([name^=note-])").first
    reflection.fill("Typed a moment before switching language.")
    # At once, before the pause that starts a save: the warning, and a save on the way out.
    # The language menu switches as soon as a language is chosen.
    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    assert dialogs == ["beforeunload"]
    assert eventually(
        lambda: Answer.objects.filter(text="Typed a moment before switching language.").exists()
    )
    page.reload()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "Typed a moment before switching language." in page.content()


def test_answers_typed_after_the_session_ended_are_saved_after_signing_in(
    page: Any, live_server: Any, assessment: Assessment
) -> None:
    url = open_section(page, live_server, assessment)
    Session.objects.all().delete()  # expired, or signed out in another tab

    page.locator("main fieldset").first.locator("input[type=radio]").nth(3).check()
    signed_out = page.locator("#autosave-signed-out")
    signed_out.wait_for(state="visible")
    assert "You were signed out; sign in again to keep saving." in (
        page.locator("#autosave-status").inner_text()
    )
    assert not Answer.objects.exists()
    # Leaving now would lose the answer: the warning stays on...
    assert page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " window.dispatchEvent(e); return e.defaultPrevented; }"
    )
    # ...but not on the way to signing in, which keeps it.
    with page.expect_navigation():
        signed_out.click()
    assert "Sign in again and your answers will be saved." in page.content()
    sign_in(page)
    assert page.url == url
    assert "Your answers from before you were signed out are saved." in page.content()
    assert page.locator("main fieldset").first.locator("input[type=radio]").nth(3).is_checked()
    assert Answer.objects.get(assessment=assessment).choice is not None


def test_an_idle_lead_is_told_before_the_session_ends(
    page: Any, live_server: Any, assessment: Assessment, settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 20  # the warning comes half the session ahead: after 10 s
    open_section(page, live_server, assessment)
    status = page.locator("#autosave-status")
    assert status.inner_text() == ""
    page.wait_for_function(
        "() => document.getElementById('autosave-status')"
        ".textContent.includes('signed out in about')",
        timeout=20_000,
    )
    assert "you will be signed out in about 1 minute unless you answer or save" in (
        status.inner_text()
    )
