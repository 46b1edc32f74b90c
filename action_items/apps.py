from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionItemsConfig(AppConfig):
    name = "action_items"
    verbose_name = _("Action items")
