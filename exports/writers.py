"""A cycle's data for CX managers to take away: element scores and raw answers, as CSV or XLSX.

An export is a header and a lazy iterator of rows, read in a fixed number of
queries whatever the size of the cycle: the big query runs while the file
streams, so the rubric texts, status names and time zone are taken when the
export is made, in the request's language. ``csv_chunks`` writes CSV for a
StreamingHttpResponse; ``xlsx_file`` writes a workbook in openpyxl's
write-only mode.

Each row comes in parts: tuples of cells that many rows share (who answered,
the question, the choice) and, last, the row's own cells (the text answer,
the note, when it was saved). Shared parts are the same tuple each time, so
the CSV writer quotes each once: a cycle of 10,000 assessments has more
than half a million answers, and most of each line repeats a question
prompt and a choice label.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, TYPE_CHECKING, Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assessments.models import Answer, Assessment
from organisations.models import Cycle
from playbook.models import Choice, Question
from playbook.versions import Rubric, rubric_for_cycle
from results import selectors

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet


class StoredTime(str):
    """A date-time as the database gives it as text, in UTC: "2026-05-04 09:30:15[.123456…]".

    The answers export reads each answer's ``updated_at`` so: turning half a
    million timestamps into datetimes and back into text was a third of its
    time. Only a time zone other than UTC parses them.
    """

    def local(self, time_zone: datetime.tzinfo) -> datetime.datetime:
        """To the second, in ``time_zone``."""
        stored = datetime.datetime.fromisoformat(self[:19]).replace(tzinfo=datetime.UTC)
        return stored.astimezone(time_zone)

    def local_text(self, time_zone: datetime.tzinfo) -> str:
        """To the second, in ``time_zone``, as the CSV shows it: "2026-05-04 17:30:15"."""
        if time_zone is datetime.UTC or time_zone is _UTC_ZONE:
            return self[:19]
        return self.local(time_zone).isoformat(" ", "seconds")[:19]


_UTC_ZONE = zoneinfo.ZoneInfo("UTC")  # zoneinfo keeps one instance per key

Cell = str | int | Decimal | datetime.datetime | None
Part = tuple[Cell, ...]
Row = tuple[Part, ...]

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell starting with one of these as a formula; see
# https://owasp.org/www-community/attacks/CSV_Injection.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows per chunk of a streamed CSV: a write of a few hundred kilobytes, not one per row.
CSV_ROWS_PER_CHUNK = 1000
# The answers query reads this many rows at a time (a server-side cursor on PostgreSQL).
ANSWER_CHUNK_SIZE = 2000
# openpyxl writes some 100,000 cells a second: larger workbooks would outlast a
# web worker's timeout. CSV has no limit.
XLSX_MAX_ROWS = 50_000
_ONE_DECIMAL = Decimal("0.1")


@dataclass
class Export:
    kind: str  # "scores" or "answers": in the URL and the file name
    title: str  # the sheet's name
    header: list[str]
    rows: Iterator[Row]
    # Date-times are written in this time zone (the one active when the export was made).
    time_zone: datetime.tzinfo
    # How many rows there will be, in one query, without reading them.
    count_rows: Callable[[], int]

    def flat_rows(self) -> Iterator[list[Cell]]:
        """The rows as plain lists of cells, the parts joined."""
        for row in self.rows:
            yield [cell for part in row for cell in part]


def filename(cycle: Cycle, kind: str, extension: str) -> str:
    """E.g. ``acme-2026-h2-answers.csv``: organisation, cycle and kind, all slugs."""
    return f"{cycle.organisation.slug}-{cycle.slug}-{kind}.{extension}"


def _full_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


def _one_decimal(score: float | None) -> Decimal | None:
    if score is None:
        return None
    # Decimal(repr()) keeps 3.25 as 3.25, so it rounds half up to 3.3.
    return Decimal(repr(score)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def score_export(cycle: Cycle) -> Export:
    """One row per submitted assessment and element, scored as the results pages score it.

    Queries: the cycle's rubric (none to three), then, as the rows are read,
    the submitted assessments and their answers (two, through
    ``selectors.submitted_scores``) and who made them (one). Rows go by team,
    respondent and assessment, then in questionnaire order.
    """
    rubric = rubric_for_cycle(cycle)
    elements = [
        (element.key, (str(element.framework.name), element.key, str(element.name)))
        for element in rubric.elements
        if element.questions.all()
    ]

    submitted_assessments = Assessment.objects.filter(
        cycle=cycle, status=Assessment.Status.SUBMITTED
    )

    def rows() -> Iterator[Row]:
        submitted = selectors.submitted_scores(Assessment.objects.filter(cycle=cycle), rubric)
        # Read after the scores, so every assessment scored is found here (one
        # deleted in between is left out).
        made_by: dict[int, Part] = {
            pk: (
                cycle.organisation.name,
                team_name,
                cycle.name,
                username,
                _full_name(first_name, last_name),
            )
            for pk, team_name, username, first_name, last_name in submitted_assessments.values_list(
                "pk",
                "team__name",
                "respondent__username",
                "respondent__first_name",
                "respondent__last_name",
            )
        }
        submitted = sorted(
            (row for row in submitted if row.assessment_id in made_by),
            key=lambda row: _by_team_and_respondent(made_by[row.assessment_id], row),
        )
        for assessment in submitted:
            who = made_by[assessment.assessment_id]
            for element_key, element_part in elements:
                score = assessment.scores[element_key]
                yield (
                    who,
                    element_part,
                    (
                        _one_decimal(score.score),
                        score.level,
                        score.answered,
                        score.question_count,
                    ),
                )

    return Export(
        kind="scores",
        title=_("Scores"),
        header=[
            _("Organisation"),
            _("Team"),
            _("Cycle"),
            _("Respondent"),
            _("Full name"),
            _("Framework"),
            _("Element key"),
            _("Element"),
            _("Score"),
            _("Level"),
            _("Answered"),
            _("Asked"),
        ],
        rows=rows(),
        time_zone=timezone.get_current_timezone(),
        count_rows=lambda: len(elements) * submitted_assessments.count(),
    )


def _by_team_and_respondent(
    who: Part, assessment: selectors.SubmittedScores
) -> tuple[Cell, Cell, int]:
    _organisation, team_name, _cycle, username, _name = who
    return team_name, username, assessment.assessment_id


def _question_parts(rubric: Rubric) -> dict[int, tuple[int, Part]]:
    """Question id -> (position, (element key, question key, prompt)).

    From the cycle's rubric, else from the live one: answers to questions the
    cycle no longer asks (made inactive) come after the others.
    """
    parts: dict[int, tuple[int, Part]] = {
        question.pk: (position, (question.element.key, question.key, str(question.prompt)))
        for position, question in enumerate(rubric.questions.values())
    }
    others = Question.objects.exclude(pk__in=list(parts)).select_related("element")
    for position, question in enumerate(others, len(parts)):
        parts[question.pk] = (position, (question.element.key, question.key, str(question.prompt)))
    return parts


def _choice_parts(rubric: Rubric) -> dict[int | None, Part]:
    """Choice id -> (key, label, score), from the cycle's rubric, else the live one."""
    parts: dict[int | None, Part] = {
        choice.pk: (choice.key, str(choice.label), choice.score)
        for choice in Choice.objects.exclude(pk__in=list(rubric.choices))
    }
    for choice in rubric.choices.values():
        parts[choice.pk] = (choice.key, str(choice.label), choice.score)
    parts[None] = ("", "", None)  # a text answer, or a note alone
    return parts


