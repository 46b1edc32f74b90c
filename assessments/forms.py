"""The questionnaire form: one section (element) of an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.models import NOTE_MAX_LENGTH
from assessments.questionnaire import AnswerValues
from playbook.models import Choice, Element, Question

ANSWER_PREFIX = "answer-"
NOTE_PREFIX = "note-"
# A posted ``clear-<question key>`` removes that question's chosen option: an
# unticked radio is simply not posted, so leaving one empty cannot mean "clear".
CLEAR_PREFIX = "clear-"
FIELD_PREFIXES = (ANSWER_PREFIX, NOTE_PREFIX, CLEAR_PREFIX)


class NoteField(forms.CharField):
    """A note, its line breaks stored as ``\n``.

    Browsers post a textarea's line breaks as CRLF; counted as two characters
    each, a note the page's counter shows within the limit would be refused.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return str(text).replace("\r\n", "\n")


@dataclass(frozen=True)
class QuestionCard:
    """One question of a section page: its answer and note fields, bound to the form."""

    question: Question
    number: int
    answer: forms.BoundField
    note: forms.BoundField


@dataclass(frozen=True)
class SectionAnswer:
    question: Question
    choice: Choice | None
    text: str
    note: str

    @property
    def is_empty(self) -> bool:
        return self.choice is None and not self.text and not self.note


class SectionForm(forms.Form):
    """Answers and notes for the questions of one element.

    Nothing is required here: a section is saved as a draft, and required
    questions are enforced at submission. A choice must belong to its own
    question; field names that match no question of this section are refused,
    so a stale or forged page cannot write to another question.
    """

    def __init__(
        self,
        data: Any = None,
        *,
        element: Element,
        questions: list[Question],
        choices: dict[int, list[Choice]],
        answers: dict[int, AnswerValues],
        locked: bool = False,
    ) -> None:
        """``choices``: each question's options by question id (``Rubric.choices_by_question``).

        ``locked``: the assessment takes no more answers; every field is shown disabled.
        """
        self.element = element
        self.questions = questions
        self.choices = choices
        self.existing_answers = answers
        initial: dict[str, Any] = {}
        for question in questions:
            answer = answers.get(question.pk)
            if answer is not None:
                initial[ANSWER_PREFIX + question.key] = (
                    answer.text if not question.is_scored else self._choice_key(question.pk, answer)
                )
                initial[NOTE_PREFIX + question.key] = answer.note
        super().__init__(data, initial=initial)
        self.fields.update(self._build_fields())
        for field in self.fields.values():
            field.disabled = locked

    def _build_fields(self) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for question in self.questions:
            if question.is_scored:
                field: forms.Field = forms.ChoiceField(
                    choices=[(choice.key, choice.label) for choice in self.choices[question.pk]],
                    widget=forms.RadioSelect,
                    required=False,
                    label=question.prompt,
                    error_messages={
                        "invalid_choice": _(
                            "That option does not belong to this question. "
                            "Pick one of the options shown."
                        )
                    },
                )
            else:
                field = forms.CharField(
                    required=False,
                    label=question.prompt,
                    max_length=10_000,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                )
            fields[ANSWER_PREFIX + question.key] = field
            fields[NOTE_PREFIX + question.key] = NoteField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                label=_("Note (evidence or context)"),
                strip=True,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        return fields

    def _stored_choice(self, question_id: int, answer: AnswerValues) -> Choice | None:
        """The stored answer's option, as the cycle's rubric has it."""
        return next(
            (choice for choice in self.choices[question_id] if choice.pk == answer.choice_id),
            None,
        )

    def _choice_key(self, question_id: int, answer: AnswerValues) -> str | None:
        """The key of the chosen option, as the cycle's rubric names it."""
        choice = self._stored_choice(question_id, answer)
        return choice.key if choice is not None else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data:
            clearable = {CLEAR_PREFIX + question.key for question in self.questions}
            unknown = [
                name
                for name in self.data
                if name.startswith(FIELD_PREFIXES)
                and name not in self.fields
                and name not in clearable
            ]
            if unknown:
                raise ValidationError(
                    _(
                        "This page contained answers to questions that are not part of "
                        "this section. Nothing was saved; please reload the page."
                    ),
                    code="unknown_question",
                )
        return cleaned

    def cards(self) -> list[QuestionCard]:
        """The section's questions in order, each with its bound answer and note fields."""
        return [
            QuestionCard(
                question=question,
                number=number,
                answer=self[ANSWER_PREFIX + question.key],
                note=self[NOTE_PREFIX + question.key],
            )
            for number, question in enumerate(self.questions, 1)
        ]

    def cleared(self, question: Question) -> bool:
        """Whether the lead asked to clear this question's answer."""
        return question.is_scored and bool(self.data.get(CLEAR_PREFIX + question.key))

    @property
    def cleared_questions(self) -> list[Question]:
        return [question for question in self.questions if self.cleared(question)]

    def section_answers(self) -> list[SectionAnswer]:
        """The answers to store, and the emptied ones to remove (not the never-answered).

        Only what was posted changes: a question whose answer and note fields
        are both missing (an unticked radio, a page that posted nothing) keeps
        its stored answer; a choice is removed by ``clear-<key>`` alone.
        """
        result = []
        for question in self.questions:
            answer_name = ANSWER_PREFIX + question.key
            note_name = NOTE_PREFIX + question.key
            cleared = self.cleared(question)
            if not (cleared or answer_name in self.data or note_name in self.data):
                continue
            stored = self.existing_answers.get(question.pk)
            choice = None
            text = ""
            if answer_name in self.data or cleared:
                value = "" if cleared else self.cleaned_data.get(answer_name) or ""
                if question.is_scored:
                    choice = next(
                        (option for option in self.choices[question.pk] if option.key == value),
                        None,
                    )
                else:
                    text = value
            elif stored is not None:
                choice = self._stored_choice(question.pk, stored)
                text = stored.text
            if note_name in self.data:
                note = self.cleaned_data.get(note_name) or ""
            else:
                note = stored.note if stored is not None else ""
            answer = SectionAnswer(question=question, choice=choice, text=text, note=note)
            if not answer.is_empty or stored is not None:
                result.append(answer)
        return result
