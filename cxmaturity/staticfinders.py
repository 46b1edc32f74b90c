"""Serve a few third-party assets straight from the Python packages that ship them.

plotly.js is not one of them: the pages load a partial bundle of the same
version, static/vendor/plotly/plotly-cx.min.js (built by `make plotly-bundle`).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Package {name!r} is not installed; run `make install`.")
    return Path(next(iter(spec.submodule_search_locations)))


def package_assets() -> dict[str, Path]:
    """Static path -> file on disk, for every vendored asset the templates use."""
    bootstrap = _package_dir("bootstrap")
    return {
        "vendor/bootstrap/bootstrap.min.css": bootstrap / "css" / "bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js": bootstrap / "js" / "bootstrap.bundle.min.js",
        # The source maps the two files name: collectstatic's manifest needs them.
        "vendor/bootstrap/bootstrap.min.css.map": bootstrap / "css" / "bootstrap.min.css.map",
        "vendor/bootstrap/bootstrap.bundle.min.js.map": (
            bootstrap / "js" / "bootstrap.bundle.min.js.map"
        ),
    }


class PackageAssetFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assets = package_assets()

    def find(  # type: ignore[override]  # one body for both of BaseFinder's overloads
        self, path: str, find_all: bool = False, **kwargs: Any
    ) -> str | list[str]:
        location = self.assets.get(path)
        if location is None:
            # As Django's own finders answer: an empty string would count as a match.
            return []
        return [str(location)] if find_all else str(location)

    def list(self, ignore_patterns: Any) -> Any:
        for path, location in self.assets.items():
            storage = FileSystemStorage(location=str(location.parent))
            storage.prefix = str(Path(path).parent)  # type: ignore[attr-defined]
            yield location.name, storage
