"""The questionnaire form: one section (element) of an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.models import NOTE_MAX_LENGTH, Answer
from playbook.models import Choice, Element, Question

ANSWER_PREFIX = "answer-"
NOTE_PREFIX = "note-"


@dataclass(frozen=True)
class SectionAnswer:
    question: Question
    choice: Choice | None
    text: str
    note: str

    @property
    def is_empty(self) -> bool:
        return self.choice is None and not self.text and not self.note


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    field: forms.BoundField
    note: forms.BoundField
    options: list[Option]


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
        answers: dict[int, Answer],
    ) -> None:
        self.element = element
        self.questions = questions
        self.existing_answers = answers
        initial: dict[str, Any] = {}
        for question in questions:
            answer = answers.get(question.pk)
            if answer is not None:
                initial[ANSWER_PREFIX + question.key] = (
                    answer.text if not question.is_scored else self._choice_key(question, answer)
                )
                initial[NOTE_PREFIX + question.key] = answer.note
        super().__init__(data, initial=initial)
        for question in questions:
            if question.is_scored:
                field: forms.Field = forms.ChoiceField(
                    choices=[(choice.key, choice.label) for choice in question.choices.all()],
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
                    required=False, label=question.prompt, max_length=10_000, strip=True
                )
            self.fields[ANSWER_PREFIX + question.key] = field
            self.fields[NOTE_PREFIX + question.key] = forms.CharField(
                required=False,
                max_length=NOTE_MAX_LENGTH,
                label=_("Note (evidence or context)"),
                strip=True,
            )

    @staticmethod
    def _choice_key(question: Question, answer: Answer) -> str | None:
        """The key of the chosen option, as the cycle's rubric names it."""
        return next(
            (choice.key for choice in question.choices.all() if choice.pk == answer.choice_id),
            None,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data:
            unknown = [
                name
                for name in self.data
                if name.startswith((ANSWER_PREFIX, NOTE_PREFIX)) and name not in self.fields
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

    def rows(self) -> list[QuestionRow]:
        """What the template shows per question, worked out here rather than in the loop.

        The page is the app's busiest: resolving a dozen template variables per
        radio button cost more than everything else on it.
        """
        rows = []
        for question in self.questions:
            field = self[ANSWER_PREFIX + question.key]
            current = field.value()
            rows.append(
                QuestionRow(
                    question=question,
                    field=field,
                    note=self[NOTE_PREFIX + question.key],
                    options=[
                        Option(
                            id=f"{field.auto_id}-{choice.key}",
                            value=choice.key,
                            label=str(choice.label),
                            checked=current == choice.key,
                        )
                        for choice in question.choices.all()
                    ],
                )
            )
        return rows

    def section_answers(self) -> list[SectionAnswer]:
        """The answers to store, and the emptied ones to remove (not the never-answered)."""
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(ANSWER_PREFIX + question.key) or ""
            choice = None
            text = ""
            if question.is_scored:
                choice = next(
                    (option for option in question.choices.all() if option.key == value), None
                )
            else:
                text = value
            answer = SectionAnswer(
                question=question,
                choice=choice,
                text=text,
                note=self.cleaned_data.get(NOTE_PREFIX + question.key) or "",
            )
            if not answer.is_empty or question.pk in self.existing_answers:
                result.append(answer)
        return result
