"""Reading and checking a model file (README, "Model files").

``read_model`` parses a file's YAML, checks it against
``playbook/schema/model.schema.json`` and then makes the checks the schema's
description lists as "checked on import", which JSON Schema cannot express.
Every problem comes back as a :class:`Problem` naming its place in the file, so
a person can find it: ``elements[1] (key "alignment") > questions[0] (key
"q-shared") > options[2]``. ``missing_translations`` lists the texts given in
one language only: warnings, not errors.

No database here: keys are checked for uniqueness within the file; whether an
element or question key is already used by another framework is the
importer's business.

Messages are plain English strings, not marked for translation: they are read
by the developer or admin running ``import_model``; the admin upload will
translate them when it shows them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "model.schema.json"
LANGUAGES = {"en": "English", "zh-hans": "Simplified Chinese"}

PathPart = str | int


@dataclass(frozen=True)
class Problem:
    """Something wrong with a model file, at a readable ``place`` in it."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@functools.cache
def load_schema() -> dict[str, Any]:
    """The model file schema, read once."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def read_model(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and check a model file: its data (None if anything is wrong) and every problem.

    The YAML is parsed safely; then the schema is checked; then, only if the
    schema passed, the import checks. All problems of a stage are reported,
    not only the first.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        return None, [_yaml_problem(error)]
    except yaml.YAMLError as error:
        return None, [Problem("file", f"is not valid YAML: {error}")]
    if data is None:
        return None, [Problem("file", "is empty; a model file starts with `format: 1`")]
    if not isinstance(data, dict):
        return None, [
            Problem(
                "file",
                f"is a {_kind_of(data)}, not a mapping; a model file starts with `format: 1`",
            )
        ]
    problems = schema_problems(data)
    if not problems:
        problems = import_problems(data)
    return (None if problems else data), problems


def missing_translations(data: dict[str, Any]) -> list[Problem]:
    """Texts given in one language only (warnings: the pages show the other language)."""
    found = []
    for path, text in _texts(data, ()):
        if len(text) == 1:
            (given,) = text
            missing = next(code for code in LANGUAGES if code != given)
            found.append(
                Problem(
                    _place(data, path),
                    f"is in {LANGUAGES[given]} only (no `{missing}`); the pages show the "
                    f"{LANGUAGES[given]} text instead, marked as such",
                )
            )
    return found


# YAML ----------------------------------------------------------------------


def _yaml_problem(error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
    message = error.problem or "is not valid YAML"
    if error.context:
        message = f"{message} ({error.context})"
    return Problem(place, f"YAML syntax error: {message}")


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


# Places ----------------------------------------------------------------------


def _place(data: Any, path: Sequence[PathPart]) -> str:
    """A readable place: ``elements[1] (key "x") > questions[0] (key "y") > options``."""
    parts: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            label = f"[{part}]"
            if isinstance(node, dict) and isinstance(node.get("key"), str):
                label += f' (key "{node["key"]}")'
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(part)
    return " > ".join(parts) or "file"


# Schema ----------------------------------------------------------------------


def schema_problems(data: Any) -> list[Problem]:
    """Every schema error in ``data``, in path order, with readable messages."""
    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: _sort_key(error.absolute_path))
    return [Problem(_place(data, error.absolute_path), _schema_message(error)) for error in errors]


def _sort_key(path: Sequence[PathPart]) -> list[tuple[int, int, str]]:
    return [(0, part, "") if isinstance(part, int) else (1, 0, part) for part in path]


def _schema_message(error: ValidationError) -> str:
    if error.validator in {"oneOf", "anyOf"} and isinstance(error.instance, dict):
        return _alternatives_message(error)
    if "propertyNames" in error.schema_path:
        return (
            f"`{error.instance}` is not allowed here. {_description_at(error.absolute_path)}"
        ).strip()
    return error.message


def _alternatives_message(error: ValidationError) -> str:
    """Errors of "exactly one of": which properties are there, then what the schema says."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    description = _description_at(error.absolute_path)
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    choices = [
        branch["required"][0]
        for branch in branches
        if isinstance(branch, dict)
        and list(branch) == ["required"]
        and len(branch["required"]) == 1
    ]
    if len(choices) != len(branches):
        return f"does not match what is allowed here. {description}".strip()
    present = [choice for choice in choices if choice in instance]
    if present:
        message = f"has {_listed(present, 'and')}; only one of them is allowed."
    else:
        message = f"needs one of {_listed(choices, 'or')}."
    return f"{message} {description}".strip()


