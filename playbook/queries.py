"""Read helpers for the rubric, each loading what a page needs in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from playbook.models import Choice, Element, Framework, Question


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
