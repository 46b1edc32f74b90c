"""Results of an assessment: scores per element, the level reached, next-level guidance.

Reads the rows, hands plain data to ``assessments.scoring`` and puts the
numbers next to the rubric texts the results page, charts and PDFs show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from assessments import scoring
from assessments.models import Answer, Assessment
from assessments.questionnaire import Questionnaire, load_questionnaire
from playbook.models import ActionStep, Element, FocusArea, Framework, Level, Question
from playbook.queries import levels_with_guidance


@dataclass
class ElementResult:
    element: Element
    score: scoring.ElementScore
    level: Level | None
    team: scoring.TeamElementResult | None = None
    is_growth_opportunity: bool = False

    @property
    def focus_areas(self) -> list[FocusArea]:
        return list(self.level.focus_areas.all()) if self.level else []

    @property
    def action_steps(self) -> list[ActionStep]:
        return list(self.level.action_steps.all()) if self.level else []


@dataclass
class FrameworkResult:
    framework: Framework
    elements: list[ElementResult]

    @property
    def growth_opportunity(self) -> ElementResult | None:
        return next((result for result in self.elements if result.is_growth_opportunity), None)


@dataclass
class Reflection:
    question: Question
    text: str


@dataclass
class AssessmentResult:
    assessment: Assessment
    frameworks: list[FrameworkResult]
    reflections: list[Reflection]
    respondents: int
    # Per element key: the median across the organisation's teams in this cycle.
    organisation_medians: dict[str, float | None]
    organisation_teams: int

    @property
    def elements(self) -> list[ElementResult]:
        return [element for framework in self.frameworks for element in framework.elements]

    @property
    def has_team_result(self) -> bool:
        return self.respondents > 1


def _scored_answer(element_key: str, question: Question, answer: Answer) -> scoring.ScoredAnswer:
    return scoring.ScoredAnswer(
        element_key=element_key,
        question_key=question.key,
        weight=question.weight,
        score=answer.choice.score if answer.choice else None,
    )


def question_counts(questionnaire: Questionnaire) -> dict[str, int]:
    return {
        section.element.key: sum(question.is_scored for question in section.questions)
        for section in questionnaire.sections
    }


TeamScores = dict[int, list[dict[str, scoring.ElementScore]]]


def cycle_scores(cycle_id: int, counts: dict[str, int]) -> TeamScores:
    """Team id -> element scores of each of its submitted assessments in the cycle.

    Two queries whatever the number of teams: the submitted assessments, and
    their scored answers.
    """
    submitted = list(
        Assessment.objects.filter(cycle_id=cycle_id, status=Assessment.Status.SUBMITTED)
        .order_by("pk")
        .values_list("pk", "team_id")
    )
    rows = (
        Answer.objects.filter(
            assessment__cycle_id=cycle_id,
            assessment__status=Assessment.Status.SUBMITTED,
            question__active=True,
            choice__isnull=False,
        )
        .exclude(question__kind=Question.Kind.TEXT)
        .values_list(
            "assessment_id",
            "question__element__key",
            "question__key",
            "question__weight",
            "choice__score",
        )
    )
    by_assessment: dict[int, list[scoring.ScoredAnswer]] = defaultdict(list)
    for assessment_id, element_key, question_key, weight, score in rows:
        by_assessment[assessment_id].append(
            scoring.ScoredAnswer(
                element_key=element_key, question_key=question_key, weight=weight, score=score
            )
        )
    by_team: TeamScores = defaultdict(list)
    for assessment_id, team_id in submitted:
        by_team[team_id].append(
            scoring.score_assessment(by_assessment.get(assessment_id, []), counts)
        )
    return dict(by_team)


def organisation_medians(
    team_scores: TeamScores, element_keys: list[str]
) -> dict[str, float | None]:
    """Per element, the median across teams of each team's median score (one vote per team)."""
    return {
        element_key: scoring.median_across(
            scoring.combine_team(
                [scores[element_key] for scores in assessments], element_key=element_key
            ).median_score
            for assessments in team_scores.values()
        )
        for element_key in element_keys
    }


def assessment_result(assessment: Assessment) -> AssessmentResult:
    """Everything the results page shows, in a fixed number of queries (about nine)."""
    questionnaire = load_questionnaire(assessment)
    counts = question_counts(questionnaire)
    answers = [
        _scored_answer(section.element.key, question, questionnaire.answers[question.pk])
        for section in questionnaire.sections
        for question in section.questions
        if question.is_scored and question.pk in questionnaire.answers
    ]
    element_scores = scoring.score_assessment(answers, counts)
    all_team_scores = cycle_scores(assessment.cycle_id, counts)
    team_scores = all_team_scores.get(assessment.team_id, [])
    levels = levels_with_guidance(section.element.pk for section in questionnaire.sections)

    frameworks: dict[int, FrameworkResult] = {}
    reflections: list[Reflection] = []
    for section in questionnaire.sections:
        element = section.element
        score = element_scores[element.key]
        team = None
        if len(team_scores) > 1:
            team = scoring.combine_team(
                [scores[element.key] for scores in team_scores], element_key=element.key
            )
        result = ElementResult(
            element=element,
            score=score,
            level=levels.get((element.pk, score.level)) if score.level else None,
            team=team,
        )
        frameworks.setdefault(
            element.framework_id, FrameworkResult(framework=element.framework, elements=[])
        ).elements.append(result)
        for question in section.questions:
            answer = questionnaire.answers.get(question.pk)
            if not question.is_scored and answer is not None and answer.text.strip():
                reflections.append(Reflection(question=question, text=answer.text))

    for framework_result in frameworks.values():
        if framework_result.framework.names_growth_opportunity:
            lowest = scoring.growth_opportunity(
                {result.element.key: result.score.score for result in framework_result.elements},
                [result.element.key for result in framework_result.elements],
            )
            for result in framework_result.elements:
                result.is_growth_opportunity = result.element.key == lowest

    return AssessmentResult(
        assessment=assessment,
        frameworks=list(frameworks.values()),
        reflections=reflections,
        respondents=len(team_scores),
        organisation_medians=organisation_medians(all_team_scores, list(counts)),
        organisation_teams=len(all_team_scores),
    )
