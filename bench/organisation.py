"""Build the large organisation of the dashboard bench: 2,000 teams, two cycles, real answers.

Called by bench/prepare.py (Django set up, after migrate + rubric + demo
data). Rows are built in Python and written with bulk_create in batches, in
one transaction, in an organisation of its own. The previous cycle has every
team's assessment; in the open one 90% of the teams submitted (a tenth of
those with a second respondent two levels apart on some elements), 5% have a
draft and 5% have not started, so every part of the dashboard has real
figures: completion, levels, changes and disagreement.
"""

from __future__ import annotations

import datetime
import os
import random
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone

from assessments.models import Answer, Assessment
from bench.rows import save_in_batches
from organisations.models import Cycle, Membership, Organisation, Team
from playbook.models import Framework, Question
from playbook.versions import rubric_for_cycle, rubric_version_for

TEAMS = int(os.environ.get("BENCH_DASHBOARD_TEAMS", "2000"))
BATCH_SIZE = 5000


def _cycle(organisation: Organisation, name: str, opens_days_ago: int, *, open_: bool) -> Cycle:
    today = datetime.date.today()
    cycle = Cycle.objects.create(
        organisation=organisation,
        name=name,
        slug=name.lower().replace(" ", "-"),
        opens_on=today - datetime.timedelta(days=opens_days_ago),
        closes_on=today + datetime.timedelta(days=30 if open_ else 30 - opens_days_ago + 90),
        status=Cycle.Status.OPEN if open_ else Cycle.Status.CLOSED,
    )
    frameworks = Framework.objects.active()
    cycle.frameworks.set(frameworks)
    cycle.rubric_version = rubric_version_for(frameworks)
    cycle.save(update_fields=["rubric_version"])
    return cycle


def _answers(
    assessment: Assessment,
    questions: list[tuple[Question, list[int]]],
    levels: dict[int, int],
    rng: random.Random,
) -> list[Answer]:
    """Every question answered around the team's level for its element (1-5)."""
    rows = []
    for question, choice_ids in questions:
        if not choice_ids:
            rows.append(Answer(assessment_id=assessment.pk, question_id=question.pk, text="Bench."))
            continue
        wanted = levels[question.element_id] + rng.choice((-1, 0, 0, 0, 1))
        index = min(max(wanted - 1, 0), len(choice_ids) - 1)
        rows.append(
            Answer(
                assessment_id=assessment.pk, question_id=question.pk, choice_id=choice_ids[index]
            )
        )
    return rows


def build(teams: int = TEAMS) -> dict[str, object]:
    """The organisation, its CX manager's session and what it holds (one JSON-ready dict)."""
    started = time.perf_counter()
    rng = random.Random(2000)
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench large 大型", slug="bench-large")
        created = Team.objects.bulk_create(
            (
                Team(organisation=organisation, name=f"Team {n:04d} 团队", slug=f"team-{n:04d}")
                for n in range(1, teams + 1)
            ),
            batch_size=BATCH_SIZE,
        )
        password = make_password(None)
        leads = User.objects.bulk_create(
            (User(username=f"large-lead-{n:04d}", password=password) for n in range(teams)),
            batch_size=BATCH_SIZE,
        )
        seconds = User.objects.bulk_create(
            (User(username=f"large-second-{n:04d}", password=password) for n in range(teams // 10)),
            batch_size=BATCH_SIZE,
        )
        Membership.objects.bulk_create(
            (
                Membership(
                    user=user, organisation=organisation, team=team, role=Membership.Role.LEAD
                )
                for team, user in zip(created, leads, strict=True)
            ),
            batch_size=BATCH_SIZE,
        )
        manager = User.objects.create_user("large-manager", password=None)
        Membership.objects.create(
            user=manager, organisation=organisation, role=Membership.Role.MANAGER
        )
        previous = _cycle(organisation, "Large H1", 200, open_=False)
        current = _cycle(organisation, "Large H2", 20, open_=True)
        questions = [
            (
                question,
                [
                    choice.pk
                    for choice in sorted(question.choices.all(), key=lambda c: c.score or 0)
                    if choice.score is not None
                ],
            )
            for element in rubric_for_cycle(current).elements
            for question in element.questions.all()
        ]
        element_ids = sorted({question.element_id for question, _choices in questions})
        now = timezone.now()
        submitted = teams * 9 // 10
        drafts = teams * 19 // 20
        rows: list[tuple[Assessment, dict[int, int]]] = []
        for index, (team, lead) in enumerate(zip(created, leads, strict=True)):
            before = {element: rng.randint(1, 4) for element in element_ids}
            after = {
                element: min(max(level + rng.choice((-1, 0, 0, 1, 1)), 1), 5)
                for element, level in before.items()
            }
            previous_assessment = Assessment(
                team=team,
                cycle=previous,
                respondent=lead,
                status=Assessment.Status.SUBMITTED,
                submitted_at=now,
            )
            rows.append((previous_assessment, before))
            if index < submitted:
                rows.append(
                    (
                        Assessment(
                            team=team,
                            cycle=current,
                            respondent=lead,
                            status=Assessment.Status.SUBMITTED,
                            submitted_at=now,
                        ),
                        after,
                    )
                )
                if index % 10 == 0 and index // 10 < len(seconds):
                    # A second respondent, two levels apart on the first elements.
                    apart = {
                        element: level + 2 if level <= 3 else level - 2
                        for element, level in after.items()
                    }
                    rows.append(
                        (
                            Assessment(
                                team=team,
                                cycle=current,
                                respondent=seconds[index // 10],
                                status=Assessment.Status.SUBMITTED,
                                submitted_at=now,
                            ),
                            apart,
                        )
                    )
            elif index < drafts:
                rows.append(
                    (
                        Assessment(
                            team=team,
                            cycle=current,
                            respondent=lead,
                            status=Assessment.Status.DRAFT,
                        ),
                        {},
                    )
                )
        assessments = Assessment.objects.bulk_create(
            (assessment for assessment, _levels in rows), batch_size=BATCH_SIZE
        )
        answers = (
            answer
            for assessment, (_row, levels) in zip(assessments, rows, strict=True)
            if levels
            for answer in _answers(assessment, questions, levels, rng)
        )
        answer_count = save_in_batches(Answer, answers, BATCH_SIZE)

    client = Client()
    client.force_login(manager)
    return {
        "organisation": organisation.pk,
        "manager_session": client.cookies["sessionid"].value,
        "teams": teams,
        "assessments": len(assessments),
        "answers": answer_count,
        "build_seconds": round(time.perf_counter() - started, 1),
    }
