"""Writing many generated rows without holding them all in memory."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.db import models


def save_in_batches(model: type[models.Model], rows: Iterable[Any], batch_size: int) -> int:
    """``bulk_create`` the rows ``batch_size`` at a time, as they are generated; returns how many.

    ``bulk_create(batch_size=...)`` would first make a list of every row.
    """
    count = 0
    for batch in itertools.batched(rows, batch_size):
        model._default_manager.bulk_create(batch)
        count += len(batch)
    return count
