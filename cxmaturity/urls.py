from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from cxmaturity.views import health

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The root URLconf is the one place that knows every app.
    path("", include("assessments.urls")),
    path("", include("organisations.urls")),
    path("", include("results.urls")),
    path("", include("action_items.urls")),
    path("", include("reports.urls")),
    path("", include("dashboard.urls")),
    path("", include("exports.urls")),
]
