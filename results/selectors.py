"""Results of an assessment: scores per element, the level reached, next-level guidance.

Reads the rows, hands plain data to ``results.scoring`` and puts the
numbers next to the rubric texts the results page, charts and PDFs show. Also
a team's progress across cycles, and the cycle overview CX managers see.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from assessments.models import Answer, Assessment
from assessments.questionnaire import AnswerValues, load_questionnaire
from organisations.models import Cycle, Membership, Team
from playbook.models import ActionStep, Element, FocusArea, Framework, Level, Question
from playbook.versions import Rubric, rubric_for_cycle, rubric_for_version
from results import scoring


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
class CycleProgress:
    """The team's median score per element key in one cycle (None: not enough answers)."""

    cycle_id: int
    cycle_name: str
    opens_on: datetime.date
    medians: dict[str, float | None]


@dataclass
class TeamProgress:
    """A team's results across the cycles it submitted assessments in, oldest first."""

    elements: list[Element]
    cycles: list[CycleProgress]

    @property
    def shows_progress(self) -> bool:
        return len(self.cycles) >= 2


@dataclass
class AssessmentResult:
    assessment: Assessment
    frameworks: list[FrameworkResult]
    reflections: list[Reflection]
    respondents: int
    # Per element key: the median across the organisation's teams in this cycle.
    organisation_medians: dict[str, float | None]
    organisation_teams: int
    progress: TeamProgress = field(default_factory=lambda: TeamProgress(elements=[], cycles=[]))
    # True when every element shows the team's median across its respondents
    # rather than one respondent's answers (the team action plan).
    is_team_result: bool = False

    @property
    def elements(self) -> list[ElementResult]:
        return [element for framework in self.frameworks for element in framework.elements]

    @property
    def has_team_result(self) -> bool:
        return self.respondents > 1


def _scored_answer(
    element_key: str, question: Question, answer: AnswerValues
) -> scoring.ScoredAnswer:
    """The answer as scoring sees it: the score of the chosen option in the cycle's rubric."""
    choice = next((c for c in question.choices.all() if c.pk == answer.choice_id), None)
    return scoring.ScoredAnswer(
        element_key=element_key,
        question_key=question.key,
        weight=question.weight,
        score=choice.score if choice else None,
    )


TeamScores = dict[int, list[dict[str, scoring.ElementScore]]]


@dataclass(frozen=True)
class SubmittedScores:
    """One submitted assessment's element scores, with where and when it was made."""

    assessment_id: int
    team_id: int
    cycle_id: int
    cycle_name: str
    opens_on: datetime.date
    scores: dict[str, scoring.ElementScore]


def submitted_scores(assessments: QuerySet[Assessment], rubric: Rubric) -> list[SubmittedScores]:
    """Element scores of the submitted ones among ``assessments``, oldest cycle first.

    Each assessment is scored against its own cycle's pinned rubric (its
    questions, weights and choice scores as they were when the cycle opened);
    assessments of cycles without a pinned rubric use ``rubric``. Elements are
    matched across cycles by their key. Two queries whatever the number of
    assessments (plus one per pinned rubric this process has not read yet).
    """
    submitted = assessments.filter(status=Assessment.Status.SUBMITTED)
    rows = list(
        submitted.order_by("cycle__opens_on", "cycle_id", "pk").values_list(
            "pk",
            "team_id",
            "cycle_id",
            "cycle__name",
            "cycle__opens_on",
            "cycle__rubric_version_id",
        )
    )
    rubric_of = {row[0]: rubric_for_version(row[5]) if row[5] else rubric for row in rows}
    answers = Answer.objects.filter(
        assessment__in=submitted.values("pk"), choice__isnull=False
    ).values_list("assessment_id", "question_id", "choice_id")
    by_assessment: dict[int, list[scoring.ScoredAnswer]] = defaultdict(list)
    for assessment_id, question_id, choice_id in answers:
        assessment_rubric = rubric_of.get(assessment_id)
        if assessment_rubric is None:
            continue
        question = assessment_rubric.questions.get(question_id)
        choice = assessment_rubric.choices.get(choice_id)
        if question is None or choice is None or not question.is_scored:
            continue  # no longer (or never) asked in this cycle
        by_assessment[assessment_id].append(
            scoring.ScoredAnswer(
                element_key=question.element.key,
                question_key=question.key,
                weight=question.weight,
                score=choice.score,
            )
        )
    return [
        SubmittedScores(
            assessment_id=assessment_id,
            team_id=team_id,
            cycle_id=cycle_id,
            cycle_name=cycle_name,
            opens_on=opens_on,
            scores=scoring.score_assessment(
                by_assessment.get(assessment_id, []),
                rubric_of[assessment_id].scored_question_counts,
            ),
        )
        for assessment_id, team_id, cycle_id, cycle_name, opens_on, _version in rows
    ]


