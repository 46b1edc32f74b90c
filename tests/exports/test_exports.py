"""Cycle exports: CX managers download scores and raw answers as CSV or XLSX."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment
from exports import writers
from organisations.models import Cycle
from playbook.models import Choice, Question
from playbook.versions import rubric_version_for
from tests import factories
from tests.conftest import World, logged_in

SAVED_AT = datetime.datetime(2026, 5, 4, 9, 30, 15, tzinfo=datetime.UTC)
SCORES_HEADER = [
    "Organisation",
    "Team",
    "Cycle",
    "Respondent",
    "Full name",
    "Framework",
    "Element key",
    "Element",
    "Score",
    "Level",
    "Answered",
    "Asked",
]
ANSWERS_HEADER = [
    "Team",
    "Respondent",
    "Full name",
    "Status",
    "Element key",
    "Question key",
    "Question",
    "Choice key",
    "Choice",
    "Score",
    "Text answer",
    "Note",
    "Last saved",
]


def export_url(kind: str, cycle: Cycle, format: str) -> str:
    return reverse(f"cycle_export_{kind}", kwargs={"pk": cycle.pk, "format": format})


def answer(
    assessment: Assessment, question_key: str, choice_key: str = "", text: str = "", note: str = ""
) -> Answer:
    question = Question.objects.get(key=question_key)
    choice = Choice.objects.get(question=question, key=choice_key) if choice_key else None
    return Answer.objects.create(
        assessment=assessment, question=question, choice=choice, text=text, note=note
    )


@pytest.fixture
def answered(world: World) -> World:
    """lead (alpha) submitted both elements; lead2 (beta) has a draft with awkward notes."""
    world.lead.first_name, world.lead.last_name = "Ada", "Lovelace"
    world.lead.save()
    submitted = Assessment.objects.create(
        team=world.alpha,
        cycle=world.cycle,
        respondent=world.lead,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    answer(submitted, "alpha-element-level", "level-3", note="Mostly there, 大致如此.")
    answer(submitted, "alpha-element-agree", "agree")  # (3 + 4) / 2 = 3.5, level 4
    answer(submitted, "alpha-element-reflect", text="We listen to customers. 我们倾听客户。")
    answer(submitted, "beta-element-level", "level-2")
    answer(submitted, "beta-element-agree", "not-sure")  # 1 of 2 answered: 2.0, level 2
    draft = Assessment.objects.create(team=world.beta, cycle=world.cycle, respondent=world.lead2)
    answer(draft, "alpha-element-level", "level-1", note='=HYPERLINK("http://evil")')
    answer(draft, "alpha-element-reflect", text="+1 from us", note="@SUM(A1:A2)")
    answer(draft, "beta-element-agree", note="- just a note")
    # Another cycle and another organisation: never in this cycle's writers.
    other_cycle = factories.make_cycle(world.acme, [world.framework], name="2025", slug="2025")
    answer(
        Assessment.objects.create(team=world.alpha, cycle=other_cycle, respondent=world.lead),
        "alpha-element-level",
        "level-5",
    )
    answer(
        Assessment.objects.create(
            team=world.gamma, cycle=world.globex_cycle, respondent=world.other_lead
        ),
        "alpha-element-level",
        "level-5",
    )
    Answer.objects.update(updated_at=SAVED_AT)
    return world


def content(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse), type(response)
    return response.getvalue()


def csv_rows(response: Any) -> list[list[str]]:
    body = content(response)
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_rows(response: Any) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content(response)))
    (sheet,) = workbook.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_scores_csv_has_a_row_per_submitted_assessment_and_element(
    manager_client: Client, answered: World
) -> None:
    response = manager_client.get(export_url("scores", answered.cycle, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [
        SCORES_HEADER,
        [
            "Acme",
            "Alpha support",
            "2026 H2",
            "lead",
            "Ada Lovelace",
            "Test framework",
            "alpha-element",
            "Element alpha-element",
            "3.5",
            "4",
            "2",
            "2",
        ],
        [
            "Acme",
            "Alpha support",
            "2026 H2",
            "lead",
            "Ada Lovelace",
            "Test framework",
            "beta-element",
            "Element beta-element",
            "2.0",
            "2",
            "1",
            "2",
        ],
    ]


def test_scores_leave_score_and_level_empty_without_enough_answers(
    manager_client: Client, world: World
) -> None:
    assessment = Assessment.objects.create(
        team=world.beta,
        cycle=world.cycle,
        respondent=world.lead2,
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    answer(assessment, "alpha-element-level", "not-sure")

    rows = csv_rows(manager_client.get(export_url("scores", world.cycle, "csv")))

    assert [row[6:] for row in rows[1:]] == [
        ["alpha-element", "Element alpha-element", "", "", "0", "2"],
        ["beta-element", "Element beta-element", "", "", "0", "2"],
    ]


@pytest.mark.parametrize(
    ("time_zone", "shown"),
    [("UTC", "2026-05-04 09:30:15"), ("Asia/Shanghai", "2026-05-04 17:30:15")],
)
def test_answers_csv_shows_when_each_answer_was_saved_to_the_second(
    manager_client: Client, answered: World, settings: Any, time_zone: str, shown: str
) -> None:
    """Saved times come from the database as text; both files show them to the second
    (microseconds dropped, not rounded), in the site's time zone."""
    Answer.objects.update(updated_at=SAVED_AT.replace(microsecond=987654))
    settings.TIME_ZONE = time_zone

    rows = csv_rows(manager_client.get(export_url("answers", answered.cycle, "csv")))
    xlsx = xlsx_rows(manager_client.get(export_url("answers", answered.cycle, "xlsx")))

    assert {row[-1] for row in rows[1:]} == {shown}
    assert {row[-1] for row in xlsx[1:]} == {datetime.datetime.fromisoformat(shown)}