def answer_export(cycle: Cycle) -> Export:
    """One row per answer of every assessment in the cycle, drafts included, with its note.

    Queries: the cycle's rubric (none to three) and the questions and choices
    it does not hold (two), then, as the rows are read, the cycle's
    assessments with their team and respondent (one) and their answers (one,
    fetched ``ANSWER_CHUNK_SIZE`` rows at a time). Rows go by team,
    respondent and assessment, then in questionnaire order.
    """
    rubric = rubric_for_cycle(cycle)
    questions = _question_parts(rubric)
    choices = _choice_parts(rubric)
    statuses = {value: str(label) for value, label in Assessment.Status.choices}
    answers = Answer.objects.filter(assessment__cycle=cycle)

    def rows() -> Iterator[Row]:
        made_by: dict[int, Part] = {
            pk: (team_name, username, _full_name(first_name, last_name), statuses[status])
            for pk, team_name, username, first_name, last_name, status in Assessment.objects.filter(
                cycle=cycle
            ).values_list(
                "pk",
                "team__name",
                "respondent__username",
                "respondent__first_name",
                "respondent__last_name",
                "status",
            )
        }
        # Who answered comes from the query above: the same text on every row
        # of an assessment is cheaper read once than joined to each answer.
        ordered = answers.order_by(
            "assessment__team__name", "assessment__respondent__username", "assessment_id"
        ).values_list(
            "assessment_id",
            "question_id",
            "choice_id",
            "text",
            "note",
            Cast("updated_at", output_field=CharField()),
        )
        current_assessment = None
        who: Part | None = None
        one_assessment: list[tuple[int, Row]] = []
        for assessment_id, question_id, choice_id, text, note, updated_at in ordered.iterator(
            chunk_size=ANSWER_CHUNK_SIZE
        ):
            if assessment_id != current_assessment:
                yield from _in_question_order(one_assessment)
                current_assessment, one_assessment = assessment_id, []
                # None: started after the assessments were read (and so left out).
                who = made_by.get(assessment_id)
            if who is None:
                continue
            position, question = questions[question_id]
            one_assessment.append(
                (
                    position,
                    (who, question, choices[choice_id], (text, note, StoredTime(updated_at))),
                )
            )
        yield from _in_question_order(one_assessment)

    return Export(
        kind="answers",
        title=_("Answers"),
        header=[
            _("Team"),
            _("Respondent"),
            _("Full name"),
            _("Status"),
            _("Element key"),
            _("Question key"),
            _("Question"),
            _("Choice key"),
            _("Choice"),
            _("Score"),
            _("Text answer"),
            _("Note"),
            _("Last saved"),
        ],
        rows=rows(),
        time_zone=timezone.get_current_timezone(),
        count_rows=answers.count,
    )


