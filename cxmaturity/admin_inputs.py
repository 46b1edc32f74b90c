"""Admin changelists and autocomplete fields that take hostile input without a 500.

Two gaps of Django's admin that ``tests/test_hostile_input_audit.py`` found:

- a changelist filter on a text column (``?status__exact=%00``) reaches the
  database, and PostgreSQL refuses a NUL byte in a string with an error;
- an autocomplete field looks the posted value up again to show it with the
  form's errors, and a value its key cannot hold (``abc`` or a NUL for a
  number) raises there, on any database.

Each admin of the site mixes in ``HostileInputAdminMixin`` (documented
hooks only: ``lookup_allowed`` and ``formfield_for_foreignkey``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

NUL = "\x00"


class SafeAutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete select; a posted value that is no key shows as nothing chosen."""

    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> Any:
        key = self.field.target_field
        return super().optgroups(name, [item for item in value if _holds(key, item)], attr)


def _holds(key: models.Field[Any, Any], value: Any) -> bool:
    if NUL in str(value):
        return False
    try:
        key.to_python(value)
    except ValidationError:
        return False
    return True


class HostileInputAdminMixin:
    """Refuse a changelist filter with a NUL (a 400); autocomplete fields that cannot fail."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if NUL in str(value):
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        autocomplete = self.get_autocomplete_fields(request)  # type: ignore[attr-defined]
        if "widget" not in kwargs and db_field.name in autocomplete:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
