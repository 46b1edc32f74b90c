"""The Jinja2 environment for the one template Django's engine was measured too slow for.

The question cards of a section page (``jinja2/assessments/section_cards.html``)
are fifty-odd inputs and labels: through Django's template engine they were
most of the busiest page's time. Translations come from Django's catalogue
(``{{ _("...") }}``, which ``makemessages`` also reads in Django templates),
and autoescaping is on, as Django's backend sets it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env
