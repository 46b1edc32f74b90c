"""Chart export: one warm Chromium per process, a restart and one retry on failure."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator

import plotly.graph_objects as go
import pytest

from reports import chart_export

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>ok</text></svg>'


class FakeServer:
    """Stands in for the kaleido browser; ``plan`` says what each started server does."""

    plan: list[str] = []
    started: list[FakeServer] = []

    def __init__(self, browser_path: str) -> None:
        self.browser_path = browser_path
        self.pid = os.getpid()
        self.behaviour = self.plan.pop(0) if self.plan else "draw"
        self.exports = 0
        self.closed = False
        FakeServer.started.append(self)
        if self.behaviour == "fail-to-start":
            raise RuntimeError("Chromium did not start")

    def export_svg(self, figure: go.Figure, options: dict[str, object]) -> str:
        self.exports += 1
        self.options = options
        if self.behaviour == "fail":
            raise RuntimeError("Chromium died")
        return '<?xml version="1.0" encoding="utf-8"?>\n' + SVG

    def export_svgs(self, figures: list[go.Figure], options: dict[str, object]) -> list[str]:
        self.batches = getattr(self, "batches", 0) + 1
        return [self.export_svg(figure, options) for figure in figures]

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeServer]]:
    chart_export.stop()
    monkeypatch.setattr(chart_export, "_KaleidoServer", FakeServer)
    FakeServer.plan = []
    FakeServer.started = []
    yield FakeServer
    chart_export.stop()


@pytest.fixture
def real_chromium() -> Iterator[None]:
    chart_export.stop()
    yield
    chart_export.stop()


def bar_figure(labels: list[str]) -> go.Figure:
    return go.Figure(go.Bar(x=labels, y=[3, 2.5, 4][: len(labels)]))


def test_svg_is_ready_to_inline(fake_server: type[FakeServer]) -> None:
    svg = chart_export.figure_to_svg(bar_figure(["A"]))
    assert svg == SVG


def test_strip_prolog_removes_declaration_doctype_and_comments() -> None:
    svg = (
        '<?xml version="1.0" standalone="no"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd">\n'
        "<!-- drawn by plotly -->\n" + SVG
    )
    assert chart_export.strip_prolog(svg) == SVG
    assert chart_export.strip_prolog(SVG) == SVG


def test_server_is_started_once_and_kept_warm(fake_server: type[FakeServer]) -> None:
    for labels in (["A"], ["A", "B"], ["A", "B", "C"]):
        chart_export.figure_to_svg(bar_figure(labels))
    assert len(fake_server.started) == 1
    assert fake_server.started[0].exports == 3
    assert fake_server.started[0].browser_path == chart_export.chromium_path()


def test_chromium_path_comes_from_settings(settings: object) -> None:
    settings.CHROMIUM_PATH = "/opt/chromium/chrome"  # type: ignore[attr-defined]
    assert chart_export.chromium_path() == "/opt/chromium/chrome"


def test_failed_export_restarts_chromium_and_retries_once(
    fake_server: type[FakeServer], caplog: pytest.LogCaptureFixture
) -> None:
    fake_server.plan = ["fail", "draw"]
    svg = chart_export.figure_to_svg(bar_figure(["A"]))
    assert svg == SVG
    first, second = fake_server.started
    assert first.closed
    assert not second.closed
    assert "restarting Chromium" in caplog.text


def test_chromium_that_fails_to_start_is_started_again(fake_server: type[FakeServer]) -> None:
    fake_server.plan = ["fail-to-start", "draw"]
    assert chart_export.figure_to_svg(bar_figure(["A"])) == SVG
    assert len(fake_server.started) == 2


def test_second_failure_raises_and_logs(
    fake_server: type[FakeServer], caplog: pytest.LogCaptureFixture
) -> None:
    fake_server.plan = ["fail", "fail"]
    with (
        caplog.at_level(logging.ERROR, logger="reports.chart_export"),
        pytest.raises(chart_export.ChartExportError, match="Chromium died"),
    ):
        chart_export.figure_to_svg(bar_figure(["A"]))
    assert all(server.closed for server in fake_server.started)
    assert [record.levelno for record in caplog.records if record.exc_info][-1] == logging.ERROR
    assert "failed again after restarting Chromium" in caplog.text
    # The next export starts afresh.
    assert chart_export.figure_to_svg(bar_figure(["A"])) == SVG
    assert len(fake_server.started) == 3


def test_stop_closes_the_server_and_the_next_export_starts_one(
    fake_server: type[FakeServer],
) -> None:
    chart_export.figure_to_svg(bar_figure(["A"]))
    chart_export.stop()
    assert fake_server.started[0].closed
    chart_export.stop()  # stopping twice is fine
    chart_export.figure_to_svg(bar_figure(["B"]))
    assert len(fake_server.started) == 2


def test_the_same_figure_at_the_same_size_is_drawn_once(fake_server: type[FakeServer]) -> None:
    for _ in range(3):
        assert chart_export.figure_to_svg(bar_figure(["A"]), width=600) == SVG
    assert fake_server.started[0].exports == 1
    # Another size, or other numbers, are drawn anew.
    chart_export.figure_to_svg(bar_figure(["A"]), width=400)
    chart_export.figure_to_svg(go.Figure(go.Bar(x=["A"], y=[4])), width=600)
    assert fake_server.started[0].exports == 3


def test_a_failed_drawing_is_not_kept(fake_server: type[FakeServer]) -> None:
    fake_server.plan = ["fail", "fail"]
    with pytest.raises(chart_export.ChartExportError):
        chart_export.figure_to_svg(bar_figure(["A"]))
    assert chart_export.figure_to_svg(bar_figure(["A"])) == SVG


@pytest.mark.slow
def test_real_export_is_inline_vector_svg_with_its_labels(real_chromium: None) -> None:
    svg = chart_export.figure_to_svg(bar_figure(["Strategy", "客户体验", "Colleagues"]))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    for label in ("Strategy", "客户体验", "Colleagues"):
        assert f">{label}</text>" in svg
    assert "<image" not in svg  # drawn, not a bitmap


@pytest.mark.slow
def test_real_export_recovers_when_chromium_is_killed(real_chromium: None) -> None:
    chart_export.figure_to_svg(bar_figure(["Before"]))
    server = chart_export._server
    assert server is not None
    # Kill the Chromium this test started, by its pid.
    os.kill(server._kaleido.subprocess.pid, signal.SIGKILL)
    server._kaleido.subprocess.wait(timeout=10)

    svg = chart_export.figure_to_svg(bar_figure(["After"]))
    assert ">After</text>" in svg
    assert chart_export._server is not server


@pytest.mark.usefixtures("cache_backend")
def test_charts_drawn_ahead_side_by_side_are_then_taken_from_the_cache(
    fake_server: type[FakeServer],
) -> None:
    figures = [bar_figure(["A"]), bar_figure(["A", "B"]), bar_figure(["A", "B", "C"])]
    chart_export.figure_to_svg(figures[0], width=600)  # already kept: not drawn again
    chart_export.draw_ahead(figures, width=600)
    server = fake_server.started[0]
    assert server.batches == 1
    assert server.exports == 3
    assert [chart_export.figure_to_svg(figure, width=600) for figure in figures] == [SVG] * 3
    assert server.exports == 3


def test_drawing_ahead_that_fails_leaves_each_chart_to_be_drawn_alone(
    fake_server: type[FakeServer], caplog: pytest.LogCaptureFixture
) -> None:
    fake_server.plan = ["fail", "draw"]
    figures = [bar_figure(["A"]), bar_figure(["B"])]
    chart_export.draw_ahead(figures)
    assert fake_server.started[0].closed
    assert "side by side failed" in caplog.text
    assert [chart_export.figure_to_svg(figure) for figure in figures] == [SVG, SVG]
    assert fake_server.started[1].exports == 2
