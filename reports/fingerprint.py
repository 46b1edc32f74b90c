"""A fingerprint of everything a PDF action plan shows.

Two requests with the same fingerprint get the same PDF, so the second is
served from the stored file. The fingerprint covers the answers and scores,
the rubric texts in the report's language, the team and organisation
figures, and the report templates themselves (a layout change renders anew).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from action_items.models import ActionItem
from action_items.services import action_items_for_plan
from results.selectors import AssessmentResult

# The PDF's own templates and stylesheet (the results page's are beside them, not in it).
REPORT_TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf"


@cache
def templates_digest(folder: Path = REPORT_TEMPLATE_DIR, pattern: str = "**/*") -> str:
    """A hash of the templates under ``folder`` matching ``pattern``, read once per process.

    In a cache key or a fingerprint: a changed layout is rendered anew.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def plain_data(value: Any) -> Any:
    """Model rows and dataclasses as plain, JSON-ready data (texts in the active language)."""
    if isinstance(value, models.Model):
        fields = {
            field.attname: getattr(value, field.attname)
            for field in value._meta.concrete_fields
            if not isinstance(field, models.BinaryField)
        }
        return {
            "model": value._meta.label,
            **{key: plain_data(item) for key, item in fields.items()},
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: plain_data(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain_data(item) for item in value]
    if isinstance(value, Decimal | float):
        return str(value)
    return value if value is None or isinstance(value, str | int | bool) else str(value)


def _guidance(result: AssessmentResult) -> list[Any]:
    """The level texts, focus areas and steps each element shows (prefetched: no queries)."""
    return [
        [
            plain_data(element.level),
            plain_data(element.focus_areas),
            plain_data(element.action_steps),
        ]
        for element in result.elements
    ]


def action_plan_fingerprint(
    result: AssessmentResult, *, language: str, action_items: list[ActionItem] | None = None
) -> str:
    """``action_items``: the team's items for the cycle, if the caller has them already."""
    assessment = result.assessment
    if action_items is None:
        action_items = action_items_for_plan(
            team_id=assessment.team_id, cycle_id=assessment.cycle_id
        )
    with translation.override(language):
        payload = {
            "language": language,
            "header": [
                assessment.team.name,
                assessment.team.organisation.name,
                assessment.cycle.name,
                str(assessment.cycle.opens_on),
                str(assessment.cycle.closes_on),
                assessment.respondent.get_full_name() or assessment.respondent.get_username(),
            ],
            "templates": templates_digest(),
            "result": plain_data(result),
            "guidance": _guidance(result),
            # The PDF lists the team's committed items: a new or edited one renders anew.
            "action_items": plain_data(action_items),
        }
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
