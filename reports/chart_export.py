"""Plotly figures as SVG text, drawn by kaleido in the system Chromium.

PDFs need static charts (WeasyPrint runs no JavaScript), and starting Chromium
costs seconds, so each process keeps one Chromium warm: started on the first
export (in the task worker already at its start: ``warm_up``, called from
``reports.apps``), reused after, closed by ``stop()`` (at exit).

Each drawing is kept in Django's cache under a hash of the figure, the size
and the plotly and kaleido versions: a plan prepared again with the same
numbers (new action items, edited guidance) draws no chart twice. A plan's
charts are drawn side by side in two tabs first (``draw_ahead``), then taken
one by one from the cache.

Exports are serialised with a lock: one kaleido browser must not be driven from
two threads at once. When an export fails (Chromium died, hung or never
started), Chromium is restarted and the export tried once more; if that fails
too, ``ChartExportError`` is raised and the caller goes on without the chart.

We run kaleido's browser on an event-loop thread of our own rather than through
``kaleido.start_sync_server()``: that server's calls wait without a time limit
and hang for good once its thread has died (a Chromium that fails to start
kills it), and ``plotly.io.to_image`` elsewhere in the process would share it
without our lock.

Tests replace ``figure_to_svg`` (or ``_KaleidoServer``) with a fake; only tests
marked ``slow`` start a real Chromium.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

import plotly.graph_objects as go
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
# A chart takes about 0.2 s warm; anything near these limits means Chromium is stuck.
EXPORT_TIMEOUT_SECONDS = 30.0
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
# Drawn charts are kept this long in the cache (they never go stale: see figure_to_svg).
SVG_CACHE_SECONDS = 24 * 60 * 60
# Browser tabs for draw_ahead: with two, a plan's four charts took 0.5 s instead of 0.7 s.
TABS = 2

# Whatever precedes the <svg> element (an XML declaration, a doctype, comments)
# is not allowed inside HTML.
_SVG_PROLOG = re.compile(r"\A.*?(?=<svg[\s>])", re.DOTALL)

# kaleido and choreographer log every tab and render at INFO; keep them to
# warnings unless the project's LOGGING says otherwise.
_CHATTY_LOGGERS = ("kaleido", "choreographer", "browser_proc")

T = TypeVar("T")


class ChartExportError(Exception):
    """A figure could not be drawn as SVG, even after restarting Chromium."""


def chromium_path() -> str:
    """``settings.CHROMIUM_PATH``, else the ``BROWSER_PATH`` environment variable, else Debian's."""
    return (
        getattr(settings, "CHROMIUM_PATH", None)
        or os.environ.get("BROWSER_PATH")
        or DEFAULT_CHROMIUM_PATH
    )


