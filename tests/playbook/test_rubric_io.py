"""export_rubric and import_rubric: the rubric as JSON with natural keys, loaded all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from playbook.models import ActionStep, Choice, Element, FocusArea, Framework, Level, Question
from tests import factories

RUBRIC_MODELS: list[type[models.Model]] = [
    Framework,
    Element,
    Level,
    FocusArea,
    ActionStep,
    Question,
    Choice,
]


def rubric_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every rubric row as (natural key, field values), foreign keys by natural key too."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for model in RUBRIC_MODELS:
        rows[model._meta.label] = sorted(
            (
                instance.natural_key(),  # type: ignore[attr-defined]
                tuple(
                    (
                        getattr(instance, field.name).natural_key()
                        if getattr(instance, field.name) is not None
                        else None
                    )
                    if field.is_relation
                    else getattr(instance, field.attname)
                    for field in model._meta.concrete_fields
                    if not field.primary_key
                ),
            )
            for instance in model._default_manager.all()
        )
    return rows


def primary_keys() -> dict[str, list[int]]:
    return {
        model._meta.label: sorted(model._default_manager.values_list("pk", flat=True))
        for model in RUBRIC_MODELS
    }


def delete_rubric() -> None:
    for model in reversed(RUBRIC_MODELS):
        model._default_manager.all().delete()


def export(path: Path) -> str:
    call_command("export_rubric", str(path), verbosity=0)
    return path.read_text(encoding="utf-8")


def import_(path: Path) -> None:
    call_command("import_rubric", str(path), verbosity=0)


@pytest.fixture
def two_frameworks(rubric: Framework) -> Framework:
    second = factories.make_rubric("second-framework", ("gamma-element",))
    Framework.objects.filter(pk=second.pk).update(order=2)
    # Inactive rows travel too.
    Question.objects.filter(key="gamma-element-agree").update(active=False)
    return rubric


def test_export_then_import_into_an_empty_database_reproduces_the_rubric(
    two_frameworks: Framework, tmp_path: Path
) -> None:
    before = rubric_rows()
    exported = export(tmp_path / "rubric.json")
    delete_rubric()
    assert Framework.objects.count() == 0

    import_(tmp_path / "rubric.json")

    assert rubric_rows() == before
    assert sum(len(rows) for rows in before.values()) == len(json.loads(exported))
    # And the same file again, though every primary key changed.
    assert export(tmp_path / "again.json") == exported


def test_export_is_readable_utf8_json_with_natural_keys_in_rubric_order(
    two_frameworks: Framework, tmp_path: Path
) -> None:
    text = export(tmp_path / "rubric.json")
    objects = json.loads(text)

    assert text.startswith('[\n{\n "model": "playbook.framework",\n "fields": {\n  "key":')
    assert "要素 alpha-element" in text
    assert "\\u" not in text
    assert all("pk" not in item for item in objects)
    assert {item["model"] for item in objects} == {
        f"playbook.{model._meta.model_name}" for model in RUBRIC_MODELS
    }
    assert [item["fields"]["key"] for item in objects if item["model"] == "playbook.element"] == [
        "alpha-element",
        "beta-element",
        "gamma-element",
    ]
    level = next(item for item in objects if item["model"] == "playbook.level")
    assert level["fields"]["element"] == ["alpha-element"]
    first_choice = next(item for item in objects if item["model"] == "playbook.choice")
    assert first_choice["fields"]["question"] == ["alpha-element-level"]
    assert first_choice["fields"]["level"] == ["alpha-element", 1]


def test_export_writes_to_standard_output_without_a_path(rubric: Framework, tmp_path: Path) -> None:
    stdout = io.StringIO()

    call_command("export_rubric", stdout=stdout)

    assert stdout.getvalue() == export(tmp_path / "rubric.json")


def test_importing_twice_changes_nothing(two_frameworks: Framework, tmp_path: Path) -> None:
    path = tmp_path / "rubric.json"
    export(path)
    import_(path)
    rows, keys = rubric_rows(), primary_keys()

    import_(path)

    assert rubric_rows() == rows
    assert primary_keys() == keys


def test_import_updates_rows_matched_by_their_natural_keys(
    rubric: Framework, tmp_path: Path
) -> None:
    path = tmp_path / "rubric.json"
    export(path)
    Question.objects.filter(key="alpha-element-level").update(prompt_zh_hans="改过的")

    import_(path)

    question = Question.objects.get(key="alpha-element-level")
    assert question.prompt_zh_hans == "alpha-element 在哪里？"


def without_level(objects: list[dict[str, Any]], element_key: str, number: int) -> list[Any]:
    """The fixture with one level, its guidance and the choice anchored to it taken out."""
    level_key = [element_key, number]

    def refers_to_level(item: dict[str, Any]) -> bool:
        fields = item["fields"]
        if item["model"] == "playbook.level":
            return fields["element"] == [element_key] and fields["number"] == number
        return fields.get("level") == level_key

    return [item for item in objects if not refers_to_level(item)]


def test_an_incomplete_rubric_is_refused_and_nothing_is_imported(
    rubric: Framework, tmp_path: Path
) -> None:
    path = tmp_path / "rubric.json"
    objects = json.loads(export(path))
    path.write_text(json.dumps(without_level(objects, "alpha-element", 3)), encoding="utf-8")
    delete_rubric()

    with pytest.raises(CommandError) as refused:
        import_(path)

    assert "Element 'alpha-element' has no level 3." in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert primary_keys() == {model._meta.label: [] for model in RUBRIC_MODELS}


def test_a_refused_import_leaves_the_existing_rubric_as_it_was(
    rubric: Framework, tmp_path: Path
) -> None:
    path = tmp_path / "rubric.json"
    objects = json.loads(export(path))
    before = rubric_rows()
    # A valid edit to an existing row, and a new element missing a level.
    objects[0]["fields"]["name_en"] = "Renamed framework"
    new_element = [
        json.loads(json.dumps(item).replace("beta-element", "new-element"))
        for item in objects
        if "beta-element" in json.dumps(item)
    ]
    path.write_text(
        json.dumps(objects + without_level(new_element, "new-element", 5)), encoding="utf-8"
    )

    with pytest.raises(CommandError, match=r"Element 'new-element' has no level 5\."):
        import_(path)

    assert rubric_rows() == before
    assert not Element.objects.filter(key="new-element").exists()


def test_import_refuses_a_missing_file(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        import_(tmp_path / "missing.json")
