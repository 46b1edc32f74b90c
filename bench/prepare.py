"""Prepare the bench database: a draft and a submitted assessment, sessions, a CSRF token,
and the dashboard bench's organisation of 2,000 teams (bench/organisation.py).

Run with DJANGO_SETTINGS_MODULE set, after migrate + rubric + demo data.
Prints one JSON object for bench/run.py.
"""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import urlencode

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxmaturity.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Answer, Assessment  # noqa: E402
from assessments.questionnaire import load_questionnaire  # noqa: E402
from bench import organisation  # noqa: E402
from organisations.models import Cycle, Team  # noqa: E402

CSRF_TOKEN = "b" * 32  # an unmasked secret is a valid token for cookie + form field


def answer_all(assessment: Assessment) -> dict[str, str]:
    """Answer every question (the middle option); return section 1's form body."""
    questionnaire = load_questionnaire(assessment)
    Answer.objects.filter(assessment=assessment).delete()
    rows = []
    first_section: dict[str, str] = {"action": "stay", "csrfmiddlewaretoken": CSRF_TOKEN}
    for section in questionnaire.sections:
        for question in section.questions:
            choices = list(question.choices.all())
            choice = choices[len(choices) // 2] if choices else None
            rows.append(
                Answer(
                    assessment=assessment,
                    question=question,
                    choice=choice,
                    text="" if choice else "Bench reflection.",
                )
            )
            if section.number == 1:
                first_section[f"answer-{question.key}"] = choice.key if choice else "Bench."
                first_section[f"note-{question.key}"] = "Measured by make bench."
    Answer.objects.bulk_create(rows)
    return first_section


def session_for(username: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def main() -> None:
    cycle = Cycle.objects.get(organisation__slug="northwind", slug="2026-h2")
    support = Team.objects.get(organisation__slug="northwind", slug="customer-support")
    logistics = Team.objects.get(organisation__slug="northwind", slug="logistics")
    lead = User.objects.get(username="lead")
    lead2 = User.objects.get(username="lead2")
    draft, _ = Assessment.objects.update_or_create(
        team=support, cycle=cycle, respondent=lead, defaults={"status": "draft"}
    )
    body = answer_all(draft)
    submitted, _ = Assessment.objects.update_or_create(
        team=logistics,
        cycle=cycle,
        respondent=lead2,
        defaults={"status": "submitted", "submitted_at": timezone.now()},
    )
    answer_all(submitted)
    print(
        json.dumps(
            {
                "draft": draft.pk,
                "submitted": submitted.pk,
                "sections": len(load_questionnaire(draft).sections),
                "lead_session": session_for("lead"),
                "lead2_session": session_for("lead2"),
                "manager_session": session_for("manager"),
                "organisation": cycle.organisation_id,
                "csrf": CSRF_TOKEN,
                "section_body": urlencode(body),
                "large": organisation.build(),
            }
        )
    )


if __name__ == "__main__":
    main()