def _by_team(submitted: list[SubmittedScores]) -> TeamScores:
    by_team: TeamScores = defaultdict(list)
    for assessment in submitted:
        by_team[assessment.team_id].append(assessment.scores)
    return dict(by_team)


def cycle_scores(cycle_id: int, rubric: Rubric) -> TeamScores:
    """Team id -> element scores of each of its submitted assessments in the cycle.

    Two queries whatever the number of teams: the submitted assessments, and
    their scored answers.
    """
    return _by_team(submitted_scores(Assessment.objects.filter(cycle_id=cycle_id), rubric))


def _team_results(
    assessments: list[dict[str, scoring.ElementScore]], element_keys: list[str]
) -> dict[str, scoring.TeamElementResult]:
    return {
        element_key: scoring.combine_team(
            [scores[element_key] for scores in assessments], element_key=element_key
        )
        for element_key in element_keys
    }


def team_progress(submitted: list[SubmittedScores], *, elements: list[Element]) -> TeamProgress:
    """One team's median score per element in each cycle of ``submitted``, in its order.

    ``submitted`` holds that team's assessments, as ``submitted_scores`` returns
    them (oldest cycle first). No queries.
    """
    by_cycle: dict[int, list[SubmittedScores]] = defaultdict(list)
    for assessment in submitted:
        by_cycle[assessment.cycle_id].append(assessment)
    element_keys = [element.key for element in elements]
    cycles = []
    for assessments in by_cycle.values():
        team = _team_results([assessment.scores for assessment in assessments], element_keys)
        cycles.append(
            CycleProgress(
                cycle_id=assessments[0].cycle_id,
                cycle_name=assessments[0].cycle_name,
                opens_on=assessments[0].opens_on,
                medians={key: result.median_score for key, result in team.items()},
            )
        )
    return TeamProgress(elements=elements, cycles=cycles)


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


def _mark_growth_opportunities(frameworks: Iterable[FrameworkResult]) -> None:
    """In frameworks that name one, the lowest-scoring element is the growth opportunity."""
    for framework_result in frameworks:
        if framework_result.framework.names_growth_opportunity:
            lowest = scoring.growth_opportunity(
                {item.element.key: item.score.score for item in framework_result.elements},
                [item.element.key for item in framework_result.elements],
            )
            for item in framework_result.elements:
                item.is_growth_opportunity = item.element.key == lowest


def assessment_result(assessment: Assessment) -> AssessmentResult:
    """Everything the results page shows, in a fixed number of queries (nine)."""
    questionnaire = load_questionnaire(assessment)
    counts = questionnaire.rubric.scored_question_counts
    answers = [
        _scored_answer(section.element.key, question, questionnaire.answers[question.pk])
        for section in questionnaire.sections
        for question in section.questions
        if question.is_scored and question.pk in questionnaire.answers
    ]
    element_scores = scoring.score_assessment(answers, counts)
    # The whole cycle (for the team and organisation results) and this team's
    # earlier cycles (for its progress) in one go: two queries. Cycles opening
    # later are left out: an older cycle's results do not show the future.
    submitted = submitted_scores(
        Assessment.objects.filter(
            Q(cycle_id=assessment.cycle_id)
            | Q(team_id=assessment.team_id, cycle__opens_on__lte=assessment.cycle.opens_on)
        ),
        questionnaire.rubric,
    )
    all_team_scores = _by_team([row for row in submitted if row.cycle_id == assessment.cycle_id])
    team_scores = all_team_scores.get(assessment.team_id, [])
    levels = questionnaire.rubric.levels()

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

    _mark_growth_opportunities(frameworks.values())

    return AssessmentResult(
        assessment=assessment,
        frameworks=list(frameworks.values()),
        reflections=reflections,
        respondents=len(team_scores),
        organisation_medians=organisation_medians(all_team_scores, list(counts)),
        organisation_teams=len(all_team_scores),
        progress=team_progress(
            [row for row in submitted if row.team_id == assessment.team_id],
            elements=[section.element for section in questionnaire.sections],
        ),
    )