class _KaleidoServer:
    """One kaleido browser, driven from an event loop on a thread of its own."""

    def __init__(self, browser_path: str) -> None:
        _quiet_browser_logs()
        self.pid = os.getpid()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="kaleido-chart-export", daemon=True
        )
        self._thread.start()
        self._kaleido: Any = None
        try:
            self._kaleido = self._run(self._open(browser_path), START_TIMEOUT_SECONDS)
        except BaseException:
            self._stop_loop()
            raise

    def export_svg(self, figure: go.Figure, options: dict[str, Any]) -> str:
        svg = self._run(self._kaleido.calc_fig(figure, opts=options), EXPORT_TIMEOUT_SECONDS)
        return svg.decode() if isinstance(svg, bytes) else str(svg)

    def export_svgs(self, figures: list[go.Figure], options: dict[str, Any]) -> list[str]:
        """Several figures at once, in the browser's tabs side by side."""

        async def gather() -> list[Any]:
            return await asyncio.gather(
                *(self._kaleido.calc_fig(figure, opts=options) for figure in figures)
            )

        return [
            svg.decode() if isinstance(svg, bytes) else str(svg)
            for svg in self._run(gather(), EXPORT_TIMEOUT_SECONDS)
        ]

    def close(self) -> None:
        try:
            if self._kaleido is not None:
                self._run(self._kaleido.close(), STOP_TIMEOUT_SECONDS)
        finally:
            self._stop_loop()

    @staticmethod
    async def _open(browser_path: str) -> Any:
        # Imported here: importing kaleido looks for plotly.js and Chrome settings,
        # which only the processes that draw charts need.
        import kaleido

        # No MathJax: it would come from a CDN, and there is no network at run time.
        browser = kaleido.Kaleido(
            path=browser_path, mathjax=False, timeout=EXPORT_TIMEOUT_SECONDS, n=TABS
        )
        try:
            await browser.open()
        except BaseException:
            # A Chromium that started but did not answer must not be left running.
            try:
                await browser.close()
            except Exception:
                logger.debug("Closing a Chromium that failed to start failed too", exc_info=True)
            raise
        return browser

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _stop_loop(self) -> None:
        # Tasks left behind (a watchdog of a Chromium that died) are cancelled
        # rather than destroyed with the loop.
        try:
            self._run(_cancel_other_tasks(), STOP_TIMEOUT_SECONDS)
        except Exception:
            logger.debug("Cancelling the export loop's tasks failed", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()


async def _cancel_other_tasks() -> None:
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


_lock = threading.Lock()
_server: _KaleidoServer | None = None
_atexit_registered = False


def figure_to_svg(figure: go.Figure, *, width: int | None = None, height: int | None = None) -> str:
    """The figure as an ``<svg>`` element, ready to inline in HTML.

    ``width`` and ``height`` (CSS pixels) override the figure's own size.
    Thread-safe; raises ``ChartExportError`` when Chromium cannot draw it.
    """
    options = _options(width, height)
    # The same figure at the same size draws the same SVG: a plan prepared again
    # for new action items or guidance texts, with the same numbers, skips Chromium.
    key = _cache_key(figure, options)
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    svg = strip_prolog(_export_with_retry(figure, options))
    cache.set(key, svg, SVG_CACHE_SECONDS)
    return svg


def draw_ahead(
    figures: list[go.Figure], *, width: int | None = None, height: int | None = None
) -> None:
    """Draw the figures not drawn yet side by side, for ``figure_to_svg`` to find kept.

    Best effort: if this fails, each ``figure_to_svg`` call draws its figure
    alone, with its own restart and retry, and reports its own failure.
    """
    options = _options(width, height)
    keys = [_cache_key(figure, options) for figure in figures]
    kept = cache.get_many(keys)
    missing = [(key, figure) for key, figure in zip(keys, figures, strict=True) if key not in kept]
    if len(missing) < 2:
        return
    with _lock:
        try:
            svgs = _start_server().export_svgs([figure for _key, figure in missing], options)
        except Exception:
            logger.info(
                "Drawing charts side by side failed; drawing them one by one", exc_info=True
            )
            _stop_server()
            return
    cache.set_many(
        {key: strip_prolog(svg) for (key, _figure), svg in zip(missing, svgs, strict=True)},
        SVG_CACHE_SECONDS,
    )


def _options(width: int | None, height: int | None) -> dict[str, Any]:
    options: dict[str, Any] = {"format": "svg"}
    if width is not None:
        options["width"] = width
    if height is not None:
        options["height"] = height
    return options


def _cache_key(figure: go.Figure, options: dict[str, Any]) -> str:
    payload = json.dumps(
        [figure.to_plotly_json(), options, _versions()], sort_keys=True, default=str
    )
    return "chart-svg:" + hashlib.sha256(payload.encode()).hexdigest()


@functools.cache
def _versions() -> tuple[str, str]:
    """plotly's and kaleido's: another plotly.js may draw the same figure differently."""
    return importlib.metadata.version("plotly"), importlib.metadata.version("kaleido")


def _export_with_retry(figure: go.Figure, options: dict[str, Any]) -> str:
    with _lock:
        try:
            svg = _export(figure, options)
        except Exception:
            logger.warning(
                "Chart export failed; restarting Chromium and trying once more", exc_info=True
            )
            _stop_server()
            try:
                svg = _export(figure, options)
            except Exception as error:
                logger.exception("Chart export failed again after restarting Chromium")
                _stop_server()
                raise ChartExportError(str(error) or type(error).__name__) from error
    return svg


def warm_up() -> None:
    """Start this process's Chromium and draw a chart in each tab, kept nowhere.

    The first plan then finds plotly.js loaded and its tabs used once. Raises
    what starting or drawing raised; the caller decides whether that matters.
    """
    figures = [go.Figure(go.Bar(x=["warm"], y=[tab])) for tab in range(TABS)]
    with _lock:
        _start_server().export_svgs(figures, _options(100, 100))


def strip_prolog(svg: str) -> str:
    """The SVG from its ``<svg`` tag on: no XML declaration, doctype or comment before it."""
    return _SVG_PROLOG.sub("", svg, count=1).strip()


def stop() -> None:
    """Close this process's Chromium, if it runs. The next export starts a new one."""
    with _lock:
        _stop_server()


def _export(figure: go.Figure, options: dict[str, Any]) -> str:
    return _start_server().export_svg(figure, options)


def _start_server() -> _KaleidoServer:
    """This process's browser, started if need be. Call with ``_lock`` held."""
    global _server, _atexit_registered
    if _server is not None and _server.pid != os.getpid():
        # Started before a fork: the browser and its thread belong to the parent.
        _server = None
    if _server is None:
        _server = _KaleidoServer(chromium_path())
        if not _atexit_registered:
            atexit.register(stop)
            _atexit_registered = True
    return _server


def _quiet_browser_logs() -> None:
    for name in _CHATTY_LOGGERS:
        chatty = logging.getLogger(name)
        if chatty.level == logging.NOTSET:
            chatty.setLevel(logging.WARNING)


def _stop_server() -> None:
    global _server
    server, _server = _server, None
    if server is None:
        return
    try:
        server.close()
    except Exception:
        logger.warning("Closing Chromium failed", exc_info=True)
