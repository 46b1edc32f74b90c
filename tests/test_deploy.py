"""`manage.py check --deploy` is clean in the production environment the README documents."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def documented_environment() -> dict[str, str]:
    """The variables of the README's "Production settings" block, with a real secret key."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Production settings") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "README: no sh block under Production settings"
    variables = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    assert variables["SECRET_KEY"].startswith("<"), "the README shows a placeholder"
    variables["SECRET_KEY"] = "k" * 20 + "-documented-production-environment-" + "q" * 20
    return variables


def check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SECRET_", "ALLOWED_", "CSRF_"))
    }
    environment.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings() -> None:
    result = check_deploy(documented_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https_settings() -> None:
    variables = documented_environment()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        del variables[name]

    result = check_deploy(variables)

    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
