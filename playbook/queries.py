"""Read helpers for the rubric, each loading what a page needs in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from playbook.models import Choice, Element, Framework, Level, Question


def questionnaire_elements(frameworks: QuerySet[Framework]) -> list[Element]:
    """Elements of the frameworks in questionnaire order, with active questions and choices.

    Three queries: elements (with their framework), questions, choices.
    """
    return list(
        Element.objects.filter(framework__in=frameworks)
        .select_related("framework")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.active()
                .order_by("order", "key")
                .prefetch_related(
                    Prefetch(
                        "choices", queryset=Choice.objects.filter(active=True).order_by("order")
                    )
                ),
            )
        )
        .order_by("framework__order", "framework__key", "order", "key")
    )


def levels_with_guidance(element_ids: Iterable[int]) -> dict[tuple[int, int], Level]:
    """(element id, level number) -> level, with focus areas and action steps. Three queries."""
    levels = Level.objects.filter(element_id__in=list(element_ids)).prefetch_related(
        "focus_areas", "action_steps"
    )
    return {(level.element_id, level.number): level for level in levels}
