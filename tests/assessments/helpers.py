"""Helpers for driving the questionnaire through the test client."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from assessments.questionnaire import load_questionnaire


def section_url(assessment: Assessment, number: int) -> str:
    return reverse("assessment_section", args=[assessment.pk, number])


def answer_everything(client: Client, assessment: Assessment, choice_key: str = "level-3") -> None:
    """Answer every question of every section through the pages, as a browser would."""
    questionnaire = load_questionnaire(assessment)
    for section in questionnaire.sections:
        data = {"action": "next"}
        for question in section.questions:
            if question.is_scored:
                keys = [choice.key for choice in question.choices.all()]
                data[f"answer-{question.key}"] = choice_key if choice_key in keys else keys[2]
            else:
                data[f"answer-{question.key}"] = f"Our thoughts on {question.key}."
        response = client.post(section_url(assessment, section.number), data)
        assert response.status_code == 302, response.content.decode()[:2000]
