"""Forms for action items: commit a step, edit an item, filter the lists."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from action_items.models import ActionItem
from assessments.models import NOTE_MAX_LENGTH
from organisations.models import Cycle, Organisation, Team, current_cycle
from playbook.models import ActionStep, Element
from results.selectors import AssessmentResult

OWNER_NAME_PREFIX = "name:"


def organisation_members(organisation: Organisation) -> QuerySet[Any]:
    """Users with a membership (lead or manager) in the organisation: who may own an item."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def user_label(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return user_label(obj)


class ActionItemFieldsForm(forms.Form):
    """What a team can change about an item: status, owner, due date, notes.

    The owner is a member of the team's organisation or, for someone without
    a login, a name typed in: exactly one of the two.
    """

    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItem.Status.choices, initial=ActionItem.Status.TODO
    )
    owner = MemberChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Someone without a login (type the name below)"),
    )
    owner_name = forms.CharField(
        label=_("Owner’s name, if they have no login"), max_length=200, required=False
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 2026-09-30.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = organisation_members(organisation)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = cleaned.get("owner")
        owner_name = (cleaned.get("owner_name") or "").strip()
        cleaned["owner_name"] = owner_name
        if "owner" in self.errors or "owner_name" in self.errors:
            return cleaned
        if owner is None and not owner_name:
            self.add_error(
                "owner", _("Choose an owner, or type the name of someone without a login.")
            )
        elif owner is not None and owner_name:
            self.add_error("owner_name", _("Leave the name empty when you choose an owner above."))
        return cleaned

    def item_values(self) -> dict[str, Any]:
        """The cleaned values as the services take them."""
        return {
            "status": self.cleaned_data["status"],
            "owner": self.cleaned_data["owner"],
            "owner_name": self.cleaned_data["owner_name"],
            "due_date": self.cleaned_data["due_date"],
            "notes": self.cleaned_data["notes"],
        }


@dataclass(frozen=True)
class StepOption:
    """A next-level step of the result, with the element it belongs to."""

    element: Element
    step: ActionStep


def step_options(result: AssessmentResult) -> list[StepOption]:
    """The steps the results page shows: those of each element's level reached (no queries)."""
    return [
        StepOption(element=element_result.element, step=step)
        for element_result in result.elements
        if element_result.score.enough
        for step in element_result.action_steps
    ]


class ActionItemCreateForm(ActionItemFieldsForm):
    """Commit one of the result's next-level steps: any other step is refused."""

    step = forms.TypedChoiceField(label=_("Action step"), coerce=int)

    field_order = ["step", "owner", "owner_name", "due_date", "status", "notes"]

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        options: Sequence[StepOption],
        committed: Collection[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.options = {option.step.pk: option for option in options}
        groups: dict[str, list[tuple[int, str]]] = {}
        for option in options:
            title = str(option.step.title)
            if option.step.pk in committed:
                title = _("%(title)s (already an action item)") % {"title": title}
            groups.setdefault(str(option.element.name), []).append((option.step.pk, title))
        step_field = self.fields["step"]
        assert isinstance(step_field, forms.TypedChoiceField)
        step_field.choices = list(groups.items())

    def clean_due_date(self) -> datetime.date | None:
        """A new item is due today or later; editing keeps an old item's past date."""
        due_date: datetime.date | None = self.cleaned_data["due_date"]
        if due_date is not None and due_date < timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or a later date: a new action item cannot be due in the past."),
                code="past",
            )
        return due_date

    @property
    def option(self) -> StepOption:
        return self.options[self.cleaned_data["step"]]


class ActionItemFilterForm(forms.Form):
    """The lists' filters, read from the query string so that a filtered list can be bookmarked.

    Without a ``cycle`` parameter the list shows the current cycle (the open one
    that started most recently, never a scheduled one); an empty one shows every
    cycle. Invalid values are shown as errors and that filter is left out.
    """

    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ActionItem.Status.choices],
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    element = forms.ChoiceField(label=_("Element"), required=False)

    def __init__(self, query: Any, *, organisation: Organisation, team: Team | None = None) -> None:
        """Five queries: cycles, teams (organisation list only), members, typed names, elements."""
        self.cycles = list(Cycle.objects.filter(organisation=organisation))
        self.default_cycle = current_cycle(self.cycles)
        data = query.copy()
        if "cycle" not in data and self.default_cycle is not None:
            data["cycle"] = str(self.default_cycle.pk)
        super().__init__(data)
        items = ActionItem.objects.filter(team__organisation=organisation)
        self.teams: dict[int, Team] = {}
        if team is not None:
            items = items.filter(team=team)
            del self.fields["team"]
        else:
            self.teams = {
                organisation_team.pk: organisation_team
                for organisation_team in Team.objects.filter(organisation=organisation)
            }
            self._set_choices(
                "team",
                [("", _("All teams"))]
                + [
                    (str(pk), organisation_team.name)
                    for pk, organisation_team in self.teams.items()
                ],
            )
        self._set_choices(
            "cycle",
            [("", _("All cycles"))] + [(str(cycle.pk), cycle.name) for cycle in self.cycles],
        )
        self.members = {user.pk: user for user in organisation_members(organisation)}
        names = (
            items.exclude(owner_name="")
            .order_by("owner_name")
            .values_list("owner_name", flat=True)
            .distinct()
        )
        self._set_choices(
            "owner",
            [("", _("Anyone"))]
            + [(str(pk), user_label(user)) for pk, user in self.members.items()]
            + [(OWNER_NAME_PREFIX + name, name) for name in names],
        )
        self.elements = {
            element.key: element
            for element in Element.objects.filter(framework__cycles__organisation=organisation)
            .select_related("framework")
            .distinct()
            .order_by("framework__order", "framework__key", "order", "key")
        }
        self._set_choices(
            "element",
            [("", _("All elements"))]
            + [(key, str(element.name)) for key, element in self.elements.items()],
        )

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @property
    def selected_cycle(self) -> Cycle | None:
        """The cycle filtered on; None for all cycles."""
        self.is_valid()
        if "cycle" not in self.cleaned_data:  # not a cycle of this organisation
            return self.default_cycle
        value = self.cleaned_data["cycle"]
        return next((cycle for cycle in self.cycles if str(cycle.pk) == value), None)

    def filter(self, items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
        self.is_valid()
        cleaned = self.cleaned_data
        cycle = self.selected_cycle
        if cycle is not None:
            items = items.filter(cycle=cycle)
        if cleaned.get("team"):
            items = items.filter(team_id=int(cleaned["team"]))
        if cleaned.get("status"):
            items = items.filter(status=cleaned["status"])
        owner = cleaned.get("owner")
        if owner and owner.startswith(OWNER_NAME_PREFIX):
            items = items.filter(owner__isnull=True, owner_name=owner[len(OWNER_NAME_PREFIX) :])
        elif owner:
            items = items.filter(owner_id=int(owner))
        if cleaned.get("element"):
            items = items.filter(element_key=cleaned["element"])
        return items

    def element_name(self, key: str) -> str:
        element = self.elements.get(key)
        return str(element.name) if element is not None else key
