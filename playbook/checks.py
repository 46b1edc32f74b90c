"""System check: the rubric in the database is complete in both languages.

Runs with every ``manage.py check`` (and so in ``make test`` and at
``runserver`` start). Before the tables exist there is nothing to check.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError, models

from playbook.models import (
    LEVEL_NUMBERS,
    ActionStep,
    Element,
    FocusArea,
    Framework,
    Level,
    Question,
)
from playbook.translation import translated_field_names

# Texts that may be empty (in both languages at once).
OPTIONAL_TEXTS = {
    Framework: {"description"},
    Element: {"summary"},
    Level: {"quote", "quote_role"},
    FocusArea: {"description"},
    ActionStep: {"sub_points"},
    Question: {"help_text"},
}


def _language_problems(instance: models.Model, label: str) -> list[str]:
    problems = []
    optional = OPTIONAL_TEXTS.get(type(instance), set())
    for name in translated_field_names(type(instance)):
        english = (getattr(instance, f"{name}_en") or "").strip()
        chinese = (getattr(instance, f"{name}_zh_hans") or "").strip()
        if not english and not chinese:
            if name not in optional:
                problems.append(f"{label}: {name} is empty in English and Chinese.")
        elif not chinese:
            problems.append(f"{label}: {name} has no Chinese text.")
        elif not english:
            problems.append(f"{label}: {name} has no English text.")
    return problems


def rubric_problems() -> list[str]:
    """Every way the stored rubric is incomplete, each naming the row concerned."""
    problems: list[str] = []
    frameworks = Framework.objects.prefetch_related(
        "elements__levels__focus_areas",
        "elements__levels__action_steps",
        "elements__questions__choices",
    )
    for framework in frameworks:
        framework_label = f"Framework '{framework.key}'"
        problems += _language_problems(framework, framework_label)
        elements = list(framework.elements.all())
        if framework.active and not elements:
            problems.append(f"{framework_label} has no elements.")
        for element in elements:
            element_label = f"Element '{element.key}'"
            problems += _language_problems(element, element_label)
            levels = {level.number: level for level in element.levels.all()}
            for number in LEVEL_NUMBERS:
                if number not in levels:
                    problems.append(f"{element_label} has no level {number}.")
            for level in levels.values():
                level_label = f"{element_label}, level {level.number}"
                problems += _language_problems(level, level_label)
                steps = list(level.action_steps.all())
                focus_areas = list(level.focus_areas.all())
                if not steps:
                    problems.append(f"{level_label} has no action steps.")
                if not level.is_highest and not focus_areas:
                    problems.append(f"{level_label} has no focus areas.")
                for focus_area in focus_areas:
                    problems += _language_problems(
                        focus_area, f"{level_label}, focus area '{focus_area.key}'"
                    )
                for step in steps:
                    problems += _language_problems(step, f"{level_label}, step '{step.key}'")
            problems += _question_problems(element)
    return problems


def _question_problems(element: Element) -> list[str]:
    problems: list[str] = []
    for question in element.questions.all():
        question_label = f"Question '{question.key}' ({element.key})"
        problems += _language_problems(question, question_label)
        choices = list(question.choices.all())
        if question.is_scored:
            if not [choice for choice in choices if choice.active]:
                problems.append(f"{question_label} has no choices.")
            if question.active and not [c for c in choices if c.score is not None]:
                problems.append(f"{question_label} has no scored choice.")
        for choice in choices:
            problems += _language_problems(choice, f"{question_label}, choice '{choice.key}'")
    return problems


@checks.register("rubric")
def check_rubric(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        problems = rubric_problems()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return [
        checks.Error(
            problem,
            hint="Complete it in Django admin (Playbook) or in fixtures/rubric.json.",
            obj="playbook",
            id="playbook.E001",
        )
        for problem in problems
    ]
