"""Build the export bench: a cycle with 10,000 submitted assessments, every question answered.

Run with DJANGO_SETTINGS_MODULE set, after migrate + rubric + demo data
(bench/run.py does this in its scratch database). The rows live in an
organisation of their own, so the pages bench/run.py measures with wrk read
the same data as before. Rows are built in Python and written with
bulk_create in batches, in one transaction. Prints one JSON object for
bench/run.py: the cycle, a CX manager's session, and the rows to expect.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from collections.abc import Iterator

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Answer, Assessment  # noqa: E402
from bench.rows import save_in_batches  # noqa: E402
from organisations.models import Cycle, Membership, Organisation, Team  # noqa: E402
from playbook.models import Framework, Question  # noqa: E402
from playbook.versions import rubric_for_cycle, rubric_version_for  # noqa: E402

ASSESSMENTS = int(os.environ.get("BENCH_EXPORT_ASSESSMENTS", "10000"))
TEAMS = 50
BATCH_SIZE = 5000
# Notes as people write them: Chinese, English, and one that looks like a formula.
NOTES = [
    "",
    "",
    "",
    "我们在季度复盘里讨论过这一点，还需要更多客户数据。",
    "Discussed in the quarterly review; we need more customer data.",
    '=HYPERLINK("http://example.com", "see the survey")',
]
REFLECTIONS = [
    "客户旅程图已经更新，但各团队的使用程度不一样。",
    "We started sharing customer feedback in the weekly stand-up.",
]


def build(assessments: int) -> dict[str, object]:
    rng = random.Random(2026)
    organisation = Organisation.objects.create(name="Bench export 导出", slug="bench-export")
    teams = Team.objects.bulk_create(
        Team(organisation=organisation, name=f"Team {number:02d} 团队", slug=f"team-{number:02d}")
        for number in range(1, TEAMS + 1)
    )
    password = make_password(None)  # unusable: nobody logs in as a respondent
    respondents = User.objects.bulk_create(
        (
            User(
                username=f"respondent-{number:05d}",
                first_name="Respondent",
                last_name=f"{number:05d} 号",
                password=password,
            )
            for number in range(1, assessments + 1)
        ),
        batch_size=BATCH_SIZE,
    )
    manager = User.objects.create_user("bench-manager", password=None)
    Membership.objects.create(user=manager, organisation=organisation, role=Membership.Role.MANAGER)
    today = datetime.date.today()
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="Export bench",
        slug="export-bench",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    frameworks = Framework.objects.active()
    cycle.frameworks.set(frameworks)
    cycle.rubric_version = rubric_version_for(frameworks)
    cycle.save(update_fields=["rubric_version"])
    questions = [
        question
        for element in rubric_for_cycle(cycle).elements
        for question in element.questions.all()
    ]

    now = timezone.now()
    created = Assessment.objects.bulk_create(
        (
            Assessment(
                team=teams[number % TEAMS],
                cycle=cycle,
                respondent=respondent,
                status=Assessment.Status.SUBMITTED,
                submitted_at=now,
            )
            for number, respondent in enumerate(respondents)
        ),
        batch_size=BATCH_SIZE,
    )
    answer_count = save_in_batches(Answer, _answers(created, questions, rng), BATCH_SIZE)

    client = Client()
    client.force_login(manager)
    return {
        "cycle": cycle.pk,
        "manager_session": client.cookies["sessionid"].value,
        "assessments": len(created),
        "answers": answer_count,
    }


def _answers(
    assessments: list[Assessment], questions: list[Question], rng: random.Random
) -> Iterator[Answer]:
    """Each assessment answering every question: a choice and a note, or a reflection."""
    for assessment in assessments:
        for question in questions:
            choices = list(question.choices.all())
            if choices:
                yield Answer(
                    assessment_id=assessment.pk,
                    question_id=question.pk,
                    choice_id=rng.choice(choices).pk,
                    note=rng.choice(NOTES),
                )
            else:
                yield Answer(
                    assessment_id=assessment.pk,
                    question_id=question.pk,
                    text=rng.choice(REFLECTIONS),
                )


def main() -> None:
    started = time.perf_counter()
    with transaction.atomic():
        built = build(ASSESSMENTS)
    print(json.dumps({**built, "build_seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
