"""A section page's question cards and list of sections: rendered once, then filled in.

The cards are the busiest markup of the app: per question a prompt, its help,
a radio button and label per option, a note. Everything in them but the
respondent's answers comes from the cycle's rubric, and a pinned rubric
version never changes. So the cards of an element are rendered once per
process, language and locked state, with markers where the answers go, and
kept on the rubric (``Rubric.memo``); each request only fills the markers in.
One template draws the cards either way: a form with errors is rendered
through it directly, and a live rubric keeps its memo for one request only.
The list of sections under the cards is kept the same way per assessment,
its progress and current section filled in (``section_nav``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from assessments.questionnaire import Questionnaire
from cxmaturity.fragments import Fragment, FragmentCache, slot
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
        return replace(
            self,
            text=slot(f"{self.id}:text"),
            note=slot(f"{self.id}:note"),
            open=slot(f"{self.id}:open"),
            options=[
                replace(option, checked=slot(f"{option.id}:checked")) for option in self.options
            ],
        )

    def slot_values(self) -> dict[str, str]:
        """What goes where :meth:`with_slots` put its markers, escaped as the template would."""
        values = {
            f"{self.id}:text": escape(self.text),
            f"{self.id}:note": escape(self.note),
            f"{self.id}:open": self.open,
        }
        values.update({f"{option.id}:checked": option.checked for option in self.options})
        return values


def section_cards(
    rows: list[QuestionRow], *, rubric: Rubric, element: Element, locked: bool, fill_in: bool
) -> SafeString:
    """The cards' HTML. ``fill_in``: the rows carry no errors, so the kept markup serves."""
    if not fill_in:
        return render_to_string(TEMPLATE, {"rows": rows, "locked": locked})
    key = ("section-cards", element.pk, get_language(), locked)
    fragment: Fragment | None = rubric.memo.get(key)
    if fragment is None:
        slotted = [row.with_slots() for row in rows]
        fragment = Fragment(render_to_string(TEMPLATE, {"rows": slotted, "locked": locked}))
        rubric.memo[key] = fragment
    values: dict[str, str] = {}
    for row in rows:
        values.update(row.slot_values())
    return fragment.fill(values)


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
    for section in sections:
        values[f"answered-{section.number}"] = str(section.answered_count)
        values[f"current-{section.number}"] = (
            ' aria-current="page"' if section.number == current else ""
        )
    # Kept with the rubric, like the cards: a live rubric's lives one request.
    navigations = questionnaire.rubric.memo.setdefault("section-nav", FragmentCache(size=1024))
    return navigations.get((get_language(), assessment.pk), render).fill(values)
