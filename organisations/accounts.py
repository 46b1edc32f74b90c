"""Signing in, choosing a language and resetting a password: Django's views, plus the
language a user chose.

Emails reach people outside any request (reminders come from a command), so
the language a signed-in user picks in the header is stored
(``UserPreference``) as well as kept in Django's language cookie. Django's
own views do the work; these only record the choice, or bring it back on a
device that has no cookie yet.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
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


class LoginView(auth_views.LoginView):
    """Django's login; the user's language comes back with them (``remember_language_on_login``)."""

    def form_valid(self, form: auth_forms.AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        assert isinstance(user, User)
        return remember_language_on_login(self.request, response, user)


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
