from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from cxmaturity.views import health

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("assessments.urls")),
]
