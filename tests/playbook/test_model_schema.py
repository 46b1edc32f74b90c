"""The model file format: playbook/schema/model.schema.json and the example model files.

The schema checks a file's shape; what it cannot express (scores within the
framework's scale, unique keys, answer scale references) is the importer's job.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from playbook.model_files import load_schema
from tests.playbook.model_examples import EXAMPLES, delete_at, set_at
from tests.playbook.model_examples import example as load_example


def errors_of(data: Any) -> list[tuple[str, str]]:
    """Each schema error as (JSON path of the offending value, message), in file order."""
    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.path)))
    return [(error.json_path, error.message) for error in errors]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    assert "Checked on import" in schema["description"]


def _properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema declared anywhere in the schema, with where it is."""
    if isinstance(node, dict):
        for name, subschema in node.get("properties", {}).items():
            if isinstance(subschema, dict):
                yield f"{where}.{name}", subschema
        for key, value in node.items():
            if key not in {"if", "then", "else"}:  # conditions, not declarations
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


def test_every_property_has_a_title_and_a_description() -> None:
    schema = load_schema()
    undocumented = []
    for where, subschema in _properties(schema, "#"):
        documented = subschema
        if "$ref" in subschema and not ("title" in subschema and "description" in subschema):
            documented = schema["$defs"][subschema["$ref"].removeprefix("#/$defs/")]
        if not (documented.get("title") and documented.get("description")):
            undocumented.append(where)
    assert undocumented == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_model_file_is_valid(name: str) -> None:
    data = load_example(name)
    assert errors_of(data) == []
    assert data["format"] == 1


def test_examples_cover_the_scales_the_format_allows() -> None:
    scales = {
        name: (
            load_example(name)["framework"]["scale"]["lowest"],
            load_example(name)["framework"]["scale"]["highest"],
        )
        for name in EXAMPLES
    }
    assert scales == {
        "three-levels.yaml": (0, 3),
        "four-levels.yaml": (1, 4),
        "seven-levels.yaml": (1, 7),
    }
    four = load_example("four-levels.yaml")
    assert [level["number"] for level in four["elements"][1]["levels"]] == [2, 3, 4]
    three = load_example("three-levels.yaml")
    scores = [option.get("score") for option in three["answer_scales"][0]["options"]]
    assert 0.75 in scores and 1.5 in scores


BROKEN: dict[str, tuple[Any, ...]] = {
    "missing format": (
        delete_at("format"),
        "$",
        "'format' is a required property",
    ),
    "format 2": (
        set_at("format", value=2),
        "$.format",
        "1 was expected",
    ),
    "highest 9": (
        set_at("framework", "scale", "highest", value=9),
        "$.framework.scale.highest",
        "9 is greater than the maximum of 7",
    ),
    "lowest 2": (
        set_at("framework", "scale", "lowest", value=2),
        "$.framework.scale.lowest",
        "2 is not one of [0, 1]",
    ),
    "text with neither language": (
        set_at("framework", "name", value={}),
        "$.framework.name",
        "{} should be non-empty",
    ),
    "text with an unknown language key": (
        set_at("elements", 0, "summary", value={"en": "Listening", "fr": "Écoute"}),
        "$.elements[0].summary",
        "Additional properties are not allowed ('fr' was unexpected)",
    ),
    "bad key slug": (
        set_at("elements", 1, "key", value="Acting_On_Feedback"),
        "$.elements[1].key",
        "'Acting_On_Feedback' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'",
    ),
    "option with both score and not_sure": (
        set_at("answer_scales", 0, "options", 1, "not_sure", value=True),
        "$.answer_scales[0].options[1]",
        "is valid under each of",
        ("'score'", "'not_sure'"),
    ),
    "option with neither score, not_sure nor not_applicable": (
        delete_at("elements", 0, "questions", 1, "options", 2, "score"),
        "$.elements[0].questions[1].options[2]",
        "is not valid under any of the given schemas",
    ),
    "score above any scale": (
        set_at("elements", 0, "questions", 1, "options", 3, "score", value=8),
        "$.elements[0].questions[1].options[3].score",
        "8 is greater than the maximum of 7",
    ),
    "unknown property": (
        set_at("elements", 0, "levels", 1, "colour", value="blue"),
        "$.elements[0].levels[1]",
        "Additional properties are not allowed ('colour' was unexpected)",
    ),
    "choice question with both an answer scale and options": (
        set_at("elements", 0, "questions", 1, "answer_scale", value="coverage"),
        "$.elements[0].questions[1]",
        "is valid under each of",
        ("'answer_scale'", "'options'"),
    ),
    "choice question with neither an answer scale nor options": (
        delete_at("elements", 1, "questions", 0, "answer_scale"),
        "$.elements[1].questions[0]",
        "is not valid under any of the given schemas",
    ),
    "text question with an answer scale": (
        set_at("elements", 1, "questions", 0, "kind", value="text"),
        "$.elements[1].questions[0]",
        "'answer_scale' is not one of ['key', 'prompt', 'help_text', 'kind', 'required', 'active']",
    ),
    "text question with a weight": (
        set_at(
            "elements",
            0,
            "questions",
            1,
            value={
                "key": "listening-notes",
                "prompt": {"en": "What do customers say most?"},
                "kind": "text",
                "weight": 1,
            },
        ),
        "$.elements[0].questions[1]",
        "'weight' is not one of",
    ),
    "unknown question kind": (
        set_at("elements", 0, "questions", 0, "kind", value="agreement"),
        "$.elements[0].questions[0].kind",
        "'agreement' is not one of ['choice', 'text']",
    ),
}


def _broken_cases() -> list[Any]:
    cases = []
    for name, (change, json_path, message, *more) in BROKEN.items():
        fragments = (message, *(more[0] if more else ()))
        cases.append(pytest.param(change, json_path, fragments, id=name))
    return cases


@pytest.mark.parametrize(("change", "json_path", "fragments"), _broken_cases())
def test_broken_model_file_fails_at_its_place(
    change: Callable[[dict[str, Any]], None], json_path: str, fragments: tuple[str, ...]
) -> None:
    data = copy.deepcopy(load_example("three-levels.yaml"))
    change(data)

    errors = errors_of(data)

    assert len(errors) == 1, errors
    path, message = errors[0]
    assert path == json_path
    for fragment in fragments:
        assert fragment in message


def test_yaml_no_read_as_false_is_reported_at_the_label() -> None:
    """YAML reads an unquoted No as false: the schema catches it where it is."""
    data = load_example("three-levels.yaml")
    data["elements"][0]["questions"][1]["options"][0]["label"] = yaml.safe_load(
        "{en: No, zh-hans: 从不}"
    )

    assert errors_of(data) == [
        ("$.elements[0].questions[1].options[0].label.en", "False is not of type 'string'")
    ]
