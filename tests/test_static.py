"""Production static files: collectstatic with a manifest finds every asset the pages use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from cxmaturity.static_storage import StaticFilesStorage


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


def test_the_production_storage_works_out_each_url_once(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "cxmaturity.static_storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]["css/app.css"]
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")

    assert storage.url("css/app.css") == f"/static/{hashed}"
    looked_up: list[str] = []
    stored_name = storage.stored_name

    def counting_stored_name(name: str) -> str:
        looked_up.append(name)
        return stored_name(name)

    monkeypatch.setattr(storage, "stored_name", counting_stored_name)
    assert storage.url("css/app.css") == f"/static/{hashed}"
    assert storage.url("js/action_plan.js").startswith("/static/js/action_plan.")
    assert looked_up == ["js/action_plan.js"]
