"""Forms for the manager workflows: open a cycle, add a team, invite a lead, join by invitation."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.utils.translation import gettext_lazy as _

from organisations.models import Cycle, Invitation, Membership, Organisation, Team
from organisations.services import (
    CycleNameTaken,
    TeamNameTaken,
    cycle_name_taken,
    name_slug,
    team_name_taken,
)
from playbook.models import Framework

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def new_name(
    value: str,
    *,
    organisation: Organisation,
    taken: Callable[..., bool],
    taken_message: StrOrPromise,
) -> str:
    """A name for a new cycle or team: stripped, with a letter or digit, not in use.

    ``taken(organisation=..., name=...)`` says whether the organisation has one.
    """
    name = value.strip()
    if not name_slug(name):
        raise forms.ValidationError(_("Use at least one letter or digit in the name."))
    if taken(organisation=organisation, name=name):
        raise forms.ValidationError(taken_message, code="unique")
    return name


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a date such as 2026-09-30.")}


class CycleOpenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=Cycle._meta.get_field("name").max_length,
        help_text=_("For example “2026 H2”. Each cycle of the organisation needs its own name."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    closes_on = forms.DateField(
        label=_("Closes on"), widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Frameworks included"),
        queryset=Framework.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one framework.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        return new_name(
            self.cleaned_data["name"],
            organisation=self.organisation,
            taken=cycle_name_taken,
            taken_message=CycleNameTaken.message,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The cycle cannot close before it opens."))
        return cleaned


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=Team._meta.get_field("name").max_length,
        help_text=_("As the team is known in the organisation, for example “Customer support”."),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, team: Team | None = None, **kwargs: Any
    ) -> None:
        """``team``: the team being renamed, whose own name does not count as taken."""
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.team = team

    def clean_name(self) -> str:
        return new_name(
            self.cleaned_data["name"],
            organisation=self.organisation,
            taken=functools.partial(team_name_taken, team=self.team),
            taken_message=TeamNameTaken.message,
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=Invitation._meta.get_field("email").max_length
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.filter(organisation=organisation)

    def clean_email(self) -> str:
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, team = cleaned.get("email"), cleaned.get("team")
        if email and team:
            already_lead = Membership.objects.filter(
                team=team, role=Membership.Role.LEAD, user__email__iexact=email
            ).exists()
            if already_lead:
                self.add_error(
                    "email",
                    _("%(email)s already leads %(team)s.") % {"email": email, "team": team.name},
                )
            elif Invitation.objects.pending().filter(team=team, email__iexact=email).exists():
                self.add_error(
                    "email",
                    _(
                        "%(email)s already has a pending invitation to %(team)s. "
                        "Withdraw it below to send a new one."
                    )
                    % {"email": email, "team": team.name},
                )
        return cleaned


def username_suggestion(email: str) -> str:
    """The email's local part, made a valid username not yet taken ("ana", "ana2", ...)."""
    base = re.sub(r"[^\w.@+-]", "", email.partition("@")[0])[:140] or "user"
    taken = {
        username.casefold()
        for username in get_user_model()
        .objects.filter(username__istartswith=base)
        .values_list("username", flat=True)
    }
    candidate, number = base, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


class InvitationAcceptForm(SetPasswordMixin, forms.Form):
    """Choose a username and set a password, checked by the password validators."""

    username = UsernameField(
        label=_("Username"),
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with that username already exists."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.validate_passwords()
        # The similarity validator compares with the username and email to be.
        self.validate_password_for_user(
            get_user_model()(username=cleaned.get("username", ""), email=self.email)
        )
        return cleaned
