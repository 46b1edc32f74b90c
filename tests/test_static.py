"""Production static files: collectstatic with a manifest finds every asset the pages use."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from plotly.offline import get_plotlyjs_version

from tests.conftest import World

PLOTLY_BUNDLE = "vendor/plotly/plotly-cx.min.js"


def test_collectstatic_builds_a_manifest_with_the_vendored_assets(
    settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for asset in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        PLOTLY_BUNDLE,
        "vendor/plotly/LICENSE",
        "js/charts.js",
        "js/action_plan.js",
        "css/app.css",
    ):
        assert asset in paths, asset
        assert (tmp_path / paths[asset]).exists()


def test_the_plotly_bundle_is_partial_and_matches_the_python_package() -> None:
    location = finders.find(PLOTLY_BUNDLE)
    assert isinstance(location, str)
    bundle = Path(location)
    header = bundle.read_text(encoding="utf-8")[:600]

    # The full plotly.js is 4.7 MB; the pages get the trace types they draw.
    assert bundle.stat().st_size < 1_500_000
    # The figures come from the plotly Python package, written for its plotly.js.
    assert f"plotly.js v{get_plotlyjs_version()}, partial bundle:" in header
    for trace in ("scatter", "bar", "heatmap", "scatterpolar", "indicator"):
        assert re.search(rf"\b{trace}\b", header), trace
    assert "MIT license" in header
    assert "MIT License" in (bundle.parent / "LICENSE").read_text(encoding="utf-8")
    # The full bundle is no longer served at all.
    assert not finders.find("vendor/plotly/plotly.min.js")


@pytest.mark.parametrize("page", ["dashboard", "cycle_overview"])
def test_chart_pages_name_the_partial_plotly_bundle_and_load_it_lazily(
    page: str, manager_client: Client, world: World
) -> None:
    pk = world.acme.pk if page == "dashboard" else world.cycle.pk
    content = manager_client.get(reverse(page, args=[pk])).content.decode()

    # Fetched when the browser is idle; run by charts.js once a chart nears the screen.
    assert (
        f'<link rel="prefetch" href="/static/{PLOTLY_BUNDLE}" as="script" data-plotly>' in content
    )
    assert not re.search(r"<script[^>]*plotly", content)
    assert re.search(r'<script src="/static/js/charts.js" defer></script>', content)