def team_result(team: Team, cycle: Cycle) -> AssessmentResult:
    """A team's combined result for a cycle: per element, the median of its respondents.

    Built on the latest submitted assessment's result (for the rubric and the
    organisation and progress figures); each element then takes the team's
    median score and the level that median reaches, the growth opportunity is
    the lowest median, and the reflections of every respondent are gathered.
    Raises Assessment.DoesNotExist when nobody in the team has submitted.
    """
    submitted = Assessment.objects.submitted().filter(team=team, cycle=cycle)
    latest = submitted.select_related("team__organisation", "cycle", "respondent").latest(
        "submitted_at", "pk"
    )
    result = assessment_result(latest)
    rubric = rubric_for_cycle(cycle)
    levels = rubric.levels()
    for element_result in result.elements:
        combined = element_result.team or scoring.combine_team(
            [element_result.score], element_key=element_result.element.key
        )
        element_result.score = scoring.ElementScore(
            element_key=element_result.element.key,
            score=combined.median_score,
            level=combined.median_level,
            answered=element_result.score.answered,
            question_count=element_result.score.question_count,
            enough=combined.median_score is not None,
        )
        element_result.level = (
            levels.get((element_result.element.pk, combined.median_level))
            if combined.median_level
            else None
        )
    _mark_growth_opportunities(result.frameworks)
    questions = rubric.questions
    position = {question_id: index for index, question_id in enumerate(questions)}
    texts = Answer.objects.filter(assessment__in=submitted).exclude(text="")
    result.reflections = [
        Reflection(question=questions[question_id], text=text)
        for question_id, text in sorted(
            texts.order_by("assessment__submitted_at").values_list("question_id", "text"),
            key=lambda row: position.get(row[0], len(position)),
        )
        if question_id in questions and not questions[question_id].is_scored
    ]
    result.is_team_result = True
    return result


@dataclass
class TeamCycleResult:
    """One team in a cycle: how far its leads got, and its result per element."""

    team: Team
    not_started: int
    in_progress: int
    submitted: int
    # In the order of CycleOverview.elements.
    elements: list[scoring.TeamElementResult]


@dataclass
class ElementLevelCounts:
    """For one element, how many assessed teams sit at each level.

    ``level_counts[0]`` counts the teams at level 1, ``level_counts[4]`` those at
    level 5; ``not_enough`` the teams that submitted without enough answers.
    """

    element: Element
    level_counts: tuple[int, ...]
    not_enough: int


@dataclass
class CycleOverview:
    cycle: Cycle
    elements: list[Element]
    teams: list[TeamCycleResult]
    distribution: list[ElementLevelCounts]

    @property
    def assessed_teams(self) -> int:
        """Teams with at least one submitted assessment: those the distribution counts."""
        return sum(team.submitted > 0 for team in self.teams)


def cycle_overview(cycle: Cycle) -> CycleOverview:
    """A cycle across its organisation's teams, for CX managers.

    Eight queries whatever the number of teams: the elements with their
    questions and choices (three), the teams, their leads, the cycle's
    assessments, and the submitted scores (two). A team not started counts
    its leads without an assessment; teams that submitted nothing are left
    out of the level distribution.
    """
    rubric = rubric_for_cycle(cycle)
    elements = [element for element in rubric.elements if element.questions.all()]
    counts = rubric.scored_question_counts
    teams = list(Team.objects.filter(organisation_id=cycle.organisation_id).order_by("name", "pk"))
    leads: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in Membership.objects.filter(
        organisation_id=cycle.organisation_id, role=Membership.Role.LEAD
    ).values_list("team_id", "user_id"):
        leads[team_id].add(user_id)
    respondents: dict[int, set[int]] = defaultdict(set)
    statuses: dict[int, list[str]] = defaultdict(list)
    for team_id, respondent_id, status in Assessment.objects.filter(cycle=cycle).values_list(
        "team_id", "respondent_id", "status"
    ):
        respondents[team_id].add(respondent_id)
        statuses[team_id].append(status)
    team_scores = cycle_scores(cycle.pk, rubric)

    team_results = []
    for team in teams:
        results = _team_results(team_scores.get(team.pk, []), list(counts))
        team_results.append(
            TeamCycleResult(
                team=team,
                not_started=len(leads[team.pk] - respondents[team.pk]),
                in_progress=statuses[team.pk].count(Assessment.Status.DRAFT),
                submitted=statuses[team.pk].count(Assessment.Status.SUBMITTED),
                elements=[results[element.key] for element in elements],
            )
        )

    distribution = []
    for index, element in enumerate(elements):
        level_counts = [0] * scoring.HIGHEST_LEVEL
        not_enough = 0
        for team_result in team_results:
            if not team_result.submitted:
                continue
            level = team_result.elements[index].median_level
            if level is None:
                not_enough += 1
            else:
                level_counts[level - scoring.LOWEST_LEVEL] += 1
        distribution.append(
            ElementLevelCounts(
                element=element, level_counts=tuple(level_counts), not_enough=not_enough
            )
        )
    return CycleOverview(
        cycle=cycle, elements=elements, teams=team_results, distribution=distribution
    )
