"""Signing in, choosing a language and resetting a password: Django's views, plus the
language a user chose and the log-in throttle's page.

Emails reach people outside any request (reminders come from a command), so
the language a signed-in user picks in the header is stored
(``UserPreference``) as well as kept in Django's language cookie. Django's
own views do the work; these only record the choice, or bring it back on a
device that has no cookie yet.

Failed log-ins are throttled by django-axes (settings, "Log-in throttle"):
its backend refuses a locked-out username or address, and the functions here
give it the client's address and the page a locked-out person sees. A
successful log-in or a new password clears that username's failures.
"""

from __future__ import annotations

import ipaddress
from http import HTTPStatus
from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.admin import forms as admin_forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views import i18n

from organisations.services import chosen_language, email_language, language_preference_set


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``; a signed-in user's choice is also stored for their emails."""
    response = i18n.set_language(request)
    # Django sets its cookie only for a code it accepts: store exactly that.
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and isinstance(request.user, User):
        language_preference_set(user=request.user, language=chosen.value)
    return response


def remember_language_on_login(
    request: HttpRequest, response: HttpResponse, user: User
) -> HttpResponse:
    """Keep the cookie and the stored choice of a user who has just signed in in step.

    A language cookie means a choice made on this device, perhaps on the
    login page itself: it is the latest, so it is stored. Without one (a new
    device), the stored choice is set as the cookie, as Django's
    ``set_language`` would, so the pages after login are in it.
    """
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        language_preference_set(user=user, language=cookie)
        return response
    stored = chosen_language(user)
    if stored:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            stored,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class _UsernameLengthChecked(forms.Form):
    """Refuses a username longer than any account's, next to the field.

    Django's log-in forms give the username field its ``max_length`` after
    building it, so no length validator runs and a username of any length
    reached ``authenticate()`` and the log-in throttle, whose column holds 255
    characters (a 500 on PostgreSQL).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        assert isinstance(field, forms.CharField) and field.max_length is not None
        field.validators.append(MaxLengthValidator(field.max_length))


class AuthenticationForm(_UsernameLengthChecked, auth_forms.AuthenticationForm):
    """Django's log-in form, refusing an over-long username."""


class AdminAuthenticationForm(_UsernameLengthChecked, admin_forms.AdminAuthenticationForm):
    """The admin's log-in form, refusing an over-long username (``admin.site.login_form``)."""


class LoginView(auth_views.LoginView):
    """Django's login; the user's language comes back with them (``remember_language_on_login``).

    A successful log-in clears the failures recorded against this username, as
    a new password does (``PasswordResetConfirmView``); an address's failures
    against other usernames stay.
    """

    form_class = AuthenticationForm

    def form_valid(self, form: auth_forms.AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        assert isinstance(user, User)
        axes_reset(username=user.get_username())
        return remember_language_on_login(self.request, response, user)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's "set a new password" step; it also lifts the log-in lock on the account.

    Someone locked out after forgetting their password sets a new one and logs
    in at once instead of waiting out the cool-off. The link in the email is
    the proof of ownership, so only that username's failures are cleared: an
    address locked for failures against other usernames stays locked.
    """

    def form_valid(self, form: auth_forms.SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """The log-in page saying that logging in is paused, and for how long (django-axes'
    ``AXES_LOCKOUT_CALLABLE``), with status 429.

    A fresh form, not the one posted: its "wrong password" error could be
    untrue, as a locked-out attempt's password is never checked.
    """
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/login.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address for the log-in throttle (django-axes' ``AXES_CLIENT_IP_CALLABLE``).

    The connection's own address, unless ``CLIENT_IP_HEADER`` names a header
    that a trusted reverse proxy sets: then the entry ``TRUSTED_PROXY_COUNT``
    from its right, the one the outermost trusted proxy wrote. Entries further
    left come from the client and are never read. A header that is missing,
    too short or holds no address falls back to the connection's address.
    """
    remote_address = request.META.get("REMOTE_ADDR")
    header = settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    if not header:
        return remote_address
    meta_key = header if header.startswith("HTTP_") else f"HTTP_{header}"
    entries = [entry.strip() for entry in request.META.get(meta_key, "").split(",")]
    if len(entries) < settings.TRUSTED_PROXY_COUNT:
        return remote_address
    try:
        return str(ipaddress.ip_address(entries[-settings.TRUSTED_PROXY_COUNT]))
    except ValueError:
        return remote_address


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; each email is written in the language its recipient reads.

    Not the language of the page the request came from: anyone may ask for a
    reset of someone else's account.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        with translation.override(email_language(user=user)):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


password_reset = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
