"""Reading and checking a model file: playbook/model_files.py.

Each broken variant is an example file edited after parsing and written back
as YAML, so it goes through the whole of ``read_model``.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from playbook.model_files import Problem, missing_translations, read_model
from tests.playbook.model_examples import (
    EXAMPLES,
    MODELS_DIR,
    Change,
    delete_at,
    example,
    set_at,
)


def read_changed(name: str, change: Change) -> tuple[dict[str, Any] | None, list[Problem]]:
    data = example(name)
    change(data)
    return read_model(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_reads_with_no_problems(name: str) -> None:
    text = (MODELS_DIR / name).read_text(encoding="utf-8")

    data, problems = read_model(text)

    assert problems == []
    assert data is not None
    assert data == yaml.safe_load(text)


@pytest.mark.parametrize("name", ["three-levels.yaml", "four-levels.yaml"])
def test_fully_translated_examples_have_no_missing_translations(name: str) -> None:
    data, _ = read_model((MODELS_DIR / name).read_text(encoding="utf-8"))
    assert data is not None

    assert missing_translations(data) == []


def test_english_only_text_is_reported_at_its_place() -> None:
    data, problems = read_model((MODELS_DIR / "seven-levels.yaml").read_text(encoding="utf-8"))
    assert problems == []
    assert data is not None

    warnings = missing_translations(data)

    assert warnings == [
        Problem(
            'elements[0] (key "culture-leadership") > questions[0] (key "leaders-talk")'
            " > help_text",
            "is in English only (no `zh-hans`); the pages show the English text instead,"
            " marked as such",
        )
    ]


def test_chinese_only_text_is_reported() -> None:
    data = example("three-levels.yaml")
    data["framework"]["name"] = {"zh-hans": "客户反馈实践"}

    warnings = missing_translations(data)

    assert [(w.place, w.message.split(";")[0]) for w in warnings] == [
        ("framework > name", "is in Simplified Chinese only (no `en`)")
    ]


def test_yaml_syntax_error_names_line_and_column() -> None:
    text = "format: 1\nframework:\n  key: x\n  name: {en: Yes, always, zh-hans: 是}\n    bad: 1\n"

    data, problems = read_model(text)

    assert data is None
    assert len(problems) == 1
    assert problems[0].place == "line 5, column 5"
    assert problems[0].message == (
        "YAML syntax error: expected <block end>, but found '<block mapping start>'"
        " (while parsing a block mapping)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty; a model file starts with `format: 1`"),
        ("- format: 1\n", "is a list, not a mapping; a model file starts with `format: 1`"),
        ("just words\n", "is a text, not a mapping; a model file starts with `format: 1`"),
    ],
)
def test_a_document_that_is_not_a_mapping_is_a_problem(text: str, message: str) -> None:
    assert read_model(text) == (None, [Problem("file", message)])


def test_schema_errors_name_their_place_and_say_what_is_wrong() -> None:
    def change(data: dict[str, Any]) -> None:
        option = data["answer_scales"][0]["options"][1]
        option["not_sure"] = True
        del data["elements"][1]["questions"][0]["answer_scale"]
        data["framework"]["scale"]["highest"] = 9

    data, problems = read_changed("three-levels.yaml", change)

    assert data is None
    assert [problem.place for problem in problems] == [
        'answer_scales[0] (key "coverage") > options[1] (key "a-few")',
        'elements[1] (key "feedback-acting") > questions[0] (key "acting-fixes")',
        "framework > scale > highest",
    ]
    assert problems[0].message.startswith(
        "has `score` and `not_sure`; only one of them is allowed. One answer to a choice question."
    )
    assert problems[1].message.startswith(
        "needs one of `answer_scale` or `options`. A question about the element."
    )
    assert problems[2].message == "9 is greater than the maximum of 7"


def test_text_question_with_choice_properties_names_the_property() -> None:
    def change(data: dict[str, Any]) -> None:
        data["elements"][1]["questions"][1]["kind"] = "text"

    _, problems = read_changed("three-levels.yaml", change)

    assert [(p.place, p.message.split(".")[0]) for p in problems] == [
        (
            'elements[1] (key "feedback-acting") > questions[1] (key "acting-close-loop")',
            "`answer_scale` is not allowed here",
        )
    ]


def _append_copy(*path: Any, index: int, **changes: Any) -> Change:
    """Append a copy of the list item at ``path[index]``, with ``changes`` applied."""

    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path:
            target = target[step]
        target.append({**target[index], **changes})

    return change


# (file, change, place, message) for each check the schema's description lists.
IMPORT_CHECKS: dict[str, tuple[str, Change, str, str]] = {
    "scale level off the scale": (
        "four-levels.yaml",
        _append_copy("framework", "scale", "levels", index=3, number=5),
        "framework > scale > levels[4] > number",
        "level 5 is not on the scale: `lowest` is 1 and `highest` is 4",
    ),
    "scale level listed twice": (
        "four-levels.yaml",
        _append_copy("framework", "scale", "levels", index=1),
        "framework > scale > levels[4] > number",
        "level 2 is listed twice; it is already at framework > scale > levels[1]",
    ),
    "scale level missing": (
        "four-levels.yaml",
        delete_at("framework", "scale", "levels", 2),
        "framework > scale > levels",
        "level 3 is missing; the scale lists every level from 1 to 4 once",
    ),
    "scale levels out of order": (
        "four-levels.yaml",
        lambda data: data["framework"]["scale"]["levels"].reverse(),
        "framework > scale > levels",
        "the levels are listed in the order 4, 3, 2, 1; list them from 1 to 4, in order",
    ),
    "element level off the scale": (
        "three-levels.yaml",
        set_at("elements", 0, "levels", 3, "number", value=4),
        'elements[0] (key "feedback-listening") > levels[3] > number',
        "level 4 is not on the framework's scale, which runs from 0 to 3",
    ),
    "element level described twice": (
        "four-levels.yaml",
        set_at("elements", 1, "levels", 2, "number", value=3),
        'elements[1] (key "service-design") > levels[2] > number',
        "level 3 is described twice in this element; it is already at "
        'elements[1] (key "service-design") > levels[1]',
    ),
    "option score off the scale": (
        "four-levels.yaml",
        set_at("elements", 0, "questions", 1, "options", 0, "score", value=0),
        'elements[0] (key "journey-mapping") > questions[1] (key "mapping-customers")'
        ' > options[0] (key "never") > score',
        "the score 0 is not on the framework's scale, which runs from 1 to 4",
    ),
    "answer scale score off the scale": (
        "three-levels.yaml",
        set_at("answer_scales", 0, "options", 4, "score", value=3.5),
        'answer_scales[0] (key "coverage") > options[4] (key "all") > score',
        "the score 3.5 is not on the framework's scale, which runs from 0 to 3",
    ),
    "option anchored to a level its element does not describe": (
        "four-levels.yaml",
        lambda data: data["elements"][1]["questions"][0]["options"][0].update(level=1),
        'elements[1] (key "service-design") > questions[0] (key "service-blueprints")'
        ' > options[0] (key "none") > level',
        "anchors the option to level 1, which its element does not describe (it describes 2, 3, 4)",
    ),
    "answer scale option anchored to a level the element does not describe": (
        "seven-levels.yaml",
        lambda data: data["answer_scales"][0]["options"][1].update(level=2),
        'answer_scales[0] (key "agreement") > options[1] (key "disagree") > level',
        'anchors the option to level 2, which elements "culture-leadership", '
        '"culture-recognition" (using this answer scale) do not describe',
    ),
    "answer scale option anchored to a level one element does not describe": (
        "seven-levels.yaml",
        lambda data: data["answer_scales"][0]["options"][3].update(level=4),
        'answer_scales[0] (key "agreement") > options[3] (key "neutral") > level',
        'anchors the option to level 4, which element "culture-recognition" '
        "(using this answer scale) does not describe",
    ),
    "unknown answer scale": (
        "seven-levels.yaml",
        set_at("elements", 1, "questions", 1, "answer_scale", value="agree"),
        'elements[1] (key "culture-recognition") > questions[1] (key "recognition-rewarded")'
        " > answer_scale",
        'names the answer scale "agree", which this file does not define; '
        'its answer scales are "agreement"',
    ),
    "answer scale in a file without answer scales": (
        "four-levels.yaml",
        lambda data: (
            data["elements"][0]["questions"][1].update(answer_scale="agreement")
            or data["elements"][0]["questions"][1].pop("options")
        ),
        'elements[0] (key "journey-mapping") > questions[1] (key "mapping-customers")'
        " > answer_scale",
        'names the answer scale "agreement", which this file does not define; '
        "the file has no `answer_scales`",
    ),
    "element key used twice": (
        "four-levels.yaml",
        set_at("elements", 1, "key", value="journey-mapping"),
        'elements[1] (key "journey-mapping") > key',
        'the element key "journey-mapping" is already used at '
        'elements[0] (key "journey-mapping"); element keys are unique across all frameworks',
    ),
    "question key used in two elements": (
        "seven-levels.yaml",
        set_at("elements", 1, "questions", 0, "key", value="leaders-talk"),
        'elements[1] (key "culture-recognition") > questions[0] (key "leaders-talk") > key',
        'the question key "leaders-talk" is already used at elements[0] '
        '(key "culture-leadership") > questions[0] (key "leaders-talk"); '
        "question keys are unique across all frameworks",
    ),
    "answer scale key used twice": (
        "three-levels.yaml",
        _append_copy("answer_scales", index=0),
        'answer_scales[1] (key "coverage") > key',
        'the answer scale key "coverage" is already used at answer_scales[0] '
        '(key "coverage"); answer scale keys are unique in the file',
    ),
    "option key used twice in a question": (
        "three-levels.yaml",
        set_at("elements", 0, "questions", 1, "options", 3, "key", value="monthly"),
        'elements[0] (key "feedback-listening") > questions[1] (key "listening-read")'
        ' > options[3] (key "monthly") > key',
        'the option key "monthly" is already used at elements[0] (key "feedback-listening")'
        ' > questions[1] (key "listening-read") > options[2] (key "monthly"); '
        "option keys are unique in a choice question",
    ),
    "option key used twice in an answer scale": (
        "seven-levels.yaml",
        set_at("answer_scales", 0, "options", 6, "key", value="agree"),
        'answer_scales[0] (key "agreement") > options[6] (key "agree") > key',
        'the option key "agree" is already used at answer_scales[0] (key "agreement")'
        ' > options[5] (key "agree"); option keys are unique in an answer scale',
    ),
    "focus area key used twice in a level": (
        "seven-levels.yaml",
        _append_copy("elements", 0, "levels", 1, "focus_areas", index=0),
        'elements[0] (key "culture-leadership") > levels[1] > focus_areas[1]'
        ' (key "goals-in-reviews") > key',
        'the focus area key "goals-in-reviews" is already used at elements[0] '
        '(key "culture-leadership") > levels[1] > focus_areas[0] (key "goals-in-reviews"); '
        "focus area keys are unique in its level",
    ),
    "step key used twice in a level": (
        "four-levels.yaml",
        _append_copy("elements", 1, "levels", 0, "steps", index=0),
        'elements[1] (key "service-design") > levels[0] > steps[1] (key "blueprint-next") > key',
        'the step key "blueprint-next" is already used at elements[1] (key "service-design")'
        ' > levels[0] > steps[0] (key "blueprint-next"); step keys are unique in its level',
    ),
    "choice question with no scored option": (
        "four-levels.yaml",
        set_at(
            "elements",
            0,
            "questions",
            1,
            "options",
            value=[{"key": "not-sure", "label": {"en": "Not sure"}, "not_sure": True}],
        ),
        'elements[0] (key "journey-mapping") > questions[1] (key "mapping-customers") > options',
        "no option has a `score`; a choice question needs at least one scored option, "
        "or it can never be scored",
    ),
    "answer scale with no scored option": (
        "seven-levels.yaml",
        set_at(
            "answer_scales",
            0,
            "options",
            value=[{"key": "n-a", "label": {"en": "N/A"}, "not_applicable": True}],
        ),
        'answer_scales[0] (key "agreement") > options',
        "no option has a `score`; an answer scale needs at least one scored option, "
        "or it can never be scored",
    ),
    "weight with three decimals": (
        "four-levels.yaml",
        set_at("elements", 1, "questions", 1, "weight", value=0.125),
        'elements[1] (key "service-design") > questions[1] (key "service-owner") > weight',
        "the weight 0.125 has 3 decimals; a weight has at most two (0.25, 1.5)",
    ),
}


@pytest.mark.parametrize(
    ("name", "change", "place", "message"),
    [pytest.param(*case, id=case_id) for case_id, case in IMPORT_CHECKS.items()],
)
def test_import_check_fails_at_its_place(
    name: str, change: Change, place: str, message: str
) -> None:
    data, problems = read_changed(name, change)

    assert data is None
    assert problems == [Problem(place, message)]


def test_two_decimal_weights_and_whole_weights_pass() -> None:
    def change(data: dict[str, Any]) -> None:
        data["elements"][1]["questions"][0]["weight"] = 0.25
        data["elements"][1]["questions"][1]["weight"] = 3

    data, problems = read_changed("four-levels.yaml", change)

    assert problems == []
    assert data is not None


def test_every_problem_in_a_file_is_reported() -> None:
    def change(data: dict[str, Any]) -> None:
        data["framework"]["scale"]["levels"][0]["number"] = 1  # level 0 missing, 1 twice
        data["answer_scales"][0]["options"][0]["score"] = 4
        data["elements"][1]["key"] = "feedback-listening"
        data["elements"][1]["questions"][0]["answer_scale"] = "missing"
        data["elements"][0]["questions"][1]["weight"] = 1.005

    data, problems = read_changed("three-levels.yaml", change)

    assert data is None
    assert [problem.place for problem in problems] == [
        "framework > scale > levels[1] > number",
        "framework > scale > levels",
        'answer_scales[0] (key "coverage") > options[0] (key "none") > score',
        'elements[1] (key "feedback-listening") > key',
        'elements[0] (key "feedback-listening") > questions[1] (key "listening-read") > weight',
        'elements[1] (key "feedback-listening") > questions[0] (key "acting-fixes") > answer_scale',
    ]
    assert problems[1].message == "level 0 is missing; the scale lists every level from 0 to 3 once"


def test_import_checks_wait_for_the_schema() -> None:
    """A schema error stops there: the import checks assume the file's shape."""

    def change(data: dict[str, Any]) -> None:
        data["elements"][1]["key"] = "feedback-listening"  # an import check would catch this
        data["format"] = 2

    _, problems = read_changed("three-levels.yaml", change)

    assert problems == [Problem("format", "1 was expected")]