def _in_question_order(answers: list[tuple[int, Row]]) -> Iterator[Row]:
    answers.sort(key=lambda answer: answer[0])
    for _position, row in answers:
        yield row


class _Echo:
    """A pseudo-buffer: csv.writer's ``writerow`` returns the line instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_cell(value: Cell, time_zone: datetime.tzinfo) -> Cell:
    if type(value) is StoredTime:
        return value.local_text(time_zone)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, datetime.datetime):
        return value.astimezone(time_zone).isoformat(" ", "seconds")[:19]
    return value  # csv.writer writes None as an empty cell


def csv_chunks(export: Export) -> Iterator[bytes]:
    """The export as UTF-8 CSV with a byte order mark (so Excel reads Chinese), in chunks.

    Text a spreadsheet would run as a formula gets a leading single quote.
    """
    writer = csv.writer(_Echo())
    time_zone = export.time_zone

    def line(cells: Sequence[Cell]) -> str:
        return writer.writerow([_csv_cell(value, time_zone) for value in cells])

    yield codecs.BOM_UTF8 + line(export.header).encode()
    shared: dict[Part, str] = {}
    lines: list[str] = []
    for *parts, own in export.rows:
        fragments = []
        for part in parts:
            fragment = shared.get(part)
            if fragment is None:
                fragment = shared[part] = line(part).removesuffix(writer.dialect.lineterminator)
            fragments.append(fragment)
        fragments.append(line(own))
        lines.append(",".join(fragments))
        if len(lines) == CSV_ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell, time_zone: datetime.tzinfo) -> Any:
    if type(value) is StoredTime:
        value = value.local(time_zone)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local time, as on the site.
        return value.astimezone(time_zone).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(("=", "#")):
        # openpyxl would store these as a formula or an error value: keep them text.
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"
        return cell
    return text


def xlsx_file(export: Export) -> IO[bytes]:
    """The export as a workbook of one sheet, in a temporary file ready to read."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in export.header:
        cell = WriteOnlyCell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in export.flat_rows():
        sheet.append([_xlsx_cell(sheet, value, export.time_zone) for value in row])
    # Left open for the caller: FileResponse streams it and closes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return file
