"""Production static files: collectstatic with a manifest finds every asset the pages use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command


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
        "vendor/plotly/plotly.min.js",
        "js/action_plan.js",
        "css/app.css",
    ):
        assert asset in paths, asset
        assert (tmp_path / paths[asset]).exists()
