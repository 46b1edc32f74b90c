from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        # The organisation plan is a kind of PDF action plan that reports
        # prepares like the others; reports does not import this app.
        from dashboard.organisation_plan import PLAN_KIND
        from reports.models import ActionPlan
        from reports.plans import register_kind

        register_kind(ActionPlan.Kind.ORGANISATION, PLAN_KIND)