def _listed(names: list[str], conjunction: str) -> str:
    quoted = [f"`{name}`" for name in names]
    if len(quoted) == 1:
        return quoted[0]
    return f"{', '.join(quoted[:-1])} {conjunction} {quoted[-1]}"


def _description_at(path: Sequence[PathPart]) -> str:
    """The schema's description of the value at ``path`` in the file (refs followed)."""
    schema = load_schema()
    node: dict[str, Any] = schema
    for part in path:
        node = _resolved(node)
        key = "items" if isinstance(part, int) else "properties"
        child = node.get(key)
        if isinstance(part, str) and isinstance(child, dict):
            child = child.get(part)
        if not isinstance(child, dict):
            return ""
        node = child
    description = node.get("description") or _resolved(node).get("description", "")
    return str(description)


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        resolved: dict[str, Any] = load_schema()["$defs"][reference.removeprefix("#/$defs/")]
        return resolved
    return node


# Import checks -----------------------------------------------------------------


class _Checker:
    """The checks the schema's description lists as done on import, on schema-valid data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []
        scale = data["framework"]["scale"]
        self.lowest: int = scale["lowest"]
        self.highest: int = scale["highest"]
        self.answer_scales = {
            answer_scale["key"]: answer_scale for answer_scale in data.get("answer_scales", [])
        }

    def add(self, path: Sequence[PathPart], message: str) -> None:
        self.problems.append(Problem(_place(self.data, path), message))

    @property
    def scale_range(self) -> str:
        return f"the framework's scale, which runs from {self.lowest} to {self.highest}"

    def on_scale(self, number: float) -> bool:
        return self.lowest <= number <= self.highest

    def run(self) -> list[Problem]:
        self.check_scale()
        self.check_answer_scales()
        self.check_elements()
        return self.problems

    def check_scale(self) -> None:
        """(1) One level for every number from lowest to highest, in order."""
        path: tuple[PathPart, ...] = ("framework", "scale", "levels")
        numbers = [level["number"] for level in self.data["framework"]["scale"]["levels"]]
        seen: dict[int, int] = {}
        for index, number in enumerate(numbers):
            here = (*path, index, "number")
            if not self.on_scale(number):
                self.add(
                    here,
                    f"level {number} is not on the scale: `lowest` is "
                    f"{self.lowest} and `highest` is {self.highest}",
                )
            elif number in seen:
                self.add(
                    here,
                    f"level {number} is listed twice; it is already at "
                    f"{_place(self.data, (*path, seen[number]))}",
                )
            else:
                seen[number] = index
        missing = [n for n in range(self.lowest, self.highest + 1) if n not in seen]
        if missing:
            self.add(
                path,
                f"{_levels_word(missing)} missing; the scale lists every level "
                f"from {self.lowest} to {self.highest} once",
            )
        listed = list(seen)
        if listed != sorted(listed):
            self.add(
                path,
                f"the levels are listed in the order {', '.join(map(str, listed))}; "
                f"list them from {self.lowest} to {self.highest}, in order",
            )

    def check_answer_scales(self) -> None:
        """(5) Answer scale keys unique; their options: (3) scores, (5) keys, (6) one score."""
        self.unique_keys(
            ("answer_scales",), self.data.get("answer_scales", []), "answer scale", "in the file"
        )
        for index, answer_scale in enumerate(self.data.get("answer_scales", [])):
            path = ("answer_scales", index)
            self.check_options(path, answer_scale["options"], None, "an answer scale")
            self.check_anchored_levels(path, answer_scale)

    def check_anchored_levels(
        self, path: tuple[PathPart, ...], answer_scale: dict[str, Any]
    ) -> None:
        """(3) An answer scale's anchored levels: each element using it must describe them."""
        users = [
            (element["key"], {level["number"] for level in element["levels"]})
            for element in self.data["elements"]
            if any(
                question.get("answer_scale") == answer_scale["key"]
                for question in element["questions"]
            )
        ]
        for index, option in enumerate(answer_scale["options"]):
            if "level" not in option:
                continue
            lacking = [key for key, levels in users if option["level"] not in levels]
            if lacking:
                elements = ", ".join(f'"{key}"' for key in lacking)
                self.add(
                    (*path, "options", index, "level"),
                    f"anchors the option to level {option['level']}, which "
                    f"{'element' if len(lacking) == 1 else 'elements'} {elements} "
                    "(using this answer scale) "
                    f"{'does' if len(lacking) == 1 else 'do'} not describe",
                )

    def check_elements(self) -> None:
        elements = self.data["elements"]
        self.unique_keys(("elements",), elements, "element", "across all frameworks")
        questions = [
            ((("elements", e, "questions", q)), question)
            for e, element in enumerate(elements)
            for q, question in enumerate(element["questions"])
        ]
        first: dict[str, tuple[PathPart, ...]] = {}
        for path, question in questions:
            if question["key"] in first:
                self.add(
                    (*path, "key"),
                    f'the question key "{question["key"]}" is already used '
                    f"at {_place(self.data, first[question['key']])}; question keys are "
                    "unique across all frameworks",
                )
            else:
                first[question["key"]] = path
        for index, element in enumerate(elements):
            self.check_element(("elements", index), element)

    def check_element(self, path: tuple[PathPart, ...], element: dict[str, Any]) -> None:
        """(2) Level numbers on the scale, once each; (5) keys in each level; questions."""
        defined: dict[int, int] = {}
        for index, level in enumerate(element["levels"]):
            here = (*path, "levels", index)
            number = level["number"]
            if not self.on_scale(number):
                self.add((*here, "number"), f"level {number} is not on {self.scale_range}")
            elif number in defined:
                self.add(
                    (*here, "number"),
                    f"level {number} is described twice in this element; "
                    f"it is already at {_place(self.data, (*path, 'levels', defined[number]))}",
                )
            else:
                defined[number] = index
            self.unique_keys(
                (*here, "focus_areas"), level.get("focus_areas", []), "focus area", "in its level"
            )
            self.unique_keys((*here, "steps"), level.get("steps", []), "step", "in its level")
        for index, question in enumerate(element["questions"]):
            self.check_question((*path, "questions", index), question, set(defined))

    def check_question(
        self, path: tuple[PathPart, ...], question: dict[str, Any], levels: set[int]
    ) -> None:
        """(3) anchored levels, (4) answer scale reference, (6) a scored option, (7) weight."""
        if question["kind"] != "choice":
            return
        if "weight" in question:
            exponent = Decimal(str(question["weight"])).as_tuple().exponent
            if isinstance(exponent, int) and exponent < -2:
                self.add(
                    (*path, "weight"),
                    f"the weight {question['weight']} has "
                    f"{-exponent} decimals; a weight has at most two (0.25, 1.5)",
                )
        if "options" in question:
            self.check_options(path, question["options"], levels, "a choice question")
            return
        key = question["answer_scale"]
        if key not in self.answer_scales:
            known = ", ".join(f'"{name}"' for name in self.answer_scales)
            self.add(
                (*path, "answer_scale"),
                f'names the answer scale "{key}", which this file '
                "does not define; "
                + (
                    f"its answer scales are {known}" if known else "the file has no `answer_scales`"
                ),
            )

    def check_options(
        self,
        path: tuple[PathPart, ...],
        options: list[dict[str, Any]],
        levels: set[int] | None,
        owner: str,
    ) -> None:
        self.unique_keys((*path, "options"), options, "option", f"in {owner}")
        for index, option in enumerate(options):
            here = (*path, "options", index)
            if "score" in option and not self.on_scale(option["score"]):
                self.add(
                    (*here, "score"), f"the score {option['score']} is not on {self.scale_range}"
                )
            if levels is not None and "level" in option and option["level"] not in levels:
                self.add(
                    (*here, "level"),
                    f"anchors the option to level {option['level']}, "
                    f"which its element does not describe ({_defined(levels)})",
                )
        if not any("score" in option for option in options):
            self.add(
                (*path, "options"),
                f"no option has a `score`; {owner} needs at least one "
                "scored option, or it can never be scored",
            )

    def unique_keys(
        self, path: tuple[PathPart, ...], items: list[dict[str, Any]], what: str, where: str
    ) -> None:
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            key = item["key"]
            if key in first:
                self.add(
                    (*path, index, "key"),
                    f'the {what} key "{key}" is already used at '
                    f"{_place(self.data, (*path, first[key]))}; {what} keys are unique {where}",
                )
            else:
                first[key] = index


def import_problems(data: dict[str, Any]) -> list[Problem]:
    """The checks the schema's description lists as done on import; ``data`` is schema-valid."""
    return _Checker(data).run()


def _levels_word(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"level {numbers[0]} is"
    return f"levels {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} are"


def _defined(levels: set[int]) -> str:
    if not levels:
        return "it describes none"
    return f"it describes {', '.join(map(str, sorted(levels)))}"


# Texts -----------------------------------------------------------------------


def _texts(
    node: Any, path: tuple[PathPart, ...]
) -> Iterator[tuple[tuple[PathPart, ...], dict[str, Any]]]:
    """Every text ({en: ..., zh-hans: ...}) in schema-valid data, in file order."""
    if isinstance(node, dict):
        if node and set(node) <= set(LANGUAGES):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, (*path, index))
