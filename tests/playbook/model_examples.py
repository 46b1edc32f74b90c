"""The example model files of tests/playbook/models, and edits that break them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

MODELS_DIR = Path(__file__).resolve().parent / "models"
EXAMPLES = ["three-levels.yaml", "four-levels.yaml", "seven-levels.yaml"]

Change = Callable[[dict[str, Any]], None]


def example(name: str) -> dict[str, Any]:
    """An example model file, parsed."""
    data: dict[str, Any] = yaml.safe_load((MODELS_DIR / name).read_text(encoding="utf-8"))
    return data


def _parent(data: dict[str, Any], path: tuple[Any, ...]) -> Any:
    target: Any = data
    for step in path:
        target = target[step]
    return target


def set_at(*path: Any, value: Any) -> Change:
    """An edit that sets the value at ``path``."""

    def change(data: dict[str, Any]) -> None:
        _parent(data, path[:-1])[path[-1]] = value

    return change


def delete_at(*path: Any) -> Change:
    """An edit that removes the value at ``path``."""

    def change(data: dict[str, Any]) -> None:
        del _parent(data, path[:-1])[path[-1]]

    return change