def test_answers_csv_has_a_row_per_answer_with_notes(
    manager_client: Client, answered: World, settings: Any
) -> None:
    settings.TIME_ZONE = "Asia/Shanghai"

    rows = csv_rows(manager_client.get(export_url("answers", answered.cycle, "csv")))

    saved = "2026-05-04 17:30:15"  # SAVED_AT in Shanghai
    lead = ["Alpha support", "lead", "Ada Lovelace", "Submitted"]
    lead2 = ["Beta logistics", "lead2", "", "In progress"]
    assert rows == [
        ANSWERS_HEADER,
        [
            *lead,
            "alpha-element",
            "alpha-element-level",
            "Where is alpha-element?",
            "level-3",
            "alpha-element at level 3",
            "3",
            "",
            "Mostly there, 大致如此.",
            saved,
        ],
        [
            *lead,
            "alpha-element",
            "alpha-element-agree",
            "We do alpha-element well.",
            "agree",
            "Agree",
            "4",
            "",
            "",
            saved,
        ],
        [
            *lead,
            "alpha-element",
            "alpha-element-reflect",
            "Reflect on alpha-element.",
            "",
            "",
            "",
            "We listen to customers. 我们倾听客户。",
            "",
            saved,
        ],
        [
            *lead,
            "beta-element",
            "beta-element-level",
            "Where is beta-element?",
            "level-2",
            "beta-element at level 2",
            "2",
            "",
            "",
            saved,
        ],
        [
            *lead,
            "beta-element",
            "beta-element-agree",
            "We do beta-element well.",
            "not-sure",
            "Not sure",
            "",
            "",
            "",
            saved,
        ],
        [
            *lead2,
            "alpha-element",
            "alpha-element-level",
            "Where is alpha-element?",
            "level-1",
            "alpha-element at level 1",
            "1",
            "",
            '\'=HYPERLINK("http://evil")',
            saved,
        ],
        [
            *lead2,
            "alpha-element",
            "alpha-element-reflect",
            "Reflect on alpha-element.",
            "",
            "",
            "",
            "'+1 from us",
            "'@SUM(A1:A2)",
            saved,
        ],
        [
            *lead2,
            "beta-element",
            "beta-element-agree",
            "We do beta-element well.",
            "",
            "",
            "",
            "",
            "'- just a note",
            saved,
        ],
    ]


