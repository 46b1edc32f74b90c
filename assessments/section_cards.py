"""A section page's question cards and list of sections: rendered once, then filled in.

The cards are the busiest markup of the app: per question a prompt, its help,
a radio button and label per option, a note. Everything in them but the
respondent's answers comes from the cycle's rubric, and a pinned rubric
version never changes. So the cards of an element are rendered once per
process, language and locked state, with markers where the answers go, and
kept on the rubric (``Rubric.memo``); each request only fills the markers in
from the stored answers, without building the form. One template draws the
cards either way: a form with errors is rendered through it directly, and a
live rubric keeps its memo for one request only.
The list of sections under the cards is kept the same way per assessment,
its progress and current section filled in (``section_nav``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from assessments.questionnaire import AnswerValues, Questionnaire
from cxmaturity.fragments import Fragment, memo_cache, slot
from playbook.models import Choice, Element, Question
from playbook.versions import Rubric

TEMPLATE = "assessments/_section_cards.html"
NAV_TEMPLATE = "assessments/_section_nav.html"


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    choice: Choice
    checked: str  # the attribute: " checked" or ""

    @property
    def label(self) -> str:
        # Read only when the cards are rendered, not each time kept cards are
        # filled in: a label in the page's language costs a lookup per option.
        return str(self.choice.label)


@dataclass(frozen=True)
class QuestionRow:
    """One question card. ``checked``, ``text``, ``note`` and ``open`` are the answers."""

    question: Question
    number: int
    name: str
    id: str
    text: str
    note_name: str
    note_id: str
    note: str
    open: str  # the attribute: " open" when the note is shown unfolded
    options: list[Option]
    errors: list[str]
    note_errors: list[str]

    def with_slots(self) -> QuestionRow:
        """This card with markers in place of the answers."""
        card = CardSlots.of(self)
        return replace(
            self,
            text=slot(card.text),
            note=slot(card.note),
            open=slot(card.open),
            options=[
                replace(option, checked=slot(checked))
                for option, (_choice_id, _key, checked) in zip(
                    self.options, card.options, strict=True
                )
            ],
        )


@dataclass(frozen=True)
class CardSlots:
    """Where one question's answer goes in kept cards: the names of its slots."""

    question_id: int
    scored: bool
    text: str
    note: str
    open: str
    options: tuple[tuple[int, str, str], ...]  # (choice id, choice key, its "checked" slot)

    @classmethod
    def of(cls, row: QuestionRow) -> CardSlots:
        return cls(
            question_id=row.question.pk,
            scored=row.question.is_scored,
            text=f"{row.id}:text",
            note=f"{row.id}:note",
            open=f"{row.id}:open",
            options=tuple(
                (option.choice.pk, option.value, f"{option.id}:checked") for option in row.options
            ),
        )

    def add_values(self, values: dict[str, str], answer: AnswerValues | None) -> None:
        """The slots' values for ``answer``, as an unbound ``SectionForm`` shows it, escaped."""
        current: str | None = None
        note = ""
        if answer is not None:
            note = answer.note
            if self.scored:
                current = next(
                    (key for choice_id, key, _ in self.options if choice_id == answer.choice_id),
                    None,
                )
            else:
                current = answer.text
        values[self.text] = "" if self.scored or not current else escape(current)
        values[self.note] = escape(note) if note else ""
        values[self.open] = " open" if note else ""
        for _choice_id, key, checked in self.options:
            values[checked] = " checked" if current == key else ""


@dataclass(frozen=True)
class KeptCards:
    fragment: Fragment
    cards: tuple[CardSlots, ...]

    def fill(self, answers: Mapping[int, AnswerValues]) -> SafeString:
        values: dict[str, str] = {}
        for card in self.cards:
            card.add_values(values, answers.get(card.question_id))
        return self.fragment.fill(values)


def render_cards(rows: list[QuestionRow], *, locked: bool) -> SafeString:
    """The cards of a bound form, as typed and with its errors: rendered directly."""
    return render_to_string(TEMPLATE, {"rows": rows, "locked": locked})


def section_cards(
    *,
    rubric: Rubric,
    element: Element,
    locked: bool,
    answers: Mapping[int, AnswerValues],
    rows: Callable[[], list[QuestionRow]],
) -> SafeString:
    """The element's cards showing the stored ``answers``.

    ``rows``: an unbound form's rows, asked for only when the cards are first
    rendered; afterwards the kept cards are filled in from the answers alone,
    as the form would show them.
    """
    key = ("section-cards", element.pk, get_language(), locked)
    kept: KeptCards | None = rubric.memo.get(key)
    if kept is None:
        form_rows = rows()
        slotted = [row.with_slots() for row in form_rows]
        kept = KeptCards(
            fragment=Fragment(render_to_string(TEMPLATE, {"rows": slotted, "locked": locked})),
            cards=tuple(CardSlots.of(row) for row in form_rows),
        )
        rubric.memo[key] = kept
    return kept.fill(answers)


@dataclass(frozen=True)
class NavEntry:
    number: int
    name: str
    total: int
    answered: str  # how many of ``total`` are answered
    current: str  # the attribute: ' aria-current="page"' or ""


def section_nav(questionnaire: Questionnaire, *, current: int) -> SafeString:
    """The list of the assessment's sections, with their progress, ``current`` marked."""
    assessment = questionnaire.assessment
    sections = questionnaire.sections

    def render() -> str:
        entries = [
            NavEntry(
                number=section.number,
                name=str(section.element.name),
                total=len(section.questions),
                answered=slot(f"answered-{section.number}"),
                current=slot(f"current-{section.number}"),
            )
            for section in sections
        ]
        return render_to_string(NAV_TEMPLATE, {"assessment": assessment, "sections": entries})

    values: dict[str, str] = {}
    for section, answered in zip(sections, questionnaire.answered_counts(), strict=True):
        values[f"answered-{section.number}"] = str(answered)
        values[f"current-{section.number}"] = (
            ' aria-current="page"' if section.number == current else ""
        )
    # Kept with the rubric, like the cards: a live rubric's lives one request.
    navigations = memo_cache(questionnaire.rubric.memo, "section-nav", size=1024)
    return navigations.get((get_language(), assessment.pk), render).fill(values)
