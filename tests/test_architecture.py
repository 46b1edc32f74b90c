"""The folder tree is the architecture: apps import only the apps above them, and no module
imports itself back through others."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each app may import the apps before it, never those after it (README, "Project layout").
APPS = [
    "playbook",
    "organisations",
    "assessments",
    "results",
    "action_items",
    "reports",
    "dashboard",
    "exports",
    "demo",
]
PACKAGES = [*APPS, "cxmaturity"]


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = _modules()


def _imports(path: Path) -> Iterator[str]:
    """Every project module ``path`` imports, at the top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                yield candidate if candidate in MODULES else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    return {
        module: {name for name in _imports(path) if name in MODULES and name != module}
        for module, path in MODULES.items()
    }


def test_the_apps_are_the_ones_installed_in_this_order() -> None:
    installed = [app for app in settings.INSTALLED_APPS if app in APPS]
    assert installed == APPS


def test_apps_import_only_the_apps_above_them() -> None:
    upward = [
        f"{module} imports {name}"
        for module, names in _graph().items()
        for name in names
        if module.split(".")[0] in APPS
        and name.split(".")[0] in APPS
        and APPS.index(name.split(".")[0]) > APPS.index(module.split(".")[0])
    ]
    assert upward == []


def test_the_project_package_imports_apps_only_in_the_root_urlconf() -> None:
    found = [
        f"{module} imports {name}"
        for module, names in _graph().items()
        if module.startswith("cxmaturity.") and module != "cxmaturity.urls"
        for name in names
        if name.split(".")[0] in APPS
    ]
    assert found == []


def test_no_module_imports_itself_back_through_others() -> None:
    graph = _graph()
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        for name in sorted(graph[module]):
            if name in path:
                cycles.append([*path[path.index(name) :], name])
            elif name not in done:
                visit(name, [*path, name])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert cycles == []
