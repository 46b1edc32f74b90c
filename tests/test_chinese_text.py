"""Chinese text reads as Chinese: full-width punctuation, 您 throughout, "第 4 级".

Checked where the words come from (the project's catalog, the shipped rubric and
fixtures, the Chinese literals in the code) and where the user meets them (pages,
a PDF action plan, the admin).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from assessments.models import Assessment
from dashboard.organisation_plan import organisation_result, render_organisation_plan
from organisations.models import Cycle
from playbook.models import Element, Level
from reports import chart_export, pdf
from results.selectors import assessment_result
from tests.conftest import World, logged_in
from tests.reports.test_pdf import ANSWERS, fake_svg, pdf_text
from tests.results.test_results import results_url, submitted

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Python packages whose string literals may be Chinese (tests and migrations aside).
CODE_PACKAGES = [
    "cxmaturity",
    "playbook",
    "organisations",
    "assessments",
    "results",
    "action_items",
    "reports",
    "dashboard",
    "exports",
    "demo",
]

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Han characters and the CJK and full-width punctuation around them.
CJK = f"{HAN}\u3000-\u303f\uff00-\uffef"
ASCII_PUNCTUATION = ":(),;?!"
ASCII_NEXT_TO_CJK = re.compile(
    f"[{CJK}][ \t]*[{re.escape(ASCII_PUNCTUATION)}]|[{re.escape(ASCII_PUNCTUATION)}][ \t]*[{CJK}]"
)
# What may carry ASCII punctuation inside Chinese text: gettext and format
# placeholders, Django and Jinja2 template syntax, addresses.
NOT_PROSE = re.compile(r"%\(\w+\)[sdf]|%\{\w+\}|\{\{.*?\}\}|\{%.*?%\}|\{\w*\}|https?://\S+|<[^>]*>")
# "第 4 级", "第 %(level)s 级": the number stands apart. Between 第 and 级 no Han
# character but a range's 至 ("第 2 至 4 级", which is written "第 2 级至第 4 级").
LEVEL = re.compile(f"第(?:[^{HAN}]|至)*?级")
LEVEL_WELL_WRITTEN = re.compile(r"第 \S+ 级")
# A level number with no 第 before it ("2.49 为 2 级").
LEVEL_WITHOUT_DI = re.compile(r"(?<!第 )(?<!第)(?:\d|%\(\w+\)[sd])[ \t]*级")


def has_han(text: str) -> bool:
    return re.search(f"[{HAN}]", text) is not None


def ascii_punctuation_problems(texts: Iterable[str]) -> list[str]:
    return [text for text in texts if ASCII_NEXT_TO_CJK.search(NOT_PROSE.sub("", text)) is not None]


def informal_address_problems(texts: Iterable[str]) -> list[str]:
    return [text for text in texts if "你" in text]


def level_problems(texts: Iterable[str]) -> list[str]:
    return [
        text
        for text in texts
        if any(not LEVEL_WELL_WRITTEN.fullmatch(found) for found in LEVEL.findall(text))
        or LEVEL_WITHOUT_DI.search(text)
    ]


def assert_reads_as_chinese(texts: Iterable[str]) -> None:
    chinese = [text for text in texts if has_han(text)]
    assert chinese
    for problem, found in [
        ("ASCII punctuation next to Chinese", ascii_punctuation_problems(chinese)),
        ("你 instead of 您", informal_address_problems(chinese)),
        ("a level not written 第 N 级", level_problems(chinese)),
    ]:
        assert found == [], f"{problem}:\n" + "\n".join(found)


# Where the words come from.


def catalog_translations(path: Path) -> list[str]:
    """Every msgstr of a PO file, continuation lines joined, escapes decoded."""
    translations: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        rest = line.partition(" ")[2]
        if line.startswith("msgstr"):
            current = [ast.literal_eval(rest)]
            translations.append("")
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            current = None
            continue
        translations[-1] = "".join(current)
    return [text for text in translations if text]


def fixture_chinese_texts() -> Iterator[str]:
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            for name, value in row["fields"].items():
                if name.endswith("_zh_hans") and isinstance(value, str) and value:
                    yield value


def code_chinese_literals() -> Iterator[str]:
    for package in CODE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and has_han(node.value)
                    and not _is_docstring_like(node.value)
                ):
                    yield node.value


def _is_docstring_like(text: str) -> bool:
    """Docstrings and comments quoting Chinese in English prose are not shown to anyone."""
    return len(re.findall(r"[A-Za-z]{3,}", text)) > 3


def test_the_catalog_reads_as_chinese() -> None:
    translations = catalog_translations(CATALOG)
    assert "第 %(level)s 级：%(name)s" in translations
    assert_reads_as_chinese(translations)


def test_the_catalog_names_the_level_one_way() -> None:
    """A level is 等级 (and 第 N 级), never 级别 or 层级."""
    translations = catalog_translations(CATALOG)
    assert [text for text in translations if "级别" in text or "层级" in text] == []


def test_the_shipped_rubric_and_fixtures_read_as_chinese() -> None:
    texts = list(fixture_chinese_texts())
    assert len(texts) > 500
    assert_reads_as_chinese(texts)


def test_chinese_in_the_code_reads_as_chinese() -> None:
    literals = list(code_chinese_literals())
    assert "每周我们会一起回顾客户反馈，并决定下一步改进。" in literals  # the demo's reflection
    assert_reads_as_chinese(literals)


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("结果 (已回答 3/10)", ascii_punctuation_problems),
        ("导出: 得分", ascii_punctuation_problems),
        ("同理心, 沟通", ascii_punctuation_problems),
        ("帮助你看清组织", informal_address_problems),
        ("2.49 为 2 级", level_problems),
        ("迈入了第2级", level_problems),
        ("第 2 至 4 级", level_problems),
    ],
)
def test_the_checks_find_what_they_look_for(text: str, check: object) -> None:
    assert callable(check)
    assert check([text]) == [text]


def test_the_checks_let_placeholders_and_symbols_be() -> None:
    texts = [
        "第 %(level)s 级：%(name)s",
        "%(element)s（第 %(lowest)s 级至第 %(highest)s 级）",
        "请登录完成并提交评估：%(site_url)s",
        "“!”表示答卷人之间相差两级或以上。",
        "只能包含字母、数字和 @/./+/-/_。",
        "已输入 {count} 个字符，上限 {max} 个",
    ]
    assert ascii_punctuation_problems(texts) == []
    assert level_problems(texts) == []


# Where the user meets them.


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and labels."""

    LABELS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        for name, value in attrs:
            if name in self.LABELS and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(client: Client, url: str) -> list[str]:
    response = client.get(url, headers={"accept-language": "zh-hans"})
    assert response.status_code == 200
    parser = VisibleText()
    parser.feed(response.content.decode())
    return parser.texts


