"""``manage.py export_rubric [path]``: the rubric as a JSON fixture with natural keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.db.models import Prefetch

from playbook.models import ActionStep, Choice, Element, FocusArea, Framework, Level, Question


def rubric_rows() -> Iterator[models.Model]:
    """Every rubric row in rubric order, each after the rows it refers to.

    Framework, then each of its elements with its levels (each with its focus
    areas and action steps) and its questions (each with its choices), all by
    their ``order`` and key: the same file whatever the primary keys, so a
    re-export after an admin edit shows just that edit. Seven queries.
    """
    frameworks = Framework.objects.order_by("order", "key").prefetch_related(
        Prefetch("elements", queryset=Element.objects.order_by("order", "key")),
        Prefetch("elements__levels", queryset=Level.objects.order_by("number")),
        Prefetch(
            "elements__levels__focus_areas", queryset=FocusArea.objects.order_by("order", "key")
        ),
        Prefetch(
            "elements__levels__action_steps", queryset=ActionStep.objects.order_by("order", "key")
        ),
        Prefetch("elements__questions", queryset=Question.objects.order_by("order", "key")),
        Prefetch(
            "elements__questions__choices",
            queryset=Choice.objects.select_related("level__element").order_by("order", "key"),
        ),
    )
    for framework in frameworks:
        yield framework
        for element in framework.elements.all():
            yield element
            for level in element.levels.all():
                yield level
                yield from level.focus_areas.all()
                yield from level.action_steps.all()
            for question in element.questions.all():
                yield question
                yield from question.choices.all()


class Command(BaseCommand):
    help = (
        "Write the rubric (frameworks, elements, levels, focus areas, action steps, questions, "
        "choices) as a JSON fixture with natural keys, to PATH or standard output. "
        "Load it with import_rubric."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="File to write; standard output if omitted.")

    def handle(self, *args: Any, **options: Any) -> None:
        # dumpdata's serializer and options: natural keys instead of primary keys,
        # one-space indent, Chinese written as UTF-8 rather than \u escapes.
        def write(stream: Any) -> None:
            serializers.serialize(
                "json",
                rubric_rows(),
                indent=1,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                stream=stream,
            )

        if options["path"]:
            path = Path(options["path"])
            with path.open("w", encoding="utf-8", newline="\n") as file:
                write(file)
            if options["verbosity"] >= 1:
                self.stderr.write(f"Wrote the rubric to {path}.")
        else:
            self.stdout.ending = ""  # the serializer writes in pieces: add no newlines
            write(self.stdout)
