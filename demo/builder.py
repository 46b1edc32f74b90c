"""Build the demo organisation: what a first sign-in on a fresh clone shows.

Northwind Services has three teams, a closed cycle (2026 H1) and the open one
(2026 H2). Several leads per team answered each cycle, disagreeing now and
then; some assessments of the open cycle are still drafts; each team has
action items in every status, some carried over from 2026 H1.

The rows are written through the apps' services (start, save a section,
submit, open and close a cycle, commit and carry over action items), so they
are what the product itself would have written. Plain ORM only back-dates
the closed cycle's assessments, answers and items. A fixed seed picks the
few answers that stray from a respondent's level, so every load is the same.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from action_items.models import ActionItem
from action_items.services import action_item_carry_over, action_item_create
from assessments.forms import SectionAnswer
from assessments.models import Answer, Assessment
from assessments.questionnaire import Section, load_questionnaire
from assessments.services import assessment_save_section, assessment_start, assessment_submit
from organisations.models import Cycle, Membership, Organisation, Team
from organisations.services import cycle_close, cycle_open
from playbook.models import ActionStep, Choice, Question
from playbook.versions import rubric_version_for

DEMO_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
DEMO_USERNAMES = ("admin", "manager", "lead", "lead2")
DEMO_PASSWORD = "cx-demo-2026"
ORGANISATION_SLUG = "northwind"
OPEN_CYCLE_SLUG = "2026-h2"
SEED = 13


@dataclass(frozen=True)
class DemoLead:
    username: str
    first_name: str
    last_name: str
    team_slug: str


# The fixture's two leads lead Customer support and Logistics; these join them.
MORE_LEADS = (
    DemoLead("lead3", "Sam", "Wu", "customer-support"),
    DemoLead("lead4", "Ana", "Li", "customer-support"),
    DemoLead("lead5", "Kai", "Chen", "logistics"),
    DemoLead("lead6", "Mia", "Wang", "logistics"),
    DemoLead("lead7", "Ravi", "Tan", "product"),
    DemoLead("lead8", "Yu", "Zhang", "product"),
)

ELEMENT_KEYS = (
    "cx-strategy",
    "conscience",
    "communication",
    "consistency",
    "credibility",
    "touchpoints",
    "pathways",
    "delivery",
    "ecosystem",
    "empathy",
)

# Each team's level per element (in ELEMENT_KEYS order): in 2026 H1, then in
# 2026 H2. Most rise, a few fall, so the change since the previous cycle
# shows both.
TEAM_LEVELS = {
    "customer-support": ((2, 3, 2, 2, 3, 3, 2, 2, 1, 3), (3, 3, 3, 2, 4, 2, 3, 2, 2, 4)),
    "logistics": ((3, 2, 2, 3, 2, 2, 3, 3, 2, 2), (2, 3, 2, 4, 2, 3, 3, 2, 3, 2)),
    "product": ((2, 2, 3, 1, 2, 2, 2, 1, 2, 3), (3, 2, 3, 2, 3, 1, 3, 2, 2, 3)),
}


@dataclass(frozen=True)
class DemoAssessment:
    username: str
    team_slug: str
    submitted: bool
    # Levels away from the team's, per element key: where this respondent disagrees.
    apart: tuple[tuple[str, int], ...] = ()


PREVIOUS_ASSESSMENTS = (
    DemoAssessment("lead", "customer-support", True),
    DemoAssessment("lead3", "customer-support", True, (("touchpoints", 2),)),
    DemoAssessment("lead2", "logistics", True),
    DemoAssessment("lead5", "logistics", True),
    DemoAssessment("lead7", "product", True),
)
CURRENT_ASSESSMENTS = (
    DemoAssessment("lead3", "customer-support", True),
    DemoAssessment("lead4", "customer-support", True, (("empathy", -2), ("delivery", 2))),
    DemoAssessment("lead", "customer-support", False),
    DemoAssessment("lead2", "logistics", True),
    DemoAssessment("lead5", "logistics", True, (("consistency", -2),)),
    DemoAssessment("lead6", "logistics", True),
    DemoAssessment("lead7", "product", True),
    DemoAssessment("lead8", "product", False),
)
DRAFT_SECTIONS = 4

REFLECTIONS = (
    "We read every complaint in the Monday meeting and pick one thing to fix.",
    "Customers tell us the handover between teams is where things go wrong.",
    "每周我们会一起回顾客户反馈，并决定下一步改进。",
    "We measure speed well, but not yet whether customers feel understood.",
)

Plan = dict[str, tuple[tuple[str, ActionItem.Status], ...]]

# Each team's action items: element, status. The step is the first of the
# level above the team's level for that element in that cycle.
PREVIOUS_ITEMS: Plan = {
    "customer-support": (
        ("ecosystem", ActionItem.Status.DONE),
        ("cx-strategy", ActionItem.Status.DOING),
        ("pathways", ActionItem.Status.TODO),
    ),
    "logistics": (
        ("communication", ActionItem.Status.DONE),
        ("touchpoints", ActionItem.Status.DOING),
    ),
    "product": (
        ("consistency", ActionItem.Status.DONE),
        ("delivery", ActionItem.Status.TODO),
    ),
}
CURRENT_ITEMS: Plan = {
    "customer-support": (
        ("delivery", ActionItem.Status.TODO),
        ("consistency", ActionItem.Status.DOING),
        ("communication", ActionItem.Status.DONE),
    ),
    "logistics": (
        ("credibility", ActionItem.Status.TODO),
        ("empathy", ActionItem.Status.DOING),
        ("ecosystem", ActionItem.Status.DONE),
    ),
    "product": (
        ("touchpoints", ActionItem.Status.TODO),
        ("conscience", ActionItem.Status.DONE),
        ("empathy", ActionItem.Status.DOING),
    ),
}
PREVIOUS_SUBMITTED_ON = datetime.datetime(2026, 6, 12, 9, 30, tzinfo=datetime.UTC)


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=ORGANISATION_SLUG).exists()


def demo_build(*, bare: bool = False, verbosity: int = 1) -> list[str]:
    """Load the demo in one transaction; return the usernames of its logins."""
    with transaction.atomic():
        call_command("loaddata", str(DEMO_FIXTURE), verbosity=verbosity)
        current = Cycle.objects.get(organisation__slug=ORGANISATION_SLUG, slug=OPEN_CYCLE_SLUG)
        # Like every cycle opened in the app, the demo cycle reads a pinned rubric.
        current.rubric_version = rubric_version_for(current.frameworks.all())
        current.save(update_fields=["rubric_version"])
        if bare:
            return list(DEMO_USERNAMES)
        _add_leads(current.organisation)
        previous = _previous_cycle(current)
        rng = random.Random(SEED)
        _assess(previous, PREVIOUS_ASSESSMENTS, level_index=0, rng=rng)
        _commit_items(previous, PREVIOUS_ITEMS, level_index=0)
        _back_date(previous)
        cycle_close(cycle=previous, user=_user("manager"))
        for team in current.organisation.teams.order_by("pk"):
            action_item_carry_over(team=team, cycle=current, user=_team_lead(team))
        _assess(current, CURRENT_ASSESSMENTS, level_index=1, rng=rng)
        _commit_items(current, CURRENT_ITEMS, level_index=1)
    return [*DEMO_USERNAMES, *(lead.username for lead in MORE_LEADS)]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _team_lead(team: Team) -> User:
    """The team's first lead (the fixture's, for the two teams that have one)."""
    return User.objects.filter(memberships__team=team).order_by("pk").first() or _user("manager")


def _add_leads(organisation: Organisation) -> None:
    # The fixture's users share one password hash; copying it saves hashing six times.
    password = _user("lead").password
    for lead in MORE_LEADS:
        user = User.objects.create(
            username=lead.username,
            password=password,
            first_name=lead.first_name,
            last_name=lead.last_name,
            email=f"{lead.username}@demo.example",
        )
        Membership.objects.create(
            user=user,
            organisation=organisation,
            team=organisation.teams.get(slug=lead.team_slug),
            role=Membership.Role.LEAD,
        )


def _previous_cycle(current: Cycle) -> Cycle:
    """2026 H1, opened through the service (which pins the rubric); closed once answered."""
    return cycle_open(
        organisation=current.organisation,
        name="2026 H1",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 6, 30),
        frameworks=current.frameworks.all(),
        user=_user("manager"),
    )


def _assess(
    cycle: Cycle,
    assessments: tuple[DemoAssessment, ...],
    *,
    level_index: int,
    rng: random.Random,
) -> None:
    for demo in assessments:
        team = cycle.organisation.teams.get(slug=demo.team_slug)
        assessment = assessment_start(team=team, cycle=cycle, respondent=_user(demo.username))
        levels = dict(zip(ELEMENT_KEYS, TEAM_LEVELS[demo.team_slug][level_index], strict=True))
        for element_key, apart in demo.apart:
            levels[element_key] += apart
        sections = load_questionnaire(assessment).sections
        if not demo.submitted:
            sections = sections[:DRAFT_SECTIONS]
        for section in sections:
            level = min(max(levels.get(section.element.key, 3), 1), 5)
            assessment_save_section(
                assessment=assessment,
                section_answers=_section_answers(section, level=level, rng=rng),
            )
        if demo.submitted:
            assessment_submit(assessment=assessment)


def _section_answers(section: Section, *, level: int, rng: random.Random) -> list[SectionAnswer]:
    answers = []
    for question in section.questions:
        if question.is_scored:
            # Now and then one answer a level above, as real answers stray.
            wanted = min(level + 1, 5) if rng.random() < 0.15 else level
            answers.append(
                SectionAnswer(question=question, choice=_choice(question, wanted), text="", note="")
            )
        else:
            answers.append(
                SectionAnswer(question=question, choice=None, text=rng.choice(REFLECTIONS), note="")
            )
    return answers


def _choice(question: Question, level: int) -> Choice | None:
    """The choice scored nearest ``level`` (never "not sure")."""
    scored = [choice for choice in question.choices.all() if choice.score is not None]
    if not scored:
        return None
    return min(scored, key=lambda choice: (abs((choice.score or 0) - level), choice.order))


def _commit_items(
    cycle: Cycle,
    plans: Plan,
    *,
    level_index: int,
) -> None:
    # Due around the cycle's end; open items carried over from 2026 H1 show as overdue.
    due_date = cycle.closes_on - datetime.timedelta(days=14)
    for team_slug, items in plans.items():
        team = cycle.organisation.teams.get(slug=team_slug)
        lead = _team_lead(team)
        levels = dict(zip(ELEMENT_KEYS, TEAM_LEVELS[team_slug][level_index], strict=True))
        # Items keep their step's title in both languages: each reader sees their own.
        for number, (element_key, status) in enumerate(items):
            step = (
                ActionStep.objects.filter(
                    level__element__key=element_key,
                    level__number=min(levels[element_key] + 1, 5),
                )
                .select_related("level__element")
                .order_by("order", "pk")
                .first()
            )
            if step is None:
                continue
            action_item_create(
                team=team,
                cycle=cycle,
                action_step=step,
                # Every other item is owned by someone without a login.
                owner=lead if number % 2 == 0 else None,
                owner_name="" if number % 2 == 0 else "Priya Das",
                due_date=due_date + datetime.timedelta(days=14 * number),
                notes="",
                user=lead,
                status=status,
            )


def _back_date(cycle: Cycle) -> None:
    """The closed cycle was answered in June 2026, not today."""
    submitted_on = PREVIOUS_SUBMITTED_ON
    for number, assessment in enumerate(cycle.assessments.order_by("pk")):
        moment = submitted_on + datetime.timedelta(days=number, hours=number)
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=moment - datetime.timedelta(days=7), updated_at=moment, submitted_at=moment
        )
        Answer.objects.filter(assessment=assessment).update(updated_at=moment)
    ActionItem.objects.filter(cycle=cycle).update(
        created_at=submitted_on + datetime.timedelta(days=7),
        updated_at=min(timezone.now(), datetime.datetime(2026, 6, 30, 17, tzinfo=datetime.UTC)),
    )