@pytest.fixture
def chinese_element_names(world: World) -> None:
    """Element names all in Chinese, as the shipped rubric's are (the test rubric's end in keys)."""
    for element, name in zip(Element.objects.order_by("order"), ["同理心", "一致性"], strict=False):
        element.name_zh_hans = name
        element.save()


@pytest.fixture(autouse=True)
def _charts_without_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_export, "figure_to_svg", fake_svg)


def test_results_page_reads_as_chinese(world: World, chinese_element_names: None) -> None:
    assessment = submitted(world, world.lead, ANSWERS)

    texts = visible_texts(logged_in(world.lead), results_url(assessment))

    assert "同理心" in texts
    assert_reads_as_chinese(texts)


def test_section_page_reads_as_chinese(world: World, chinese_element_names: None) -> None:
    draft = Assessment.objects.create(team=world.alpha, cycle=world.cycle, respondent=world.lead)
    submitted(world, world.lead2, ANSWERS, team=world.beta)
    client = logged_in(world.lead)

    section = visible_texts(client, reverse("assessment_section", args=[draft.pk, 1]))
    home = visible_texts(client, reverse("home"))

    assert "清除回答" in section
    assert_reads_as_chinese(section)
    assert_reads_as_chinese(home)


def test_dashboard_reads_as_chinese(world: World, chinese_element_names: None) -> None:
    submitted(world, world.lead, ANSWERS)
    submitted(world, world.lead2, ANSWERS, team=world.beta)

    texts = visible_texts(logged_in(world.manager), reverse("dashboard", args=[world.acme.pk]))

    assert_reads_as_chinese(texts)


def test_chinese_action_plan_pdf_reads_as_chinese(
    world: World, chinese_element_names: None
) -> None:
    result = assessment_result(submitted(world, world.lead, ANSWERS))

    text = pdf_text(pdf.render_action_plan(result, language="zh-hans"))

    assert "第 3 级" in text
    # The PDF's text runs together: check it a sentence at a time.
    assert_reads_as_chinese(re.split(r"(?<=[。！？])", text))


def test_chinese_organisation_plan_pdf_reads_as_chinese(
    world: World, chinese_element_names: None
) -> None:
    submitted(world, world.lead, ANSWERS)
    submitted(world, world.lead2, ANSWERS, team=world.beta)
    cycle = Cycle.objects.select_related("organisation").get(pk=world.cycle.pk)

    text = pdf_text(render_organisation_plan(organisation_result(cycle), language="zh-hans"))

    assert "同理心" in text
    assert_reads_as_chinese(re.split(r"(?<=[。！？])", text))


# The admin, django-tasks-db's part included.


def test_background_tasks_admin_is_chinese_in_chinese(world: World) -> None:
    DBTaskResult.objects.create(
        task_path="reports.tasks.prepare_action_plan",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        enqueued_at=timezone.now(),
    )
    admin = logged_in(world.admin)

    index = visible_texts(admin, reverse("admin:index"))
    changelist = visible_texts(
        admin, reverse("admin:django_tasks_database_dbtaskresult_changelist")
    )
    english = admin.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert "后台任务" in index
    assert "任务结果" in index
    for label in ("任务名称", "状态", "入队时间", "开始时间", "完成时间", "优先级", "队列名称"):
        assert label in changelist, label
    assert "就绪" in changelist  # the task's status, from Django's own catalog
    assert "prepare_action_plan" in changelist
    for english_label in ("Task name", "Task Results", "Enqueued at", "Ready"):
        assert english_label not in changelist
        assert english_label in english.content.decode()
    assert_reads_as_chinese(index + changelist)


def test_rubric_admin_names_each_language_of_a_field_in_chinese(world: World) -> None:
    level = Level.objects.get(element__key="alpha-element", number=3)

    texts = visible_texts(
        logged_in(world.admin), reverse("admin:playbook_level_change", args=[level.pk])
    )

    # The field's language in full-width brackets, Django's label suffix a full-width colon.
    assert "名称（中文）：" in texts
    assert "名称（英文）：" in texts
    assert_reads_as_chinese(texts)
