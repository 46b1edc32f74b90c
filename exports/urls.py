"""Cycle exports: ``cycles/<pk>/export/scores.csv``, ``.../answers.xlsx`` and so on."""

from __future__ import annotations

from django.urls import URLPattern, path, register_converter

from exports import views as export_views


class ExportFormatConverter:
    """``csv`` or ``xlsx``: the file extension is the format."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormatConverter, "export_format")

urlpatterns: list[URLPattern] = [
    path(
        "cycles/<int:pk>/export/scores.<export_format:format>",
        export_views.cycle_export_scores,
        name="cycle_export_scores",
    ),
    path(
        "cycles/<int:pk>/export/answers.<export_format:format>",
        export_views.cycle_export_answers,
        name="cycle_export_answers",
    ),
]
