from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment
from assessments.questionnaire import load_questionnaire
from organisations.models import Cycle
from playbook.models import Choice, Question
from playbook.versions import rubric_version_for
from tests.assessments.helpers import answer_everything, section_url
from tests.conftest import World, logged_in


def start(client: Client, world: World) -> Assessment:
    response = client.post(reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]))
    assert response.status_code == 302
    return Assessment.objects.get(team=world.alpha, cycle=world.cycle)


class TestHome:
    def test_lead_sees_own_team_not_started(self, lead_client: Client, world: World) -> None:
        page = lead_client.get(reverse("home")).content.decode()
        assert "Alpha support" in page
        assert "Not started" in page
        assert "Beta logistics" not in page
        assert "Gamma sales" not in page

    def test_status_shows_answered_count(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-2"})
        page = lead_client.get(reverse("home")).content.decode()
        assert "In progress (answered 1 of 6)" in page

    def test_manager_sees_every_team_of_the_organisation(
        self, manager_client: Client, world: World
    ) -> None:
        page = manager_client.get(reverse("home")).content.decode()
        assert "Alpha support" in page
        assert "Beta logistics" in page
        assert "Gamma sales" not in page

    def test_outsider_sees_no_team(self, world: World) -> None:
        page = logged_in(world.outsider).get(reverse("home")).content.decode()
        assert "not part of any team" in page

    def test_anonymous_is_sent_to_login(self, client: Client, world: World) -> None:
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


class TestStart:
    def test_start_creates_one_draft_and_opens_section_one(
        self, lead_client: Client, world: World
    ) -> None:
        response = lead_client.post(
            reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]), follow=True
        )
        assessment = Assessment.objects.get()
        assert assessment.respondent == world.lead
        assert assessment.status == Assessment.Status.DRAFT
        assert response.redirect_chain[-1][0] == section_url(assessment, 1)
        assert "Section 1 of 2" in response.content.decode()
        # Starting again continues the same assessment.
        lead_client.post(reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]))
        assert Assessment.objects.count() == 1

    def test_start_needs_post(self, lead_client: Client, world: World) -> None:
        url = reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk])
        assert lead_client.get(url).status_code == 405
        assert not Assessment.objects.exists()

    def test_team_of_another_organisation_is_404(self, lead_client: Client, world: World) -> None:
        url = reverse("assessment_start", args=[world.gamma.pk, world.globex_cycle.pk])
        assert lead_client.post(url).status_code == 404
        assert not Assessment.objects.exists()

    def test_other_team_in_same_organisation_is_404_for_a_lead(
        self, lead_client: Client, world: World
    ) -> None:
        url = reverse("assessment_start", args=[world.beta.pk, world.cycle.pk])
        assert lead_client.post(url).status_code == 404

    def test_closed_cycle_cannot_be_started(self, lead_client: Client, world: World) -> None:
        Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
        response = lead_client.post(
            reverse("assessment_start", args=[world.alpha.pk, world.cycle.pk]), follow=True
        )
        assert "This cycle is closed" in response.content.decode()
        assert not Assessment.objects.exists()


