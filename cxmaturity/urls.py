from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cxmaturity.views import favicon, health
from organisations import accounts

# Lazy: each admin page shows these in the language of its request.
admin.site.site_header = _("CX maturity administration")
admin.site.site_title = _("CX maturity administration")
admin.site.index_title = _("Site administration")
admin.site.login_form = accounts.AdminAuthenticationForm

# 403 and 404 are Django's handlers with templates/403.html and 404.html;
# the 400 page has its own, which never reads the request's body, and so has
# the 500 page, which renders without the database.
handler400 = "cxmaturity.views.bad_request"
handler500 = "cxmaturity.views.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Django's login, password reset and set_language, at their usual paths and
    # names, recording the language a user chose (organisations/accounts.py).
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    # A new password also lifts the log-in throttle's lock on the account.
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    # The root URLconf is the one place that knows every app.
    path("", include("assessments.urls")),
    path("", include("organisations.urls")),
    path("", include("results.urls")),
    path("", include("action_items.urls")),
    path("", include("reports.urls")),
    path("", include("dashboard.urls")),
    path("", include("exports.urls")),
]
