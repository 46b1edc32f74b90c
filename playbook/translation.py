"""Bilingual text fields.

Every rubric text is stored twice, as ``<name>_en`` and ``<name>_zh_hans``,
in ordinary columns. We chose this over django-modeltranslation because the
pairs are explicit everywhere they matter: fixtures list both languages,
admin shows them side by side without patching, django-simple-history records
them like any other column, and a cycle's frozen rubric snapshot is a plain
copy of the row. ``TranslatedField`` reads the active language's column and
falls back to English.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

LANGUAGE_SUFFIXES: tuple[str, ...] = tuple(
    code.replace("-", "_") for code, _name in settings.LANGUAGES
)
DEFAULT_SUFFIX = "en"


def language_suffix(language: str | None = None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).lower()
    suffix = code.replace("-", "_")
    if suffix in LANGUAGE_SUFFIXES:
        return suffix
    # "zh-cn", "zh" and friends read the Simplified Chinese text.
    if suffix.startswith("zh"):
        return "zh_hans"
    return DEFAULT_SUFFIX


class TranslatedField:
    """Descriptor: ``level.description`` is the active language's ``description_<lang>``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = getattr(instance, f"{self.name}_{language_suffix()}", "")
        return value or getattr(instance, f"{self.name}_{DEFAULT_SUFFIX}", "")


def translated_field_names(model: type[models.Model]) -> list[str]:
    """Base names of the bilingual fields of a model, e.g. ["name", "description"]."""
    return [
        name for name, attribute in vars(model).items() if isinstance(attribute, TranslatedField)
    ]


def localized(instance: models.Model, name: str, language: str) -> str:
    return getattr(instance, f"{name}_{language_suffix(language)}", "") or ""
