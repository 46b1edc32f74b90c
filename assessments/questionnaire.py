"""An assessment seen as a questionnaire: sections (one per element), answers, progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from assessments.models import Answer, Assessment
from playbook.models import Element, Question
from playbook.versions import Rubric, rubric_for_cycle


class AnswerValues(NamedTuple):
    """What the questionnaire reads of a stored answer, as a plain row.

    Reading a page's answers as model instances cost the busiest page more
    than its query; the attribute names are the model's, so code reading an
    ``Answer`` reads these alike.
    """

    question_id: int
    choice_id: int | None
    text: str
    note: str


def is_answered(question: Question, answer: AnswerValues | None) -> bool:
    """A choice (including "not sure") or non-blank text; a note alone is not an answer."""
    if answer is None:
        return False
    if question.is_scored:
        return answer.choice_id is not None
    return bool(answer.text.strip())


@dataclass
class Section:
    number: int
    element: Element
    questions: list[Question]
    answers: dict[int, AnswerValues] = field(repr=False)

    @property
    def answered_count(self) -> int:
        return sum(is_answered(q, self.answers.get(q.pk)) for q in self.questions)

    @property
    def unanswered_required(self) -> list[Question]:
        return [
            question
            for question in self.questions
            if question.required and not is_answered(question, self.answers.get(question.pk))
        ]

    @property
    def is_complete(self) -> bool:
        return self.answered_count == len(self.questions)


@dataclass
class Questionnaire:
    assessment: Assessment
    sections: list[Section]
    answers: dict[int, AnswerValues]
    rubric: Rubric = field(repr=False)

    def section(self, number: int) -> Section | None:
        if 1 <= number <= len(self.sections):
            return self.sections[number - 1]
        return None

    @property
    def question_count(self) -> int:
        return sum(len(section.questions) for section in self.sections)

    @property
    def answered_count(self) -> int:
        return sum(section.answered_count for section in self.sections)

    @property
    def unanswered_required(self) -> list[tuple[Section, Question]]:
        return [
            (section, question)
            for section in self.sections
            for question in section.unanswered_required
        ]

    @property
    def resume_section(self) -> int | None:
        """The first section with an unanswered question; None when all are answered."""
        for section in self.sections:
            if not section.is_complete:
                return section.number
        return None


def load_questionnaire(assessment: Assessment, *, only_section: int | None = None) -> Questionnaire:
    """The cycle's rubric (pinned: no query once cached; live: three) and the answers (one).

    ``only_section``: keep the answers of that section alone, which is all that
    saving it needs; the other sections then count as unanswered.
    """
    rubric = rubric_for_cycle(assessment.cycle)
    questions = rubric.questions_by_element
    sections = [
        Section(number=number, element=element, questions=questions[element.pk], answers={})
        for number, element in enumerate(
            (element for element in rubric.elements if questions[element.pk]), 1
        )
    ]
    answer_rows = Answer.objects.filter(assessment=assessment)
    if only_section is not None:
        # The section's questions as the cycle's rubric has them (a pinned
        # version may differ from the live one).
        saved = sections[only_section - 1] if 1 <= only_section <= len(sections) else None
        answer_rows = answer_rows.filter(
            question_id__in=[question.pk for question in saved.questions] if saved else []
        )
    answers = {row[0]: AnswerValues(*row) for row in answer_rows.values_list(*AnswerValues._fields)}
    for section in sections:
        section.answers = answers
    return Questionnaire(assessment=assessment, sections=sections, answers=answers, rubric=rubric)