def test_exports_use_the_chinese_rubric_in_chinese(manager_client: Client, answered: World) -> None:
    scores = csv_rows(
        manager_client.get(
            export_url("scores", answered.cycle, "csv"), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )
    answers = csv_rows(
        manager_client.get(
            export_url("answers", answered.cycle, "csv"), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    )

    assert scores[0][1:3] == ["团队", "评估周期"]
    assert scores[1][5:8] == ["测试框架", "alpha-element", "要素 alpha-element"]
    assert answers[1][3] == "已提交"
    assert answers[1][6:9] == ["alpha-element 在哪里？", "level-3", "alpha-element 第 3 级"]
    assert answers[-1][3] == "进行中"


def test_answers_show_the_rubric_the_cycle_pinned(manager_client: Client, answered: World) -> None:
    answered.cycle.rubric_version = rubric_version_for(answered.cycle.frameworks.all())
    answered.cycle.save()
    Question.objects.filter(key="alpha-element-level").update(prompt_en="Edited later?")

    rows = csv_rows(manager_client.get(export_url("answers", answered.cycle, "csv")))

    assert rows[1][5:7] == ["alpha-element-level", "Where is alpha-element?"]


@pytest.mark.parametrize(
    ("kind", "header", "rows"),
    [
        ("scores", SCORES_HEADER, 2),
        ("answers", ANSWERS_HEADER, 8),
    ],
)
def test_xlsx_opens_with_the_same_rows(
    manager_client: Client, answered: World, kind: str, header: list[str], rows: int
) -> None:
    response = manager_client.get(export_url(kind, answered.cycle, "xlsx"))

    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="acme-2026-h2-{kind}.xlsx"'
    sheet_rows = xlsx_rows(response)
    assert sheet_rows[0] == header
    assert len(sheet_rows) == 1 + rows


def test_xlsx_keeps_types_and_writes_formulas_as_text(
    manager_client: Client, answered: World
) -> None:
    scores = xlsx_rows(manager_client.get(export_url("scores", answered.cycle, "xlsx")))
    response = manager_client.get(export_url("answers", answered.cycle, "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).worksheets[0]

    assert scores[1][8:] == [3.5, 4, 2, 2]
    assert sheet.cell(row=2, column=10).value == 3
    # UTC, the tests' time zone; Excel has none.
    assert sheet.cell(row=2, column=13).value == datetime.datetime(2026, 5, 4, 9, 30, 15)
    # A text cell shows what was typed and is never run (a formula cell would read "=...").
    note = sheet.cell(row=7, column=12)
    assert (note.value, note.data_type) == ('=HYPERLINK("http://evil")', "s")
    assert sheet.cell(row=8, column=11).value == "+1 from us"


def test_xlsx_too_large_for_a_worker_sends_the_manager_to_the_csv(
    manager_client: Client, answered: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 5)

    refused = manager_client.get(export_url("answers", answered.cycle, "xlsx"), follow=True)
    scores = manager_client.get(export_url("scores", answered.cycle, "xlsx"))

    assert refused.redirect_chain == [(reverse("cycle_overview", args=[answered.cycle.pk]), 302)]
    assert "This export has 8 rows, more than an XLSX download can hold (5)." in (
        refused.content.decode()
    )
    assert len(xlsx_rows(scores)) == 1 + 2  # 2 rows: within the limit


@pytest.mark.parametrize("kind", ["scores", "answers"])
def test_csv_streams_as_a_named_attachment(
    manager_client: Client, answered: World, kind: str
) -> None:
    response = manager_client.get(export_url(kind, answered.cycle, "csv"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="acme-2026-h2-{kind}.csv"'


@pytest.mark.parametrize("kind", ["scores", "answers"])
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_only_the_organisations_managers_may_export(
    answered: World, kind: str, format: str
) -> None:
    globex_manager = factories.make_user("globex_manager")
    factories.make_manager(globex_manager, answered.globex)
    url = export_url(kind, answered.cycle, format)

    assert logged_in(answered.manager).get(url).status_code == 200
    for user in (
        answered.lead,
        answered.lead2,
        answered.other_lead,
        answered.outsider,
        globex_manager,
    ):
        assert logged_in(user).get(url).status_code == 404, user.username
    # A manager gets nothing from another organisation's cycle either.
    other = export_url(kind, answered.globex_cycle, format)
    assert logged_in(answered.manager).get(other).status_code == 404
    login = Client().get(url)
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("kind", ["scores", "answers"])
def test_exports_answer_get_only(manager_client: Client, answered: World, kind: str) -> None:
    url = export_url(kind, answered.cycle, "csv")

    assert manager_client.post(url).status_code == 405
    assert manager_client.head(url).status_code == 405


def test_unknown_formats_are_not_found(manager_client: Client, answered: World) -> None:
    url = export_url("answers", answered.cycle, "csv").removesuffix(".csv") + ".pdf"

    assert manager_client.get(url).status_code == 404


def bulk_submitted(world: World, count: int, *, first: int = 0) -> None:
    """``count`` more submitted assessments in the open cycle, every question answered."""
    teams = [world.alpha, world.beta]
    respondents = User.objects.bulk_create(
        User(username=f"respondent-{number}", last_name=f"{number} 号")
        for number in range(first, first + count)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            team=teams[number % 2],
            cycle=world.cycle,
            respondent=respondent,
            status=Assessment.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for number, respondent in enumerate(respondents)
    )
    questions = list(Question.objects.prefetch_related("choices"))
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question=question,
            choice=question.choices.all()[1] if question.is_scored else None,
            text="" if question.is_scored else "=1+1",
            note="Note 备注",
        )
        for assessment in assessments
        for question in questions
    )


def queries_and_rows(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(url))
    return len(queries), len(rows) - 1


@pytest.mark.parametrize(("kind", "rows_per_assessment"), [("scores", 2), ("answers", 6)])
def test_exports_use_a_fixed_number_of_queries(
    world: World, kind: str, rows_per_assessment: int
) -> None:
    url = export_url(kind, world.cycle, "csv")
    bulk_submitted(world, 20)
    queries, rows = queries_and_rows(logged_in(world.manager), url)
    assert rows == 20 * rows_per_assessment
    assert queries <= 12

    bulk_submitted(world, 180, first=20)

    assert queries_and_rows(logged_in(world.manager), url) == (queries, 200 * rows_per_assessment)
