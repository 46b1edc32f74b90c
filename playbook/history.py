"""History for rubric rows written without the admin: fixture loads and imports.

``loaddata`` saves raw, so django-simple-history records nothing: the rubric
as shipped would have no first entry for an admin to revert to, and an import
that changed a text would leave the history showing the text before it.
After such a load, ``rubric_history_record`` brings the history up to date
through simple-history's own bulk API.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from playbook.models import ActionStep, Choice, Element, FocusArea, Framework, Level, Question

# Parents before children, as the fixture lists them.
RUBRIC_MODELS: tuple[type[models.Model], ...] = (
    Framework,
    Element,
    Level,
    FocusArea,
    ActionStep,
    Question,
    Choice,
)


def _differs(instance: models.Model, record: Any) -> bool:
    """Whether the live row's values differ from a historical record of it."""
    return any(
        getattr(instance, field.attname) != getattr(record, field.attname)
        for field in instance._meta.concrete_fields
    )


def rubric_history_record(*, change_reason: str) -> int:
    """Record every rubric row that its history does not show as it is; return how many.

    A row without history (or whose latest record is its deletion) gets a
    "created" record, a row whose values differ from its latest record a
    "changed" one, both with ``change_reason`` and no user. Rows the history
    already shows as they are get nothing, so running it twice records nothing
    the second time. Two reads per model, and a bulk insert where rows need one.
    """
    recorded = 0
    with transaction.atomic():
        for model in RUBRIC_MODELS:
            history = model.history  # type: ignore[attr-defined]
            pk_name = model._meta.pk.attname
            latest = {getattr(record, pk_name): record for record in history.latest_of_each()}
            created: list[models.Model] = []
            changed: list[models.Model] = []
            for instance in model._default_manager.all():
                record = latest.get(instance.pk)
                if record is None or record.history_type == "-":
                    created.append(instance)
                elif _differs(instance, record):
                    changed.append(instance)
            history.bulk_history_create(created, default_change_reason=change_reason)
            history.bulk_history_create(changed, update=True, default_change_reason=change_reason)
            recorded += len(created) + len(changed)
    return recorded
