"""The section page's question cards: rendered once per rubric and language, then filled in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.forms import SectionForm
from assessments.models import Assessment
from assessments.questionnaire import load_questionnaire
from assessments.section_cards import QuestionRow, render_cards, section_cards
from cxmaturity.fragments import without_indentation
from playbook.versions import rubric_for_cycle, rubric_version_for
from tests.assessments.helpers import section_url
from tests.conftest import World, logged_in

NOTE = 'Seen in <b>review</b> & "retro"'


@pytest.fixture
def pinned(world: World) -> World:
    """The cycle reads a frozen rubric version, as every cycle opened in the app does."""
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    return world


def start(client: Client, world: World, team_pk: int) -> Assessment:
    client.post(reverse("assessment_start", args=[team_pk, world.cycle.pk]))
    return Assessment.objects.get(team_id=team_pk, cycle=world.cycle)


def save_first_section(client: Client, assessment: Assessment) -> None:
    response = client.post(
        section_url(assessment, 1),
        {
            "answer-alpha-element-level": "level-4",
            "note-alpha-element-level": NOTE,
            "answer-alpha-element-reflect": "We <listen> a lot.",
            "action": "stay",
        },
    )
    assert response.status_code == 302


def test_filled_in_cards_equal_the_cards_rendered_directly(pinned: World) -> None:
    client = logged_in(pinned.lead)
    assessment = start(client, pinned, pinned.alpha.pk)
    save_first_section(client, assessment)
    questionnaire = load_questionnaire(Assessment.objects.get(pk=assessment.pk))
    section = questionnaire.section(1)
    assert section is not None
    form = SectionForm(
        element=section.element,
        questions=section.questions,
        choices=questionnaire.rubric.choices_by_question,
        answers=questionnaire.answers,
    )

    rows_asked = 0

    def rows() -> list[QuestionRow]:
        nonlocal rows_asked
        rows_asked += 1
        return form.rows()

    def kept_cards() -> str:
        return section_cards(
            rubric=questionnaire.rubric,
            element=section.element,
            locked=False,
            answers=questionnaire.answers,
            rows=rows,
        )

    with translation.override("en"):
        direct = without_indentation(render_cards(form.rows(), locked=False))
        kept, again = kept_cards(), kept_cards()
    assert kept == direct == again
    assert rows_asked == 1  # the second time from the answers alone
    assert 'value="level-4" checked' in kept
    assert "Seen in &lt;b&gt;review&lt;/b&gt; &amp; &quot;retro&quot;" in kept
    assert "We &lt;listen&gt; a lot.</textarea>" in kept
    assert "\x00" not in kept


def test_each_respondent_sees_only_their_own_answers_in_the_kept_cards(pinned: World) -> None:
    lead_client = logged_in(pinned.lead)
    alpha = start(lead_client, pinned, pinned.alpha.pk)
    save_first_section(lead_client, alpha)
    lead2_client = logged_in(pinned.lead2)
    beta = start(lead2_client, pinned, pinned.beta.pk)

    alpha_page = lead_client.get(section_url(alpha, 1)).content.decode()
    beta_page = lead2_client.get(section_url(beta, 1)).content.decode()

    assert 'value="level-4" checked' in alpha_page
    assert alpha_page.count(" checked") == 1
    assert "Seen in &lt;b&gt;review" in alpha_page
    assert " checked" not in beta_page
    assert "Seen in" not in beta_page
    assert '<details class="mt-2">' in beta_page
    assert '<details class="mt-2" open>' in alpha_page


def test_cards_are_kept_per_language_and_locked_state(pinned: World) -> None:
    client = logged_in(pinned.lead)
    assessment = start(client, pinned, pinned.alpha.pk)
    client.get(section_url(assessment, 1))
    client.get(section_url(assessment, 1))
    rubric = rubric_for_cycle(pinned.cycle)

    def kept_cards() -> int:
        return sum(key[0] == "section-cards" for key in rubric.memo)

    assert kept_cards() == 1

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(section_url(assessment, 1)).content.decode()
    assert "alpha-element 在哪里？" in page
    assert "非常同意" in page
    assert "Where is alpha-element?" not in page
    assert kept_cards() == 2


def test_an_invalid_form_shows_its_errors_and_what_was_typed(pinned: World) -> None:
    client = logged_in(pinned.lead)
    assessment = start(client, pinned, pinned.alpha.pk)
    client.get(section_url(assessment, 1))  # the kept cards exist now
    response = client.post(
        section_url(assessment, 1),
        {"answer-alpha-element-level": "level-2", "note-alpha-element-level": "x" * 2001},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in page
    assert 'value="level-2" checked' in page
    assert "x" * 2001 in page


def test_the_list_of_sections_shows_this_assessments_progress(pinned: World) -> None:
    lead_client = logged_in(pinned.lead)
    alpha = start(lead_client, pinned, pinned.alpha.pk)
    lead2_client = logged_in(pinned.lead2)
    beta = start(lead2_client, pinned, pinned.beta.pk)
    lead_client.get(section_url(alpha, 1))  # kept before anything is answered
    save_first_section(lead_client, alpha)

    first = lead_client.get(section_url(alpha, 1)).content.decode()
    second = lead_client.get(section_url(alpha, 2)).content.decode()
    other = lead2_client.get(section_url(beta, 2)).content.decode()

    assert (
        f'<a href="{section_url(alpha, 1)}" aria-current="page">Element alpha-element</a>' in first
    )
    assert f'<a href="{section_url(alpha, 2)}">Element beta-element</a>' in first
    assert "(2 of 3 answered)" in first
    assert f'<a href="{section_url(alpha, 1)}">Element alpha-element</a>' in second
    assert f'<a href="{section_url(alpha, 2)}" aria-current="page">' in second
    assert section_url(alpha, 1) not in other
    assert f'<a href="{section_url(beta, 2)}" aria-current="page">' in other
    assert "(2 of 3 answered)" not in other