class TestSection:
    def test_page_shows_questions_choices_and_progress(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        page = lead_client.get(section_url(assessment, 2)).content.decode()
        assert "Section 2 of 2" in page
        assert "Where is beta-element?" in page
        assert "beta-element at level 4" in page
        assert "Strongly agree" in page
        assert 'aria-labelledby="progress-label" value="2" max="2"' in page

    def test_save_stores_answers_and_notes_and_moves_on(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        response = lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "level-4",
                "note-alpha-element-level": "Seen in the Q3 review.",
                "answer-alpha-element-agree": "not-sure",
                "answer-alpha-element-reflect": "We listen a lot.",
                "action": "next",
            },
        )
        assert response["Location"] == section_url(assessment, 2)
        answers = {a.question.key: a for a in Answer.objects.select_related("question", "choice")}
        assert answers["alpha-element-level"].choice == Choice.objects.get(
            question__key="alpha-element-level", key="level-4"
        )
        assert answers["alpha-element-level"].note == "Seen in the Q3 review."
        assert answers["alpha-element-agree"].choice == Choice.objects.get(
            question__key="alpha-element-agree", key="not-sure"
        )
        assert answers["alpha-element-reflect"].text == "We listen a lot."
        # Coming back shows what was saved.
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert 'value="level-4" checked' in page
        assert "Seen in the Q3 review." in page

    def test_previous_saves_and_goes_back(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        response = lead_client.post(
            section_url(assessment, 2),
            {"answer-beta-element-level": "level-1", "action": "previous"},
        )
        assert response["Location"] == section_url(assessment, 1)
        assert Answer.objects.filter(choice__key="level-1").count() == 1

    def test_changing_an_answer_updates_the_row(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-1"})
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-5"})
        assert list(Answer.objects.values_list("choice__key", flat=True)) == ["level-5"]

    def test_clearing_a_text_answer_removes_it(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-reflect": "Draft"})
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-reflect": "  "})
        assert not Answer.objects.exists()

    def test_resume_opens_first_section_with_unanswered_question(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "level-2",
                "answer-alpha-element-agree": "agree",
                "answer-alpha-element-reflect": "Yes",
            },
        )
        response = lead_client.get(reverse("assessment_resume", args=[assessment.pk]))
        assert response["Location"] == section_url(assessment, 2)

    def test_unknown_section_is_404(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        assert lead_client.get(section_url(assessment, 3)).status_code == 404

    def test_wrong_method_is_405(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        assert lead_client.put(section_url(assessment, 1)).status_code == 405


class TestBadInput:
    def test_choice_of_another_question_is_refused(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        response = lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-level": "strongly-agree",
                "answer-alpha-element-agree": "agree",
            },
        )
        assert response.status_code == 400
        assert "That option does not belong to this question" in response.content.decode()
        assert not Answer.objects.exists()

    def test_unknown_question_is_refused(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-2", "answer-beta-element-level": "level-2"},
        )
        assert response.status_code == 400
        assert "not part of this section" in response.content.decode()
        assert not Answer.objects.exists()

    def test_typed_answers_and_notes_come_back_escaped_in_either_language(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        typed = '<script>alert("x")</script> & more'
        lead_client.post(
            section_url(assessment, 1),
            {
                "answer-alpha-element-reflect": typed,
                "note-alpha-element-level": typed,
                "action": "stay",
            },
        )
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert "<script>alert" not in page
        # In the textarea and in the note, escaped (quotes as &#34; or &quot;, either is safe).
        assert page.count("&lt;script&gt;alert(") == 2
        assert page.count("&lt;/script&gt; &amp; more") == 2
        assert "Add a note (evidence or context)" in page

        lead_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        page = lead_client.get(section_url(assessment, 1)).content.decode()
        assert "<script>alert" not in page
        assert "添加备注" in page  # the cards' own words, in Chinese too
        assert "Add a note" not in page

    def test_over_long_note_is_refused_and_kept_on_the_page(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        note = "x" * 2001
        response = lead_client.post(
            section_url(assessment, 1),
            {"answer-alpha-element-level": "level-2", "note-alpha-element-level": note},
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "at most 2000 characters" in page
        assert note in page  # what the user typed is not lost
        assert not Answer.objects.exists()

    def test_missing_csrf_token_gets_a_clear_page(self, world: World) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.lead)
        assessment = Assessment.objects.create(
            team=world.alpha, cycle=world.cycle, respondent=world.lead
        )
        response = client.post(
            section_url(assessment, 1), {"answer-alpha-element-level": "level-2"}
        )
        assert response.status_code == 403
        assert "This page has expired" in response.content.decode()
        assert not Answer.objects.exists()

    def test_closed_cycle_takes_no_answers(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
        response = lead_client.post(
            section_url(assessment, 1), {"answer-alpha-element-level": "level-2"}, follow=True
        )
        assert "This cycle is closed and takes no more answers." in response.content.decode()
        assert not Answer.objects.exists()


class TestReviewAndSubmit:
    def test_review_lists_unanswered_required_questions_with_links(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        lead_client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-2"})
        page = lead_client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
        assert "3 required questions are unanswered" in page
        assert f"{section_url(assessment, 1)}#q-alpha-element-agree" in page
        assert f"{section_url(assessment, 2)}#q-beta-element-level" in page
        # Optional reflection questions are not demanded.
        assert "#q-alpha-element-reflect" not in page
        assert "Element alpha-element: We do alpha-element well." in page

    def test_review_in_chinese_uses_chinese_punctuation(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        lead_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        page = lead_client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
        assert "要素 alpha-element：alpha-element 在哪里？" in page

    def test_submit_is_refused_while_required_questions_are_open(
        self, lead_client: Client, world: World
    ) -> None:
        assessment = start(lead_client, world)
        response = lead_client.post(reverse("assessment_submit", args=[assessment.pk]), follow=True)
        page = response.content.decode()
        assert "Not submitted: 4 required questions are still unanswered." in page
        assert "#q-beta-element-agree" in page
        assessment.refresh_from_db()
        assert assessment.status == Assessment.Status.DRAFT

    def test_submit_locks_the_assessment(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        answer_everything(lead_client, assessment)
        response = lead_client.post(reverse("assessment_submit", args=[assessment.pk]))
        assert response["Location"] == reverse("assessment_results", args=[assessment.pk])
        assessment.refresh_from_db()
        assert assessment.status == Assessment.Status.SUBMITTED
        submitted_at = assessment.submitted_at
        assert submitted_at is not None

        # An old tab replays a section POST: refused with a message, nothing changes.
        response = lead_client.post(
            section_url(assessment, 1), {"answer-alpha-element-level": "level-1"}, follow=True
        )
        assert "has been submitted and can no longer be changed" in response.content.decode()
        assert Answer.objects.filter(
            question__key="alpha-element-level", choice__key="level-3"
        ).exists()

        # Submitting twice is harmless.
        lead_client.post(reverse("assessment_submit", args=[assessment.pk]))
        assessment.refresh_from_db()
        assert assessment.submitted_at == submitted_at
        assert Assessment.objects.count() == 1

    def test_submit_needs_post(self, lead_client: Client, world: World) -> None:
        assessment = start(lead_client, world)
        assert (
            lead_client.get(reverse("assessment_submit", args=[assessment.pk])).status_code == 405
        )


@pytest.mark.parametrize("who", ["lead2", "other_lead", "outsider", "manager"])
def test_others_cannot_open_or_write_a_leads_sections(who: str, world: World) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    client = logged_in(getattr(world, who))
    assert client.get(section_url(assessment, 1)).status_code == 404
    response = client.post(section_url(assessment, 1), {"answer-alpha-element-level": "level-2"})
    assert response.status_code == 404
    assert client.get(reverse("assessment_review", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("assessment_submit", args=[assessment.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_manager_home_links_to_the_cycle_overview(manager_client: Client, world: World) -> None:
    page = manager_client.get(reverse("home")).content.decode()
    assert reverse("cycle_overview", args=[world.cycle.pk]) in page
    assert reverse("cycle_overview", args=[world.globex_cycle.pk]) not in page


def test_manager_home_links_to_the_organisation_pages(manager_client: Client, world: World) -> None:
    page = manager_client.get(reverse("home")).content.decode()
    for name in ("cycle_list", "invitation_list", "organisation_action_items"):
        assert reverse(name, args=[world.acme.pk]) in page
        assert reverse(name, args=[world.globex.pk]) not in page
    assert reverse("cycle_export_answers", kwargs={"pk": world.cycle.pk, "format": "csv"}) in page


def test_lead_home_has_no_manager_links(lead_client: Client, world: World) -> None:
    page = lead_client.get(reverse("home")).content.decode()
    assert reverse("cycle_overview", args=[world.cycle.pk]) not in page
    assert reverse("cycle_list", args=[world.acme.pk]) not in page
    assert reverse("team_action_items", args=[world.alpha.pk]) in page


def test_leads_see_their_teams_and_managers_their_organisations_teams(world: World) -> None:
    from organisations.access import visible_teams

    def names(user: User) -> set[str]:
        return {team.slug for team in visible_teams(user)}

    assert names(world.lead) == {"alpha"}
    assert names(world.lead2) == {"beta"}
    assert names(world.manager) == {"alpha", "beta"}
    assert names(world.other_lead) == {"gamma"}
    assert names(world.outsider) == set()


def test_saving_a_section_reads_its_questions_as_the_cycles_pinned_rubric_has_them(
    lead_client: Client, world: World
) -> None:
    """An admin moving a question in the live rubric changes nothing for a pinned cycle."""
    world.cycle.rubric_version = rubric_version_for(world.cycle.frameworks.all())
    world.cycle.save(update_fields=["rubric_version"])
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    answer_everything(lead_client, assessment)
    first, second = load_questionnaire(assessment).sections[:2]
    moved = first.questions[0]
    Question.objects.filter(pk=moved.pk).update(element=second.element)
    data = {"action": "stay", f"answer-{moved.key}": "", f"note-{moved.key}": ""}
    for question in first.questions[1:]:
        stored = Answer.objects.get(assessment=assessment, question=question)
        data[f"answer-{question.key}"] = stored.choice.key if stored.choice else stored.text

    response = lead_client.post(section_url(assessment, 1), data)

    assert response.status_code == 302
    # Emptied on the page of the section the cycle asks it in: its answer is gone.
    assert not Answer.objects.filter(assessment=assessment, question=moved).exists()
    assert (
        Answer.objects.filter(assessment=assessment).count()
        == sum(len(section.questions) for section in load_questionnaire(assessment).sections) - 1
    )
