"""Issue 13, "never lose typed work": background saves, a session that ends,
a cycle that closes, long notes and explicit clearing, through the test client."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import session_warning
from assessments.models import Answer, Assessment
from organisations.models import Cycle
from tests import factories
from tests.assessments.helpers import section_url
from tests.conftest import World, logged_in

BACKGROUND = {"X-Requested-With": "fetch", "Accept": "application/json"}


def draft(world: World) -> Assessment:
    return Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)


def later(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    """The session clock (assessments/session_warning.py) reads ``seconds`` ahead."""
    now = time.time()
    monkeypatch.setattr(session_warning.time, "time", lambda: now + seconds)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def stored() -> dict[str, tuple[str | None, str, str]]:
    return {
        key: (choice, text, note)
        for key, choice, text, note in Answer.objects.values_list(
            "question__key", "choice__key", "text", "note"
        )
    }


class TestBackgroundSave:
    def test_saves_through_the_section_url_and_answers_json(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-4", "note-alpha-element-level": "Seen."},
            headers=BACKGROUND,
        )
        assert response.status_code == 200
        body = response.json()
        assert body["errors"] == {}
        assessment.refresh_from_db()
        local = timezone.localtime(assessment.updated_at)
        assert body["saved_at_label"] == local.strftime("%H:%M")
        assert datetime.datetime.fromisoformat(body["saved_at"]) == assessment.updated_at
        assert stored() == {"alpha-element-level": ("level-4", "", "Seen.")}

    def test_field_errors_come_back_by_field_name_and_nothing_is_saved(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-4", "note-alpha-element-level": "x" * 2001},
            headers=BACKGROUND,
        )
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert list(errors) == ["note-alpha-element-level"]
        assert "at most 2000 characters" in errors["note-alpha-element-level"][0]["message"]
        assert not Answer.objects.exists()

    def test_page_loads_the_script_and_a_polite_status_region(
        self, lead_client: Client, world: World
    ) -> None:
        page = lead_client.get(section_url(draft(world), 1)).content.decode()
        assert re.search(r'<script src="/static/js/autosave\.js[^"]*" defer></script>', page)
        status = re.search(r'<p id="autosave-status"[^>]*>', page, re.S)
        assert status is not None
        assert 'aria-live="polite"' in status.group(0)
        assert 'data-saving="Saving…"' in status.group(0)
        assert 'data-saved="Saved at {time}"' in status.group(0)
        # Without the script the buttons still post the form.
        assert 'name="action" value="next"' in page

    def test_status_words_are_translated(self, lead_client: Client, world: World) -> None:
        assessment = draft(world)
        lead_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert 'data-saving="正在保存…"' in page
        assert 'data-saved="已于 {time} 保存"' in page
        assert "清除回答" in page

    def test_a_locked_page_has_no_autosave(self, lead_client: Client, world: World) -> None:
        assessment = draft(world)
        Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert "autosave.js" not in page
        assert "data-autosave" not in page
        assert "Clear answer" not in page


class TestSignedOut:
    def test_a_post_after_the_session_ended_is_saved_after_sign_in(self, world: World) -> None:
        assessment = draft(world)
        client = Client(enforce_csrf_checks=True)
        login_page = client.get(reverse("login")).content.decode()
        client.post(
            reverse("login"),
            {
                "csrfmiddlewaretoken": csrf_token(login_page),
                "username": "lead",
                "password": factories.PASSWORD,
            },
        )
        page = client.get(section_url(assessment, 1)).content.decode()
        Session.objects.all().delete()  # expired, or signed out in another tab

        response = client.post(
            section_url(assessment, 1),
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "answer-alpha-element-level": "level-2",
                "answer-alpha-element-reflect": "Typed before the session ended.",
                "action": "next",
            },
        )
        assert response.status_code == 302
        login_url = f"{reverse('login')}?next={section_url(assessment, 1)}"
        assert response["Location"] == login_url
        assert not Answer.objects.exists()
        login_page = client.get(login_url).content.decode()
        assert "You were signed out. Sign in again and your answers will be saved." in login_page

        response = client.post(
            login_url,
            {
                "csrfmiddlewaretoken": csrf_token(login_page),
                "username": "lead",
                "password": factories.PASSWORD,
                "next": section_url(assessment, 1),
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Your answers from before you were signed out are saved." in page
        assert 'value="level-2" checked' in page
        assert stored() == {
            "alpha-element-level": ("level-2", "", ""),
            "alpha-element-reflect": (None, "Typed before the session ended.", ""),
        }
        # Kept once: the next visit saves nothing again.
        Answer.objects.all().delete()
        client.get(section_url(assessment, 1))
        assert not Answer.objects.exists()

    def test_a_background_save_signed_out_gets_401_json_with_the_login_link(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        lead_client.post(reverse("logout"))
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-5"},
            headers=BACKGROUND,
        )
        assert response.status_code == 401
        body = response.json()
        assert body.pop("csrf_token")
        assert body == {
            "signed_out": True,
            "kept": True,
            "login_url": f"{reverse('login')}?next={section_url(assessment, 1)}",
        }
        assert not Answer.objects.exists()
        # The script's "Sign in again" link, the page itself, leads to the
        # login page, which says the answers are kept.
        login_url = response.json()["login_url"]
        response = lead_client.get(section_url(assessment, 1), follow=True)
        assert response.redirect_chain == [(login_url, 302)]
        assert "Sign in again and your answers will be saved." in response.content.decode()

        lead_client.post(reverse("login"), {"username": "lead", "password": factories.PASSWORD})
        response = lead_client.get(section_url(assessment, 1), follow=True)
        assert "Your answers from before you were signed out are saved." in (
            response.content.decode()
        )
        assert stored() == {"alpha-element-level": ("level-5", "", "")}

    def test_another_user_signing_in_saves_nothing_for_them(self, world: World) -> None:
        assessment = draft(world)
        client = Client()
        client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-5"},
            headers=BACKGROUND,
        )
        client.post(reverse("login"), {"username": "lead2", "password": factories.PASSWORD})
        assert client.get(section_url(assessment, 1)).status_code == 404
        assert not Answer.objects.exists()

    def test_page_carries_the_session_length_and_warns_ahead(
        self, lead_client: Client, world: World, settings: Any
    ) -> None:
        assessment = draft(world)
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert 'data-session-age="1209600"' in page  # Django's default, two weeks
        assert 'data-session-warn-after="1209000"' in page  # ten minutes before
        assert "you will be signed out in about 10 minutes unless you answer or save" in page

        settings.SESSION_COOKIE_AGE = 600
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert 'data-session-age="600"' in page
        assert 'data-session-warn-after="300"' in page
        assert "signed out in about 5 minutes" in page

    def test_opening_or_saving_a_section_keeps_the_session_going(
        self, lead_client: Client, world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assessment = draft(world)
        settings.SESSION_COOKIE_AGE = 600
        Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
        lead_client.get(section_url(assessment, 1))
        remaining = Session.objects.get().expire_date - timezone.now()
        assert remaining > datetime.timedelta(seconds=590)

        Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
        later(monkeypatch, 61)  # a tenth of 600 seconds since the session was last written
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-1"},
            headers=BACKGROUND,
        )
        remaining = Session.objects.get().expire_date - timezone.now()
        assert response.json()["session_warn_after"] == 300
        assert remaining > datetime.timedelta(seconds=590)

    def test_the_session_row_is_written_at_most_once_a_refresh_interval(
        self,
        lead_client: Client,
        world: World,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        assessment = draft(world)
        lead_client.get(section_url(assessment, 1))
        stamp = Session.objects.get().expire_date
        later(monkeypatch, 30 * 60)
        with CaptureQueriesContext(connection) as queries:
            page = lead_client.get(section_url(assessment, 1)).content.decode()
        written = [query for query in queries if query["sql"].startswith('UPDATE "django_session"')]
        assert not written
        assert Session.objects.get().expire_date == stamp
        # Half an hour of its two weeks gone: the warning counts from the last write.
        assert 'data-session-warn-after="1207200"' in page
        later(monkeypatch, 61 * 60)
        lead_client.get(section_url(assessment, 1))
        assert Session.objects.get().expire_date > stamp


class TestCycleClosedWhileAnswering:
    def test_save_is_refused_on_the_section_with_the_typed_answers(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
        response = lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "level-3",
                "answer-alpha-element-reflect": "Our long reflection.",
                "note-alpha-element-level": "A note typed late.",
                "action": "next",
            },
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "This cycle is closed and takes no more answers." in page
        assert 'value="level-3" checked' in page
        assert "Our long reflection.</textarea>" in page
        assert "A note typed late.</textarea>" in page
        assert "Section 1 of 2" in page
        assert "Clear answer" not in page  # nothing on the page saves any more
        assert "autosave.js" not in page
        assert not Answer.objects.exists()

    def test_background_save_is_refused_with_409_json(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-3"},
            headers=BACKGROUND,
        )
        assert response.status_code == 409
        body = response.json()
        assert body["locked"] is True
        assert body["errors"]["__all__"][0]["message"] == (
            "This cycle is closed and takes no more answers."
        )
        assert not Answer.objects.exists()


class TestLongNotes:
    def test_note_has_no_maxlength_but_a_counter_and_the_limit(
        self, lead_client: Client, world: World
    ) -> None:
        page = lead_client.get(section_url(draft(world), 1)).content.decode()
        note = re.search(r'<textarea[^>]*name="note-alpha-element-level"[^>]*>', page)
        assert note is not None
        assert "maxlength" not in note.group(0)
        assert 'data-max-length="2000"' in note.group(0)
        assert 'id="id_note-alpha-element-level-count"' in page
        assert 'data-note-count="{count} of {max} characters"' in page

    def test_over_long_note_is_refused_next_to_the_field_not_cut(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        note = "y" * 2500
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-2", "note-alpha-element-level": note},
        )
        assert response.status_code == 400
        page = response.content.decode()
        error = re.search(
            r'<p class="text-danger" id="id_note-alpha-element-level-error"[^>]*>', page
        )
        assert error is not None and "hidden" not in error.group(0)
        assert "at most 2000 characters (it has 2500)" in page
        assert f">{note}</textarea>" in page
        assert not Answer.objects.exists()

    def test_line_breaks_count_once_as_the_counter_shows(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        note = "\r\n".join(["z" * 99] * 20)  # 1,999 characters as typed, 2,018 as posted
        response = lead_client.post(
            section_url(assessment, 1), {"note-alpha-element-level": note}, headers=BACKGROUND
        )
        assert response.status_code == 200
        assert Answer.objects.get().note == note.replace("\r\n", "\n")


class TestClearingIsExplicit:
    def test_enter_in_a_field_saves_and_continues_rather_than_clearing(
        self, lead_client: Client, world: World
    ) -> None:
        page = lead_client.get(section_url(draft(world), 1)).content.decode()
        form = page[page.index('<form method="post"') :]
        first_button = re.search(r"<button[^>]*>", form)
        assert first_button is not None
        assert 'type="submit"' in first_button.group(0)
        assert "name=" not in first_button.group(0)  # no action: "next"

    def answered(self, client: Client, assessment: Assessment) -> None:
        client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "level-4",
                "note-alpha-element-level": "Evidence.",
                "answer-alpha-element-agree": "agree",
                "answer-alpha-element-reflect": "Reflection.",
            },
        )

    def test_a_post_without_answer_fields_changes_nothing(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        self.answered(lead_client, assessment)
        before = stored()
        saved_at = Assessment.objects.get().updated_at
        response = lead_client.post(section_url(assessment, 1), {"action": "next"})
        assert response.status_code == 302
        assert stored() == before
        assert Assessment.objects.get().updated_at == saved_at

    def test_an_unticked_radio_keeps_its_stored_choice(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        self.answered(lead_client, assessment)
        # What a browser posts when no option of "level" is ticked on the page.
        lead_client.post(
            section_url(assessment, 1),
            {
                "note-alpha-element-level": "Evidence, revised.",
                "answer-alpha-element-agree": "disagree",
                "answer-alpha-element-reflect": "Reflection.",
                "note-alpha-element-reflect": "",
                "note-alpha-element-agree": "",
            },
        )
        assert stored() == {
            "alpha-element-level": ("level-4", "", "Evidence, revised."),
            "alpha-element-agree": ("disagree", "", ""),
            "alpha-element-reflect": (None, "Reflection.", ""),
        }

    def test_clear_answer_removes_the_choice_and_keeps_the_note(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        self.answered(lead_client, assessment)
        # The "Clear answer" button without JavaScript: the form as shown, plus its name.
        response = lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "level-4",
                "note-alpha-element-level": "Evidence.",
                "answer-alpha-element-agree": "agree",
                "clear-alpha-element-agree": "1",
            },
        )
        assert response["Location"] == section_url(assessment, 1) + "#q-alpha-element-agree"
        assert stored() == {
            "alpha-element-level": ("level-4", "", "Evidence."),
            "alpha-element-reflect": (None, "Reflection.", ""),
        }
        lead_client.post(section_url(assessment, 1), {"clear-alpha-element-level": "1"})
        assert stored()["alpha-element-level"] == (None, "", "Evidence.")
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert "The answer is cleared." in page
        assert 'value="level-4" checked' not in page

    def test_every_scored_question_has_a_clear_button(
        self, lead_client: Client, world: World
    ) -> None:
        page = lead_client.get(section_url(draft(world), 1)).content.decode()
        assert 'name="clear-alpha-element-level" value="1"' in page
        assert 'name="clear-alpha-element-agree" value="1"' in page
        assert "clear-alpha-element-reflect" not in page  # a text answer is cleared by typing
        assert page.count(">Clear answer</button>") == 2

    def test_clearing_a_question_of_another_section_is_refused(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = draft(world)
        lead_client.post(section_url(assessment, 2), {"answer-beta-element-level": "level-1"})
        response = lead_client.post(section_url(assessment, 1), {"clear-beta-element-level": "1"})
        assert response.status_code == 400
        assert "not part of this section" in response.content.decode()
        assert stored() == {"beta-element-level": ("level-1", "", "")}


def test_a_stale_csrf_token_can_be_refreshed_by_the_script(
    lead_client: Client, world: World
) -> None:
    response = lead_client.get(section_url(draft(world), 1), headers=BACKGROUND)
    assert response.status_code == 200
    assert len(response.json()["csrf_token"]) == 64


def test_other_users_still_get_404(world: World) -> None:
    assessment = draft(world)
    response = logged_in(world.lead2).post(
        section_url(assessment, 1), {"answer-alpha-element-level": "level-1"}, headers=BACKGROUND
    )
    assert response.status_code == 404
    assert not Answer.objects.exists()
