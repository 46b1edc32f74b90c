"""Cycle exports for CX managers: element scores and raw answers, as CSV or XLSX downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exports import writers
from organisations.access import get_cycle_for_manager
from organisations.models import Cycle


def _csv_download(export: writers.Export, name: str) -> StreamingHttpResponse:
    # Streamed: a large cycle's answers start arriving at once and never sit in memory.
    response = StreamingHttpResponse(
        writers.csv_chunks(export), content_type=writers.CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _xlsx_download(
    request: HttpRequest, cycle: Cycle, export: writers.Export, name: str
) -> HttpResponseBase:
    rows = export.count_rows()
    if rows > writers.XLSX_MAX_ROWS:
        message = _(
            "This export has %(rows)s rows, more than an XLSX download can hold "
            "(%(limit)s). Download it as CSV: Excel opens that too."
        ) % {
            "rows": number_format(rows, force_grouping=True),
            "limit": number_format(writers.XLSX_MAX_ROWS, force_grouping=True),
        }
        messages.error(request, message)
        return redirect("cycle_overview", pk=cycle.pk)
    return FileResponse(
        writers.xlsx_file(export),
        as_attachment=True,
        filename=name,
        content_type=writers.XLSX_CONTENT_TYPE,
    )


def _download(
    request: HttpRequest, cycle: Cycle, export: writers.Export, format: str
) -> HttpResponseBase:
    name = writers.filename(cycle, export.kind, format)
    if format == "xlsx":
        return _xlsx_download(request, cycle, export, name)
    return _csv_download(export, name)


# GET only: an export may read the whole cycle, so HEAD does not get to run it for nothing.
@require_GET
@login_required
def cycle_export_scores(request: HttpRequest, pk: int, format: str) -> HttpResponseBase:
    cycle = get_cycle_for_manager(request, pk)
    return _download(request, cycle, writers.score_export(cycle), format)


@require_GET
@login_required
def cycle_export_answers(request: HttpRequest, pk: int, format: str) -> HttpResponseBase:
    cycle = get_cycle_for_manager(request, pk)
    return _download(request, cycle, writers.answer_export(cycle), format)
