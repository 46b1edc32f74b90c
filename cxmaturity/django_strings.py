"""Strings of Django's own that its Chinese catalog does not translate yet.

Django 6.1 labels the empty option of every select "- Select an option -"
(``django.db.models.fields.BLANK_CHOICE_LABEL``), a string its zh_Hans
catalog does not have. Marked here, ``makemessages`` keeps it in this
project's catalog, which Django reads before its own.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

UNTRANSLATED_BY_DJANGO = [
    gettext_noop("- Select an option -"),
]
