"""Admin for organisations, teams, memberships and cycles."""

from __future__ import annotations

from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from cxmaturity.admin_inputs import HostileInputAdminMixin
from organisations.models import Cycle, Membership, Organisation, Team


class TeamInline(admin.TabularInline):
    model = Team
    fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "language", "team_count")
    list_filter = ("language",)
    search_fields = ("name", "slug")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (TeamInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(team_total=Count("teams"))

    @admin.display(description=_("teams"), ordering="team_total")
    def team_count(self, organisation: Organisation) -> int:
        return organisation.team_total  # type: ignore[attr-defined]


class TeamLeadFormSet(BaseInlineFormSet):
    def save_new(self, form: forms.ModelForm, commit: bool = True) -> Membership:
        # A team's memberships are always in the team's own organisation.
        form.instance.organisation = self.instance.organisation
        return super().save_new(form, commit)


class TeamLeadInline(HostileInputAdminMixin, admin.TabularInline):
    """A team's leads. CX managers belong to a whole organisation, so they have no team."""

    model = Membership
    formset = TeamLeadFormSet
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name = _("team lead")
    verbose_name_plural = _("team leads")

    def formfield_for_choice_field(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        if db_field.name == "role":
            kwargs["choices"] = [(Membership.Role.LEAD, Membership.Role.LEAD.label)]
            kwargs["initial"] = Membership.Role.LEAD
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Team)
class TeamAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation", "slug", "lead_count", "assessment_count")
    list_filter = ("organisation",)
    list_select_related = ("organisation",)
    search_fields = ("name", "slug", "organisation__name")
    ordering = ("organisation__name", "name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (TeamLeadInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                lead_total=Count("memberships", distinct=True),
                assessment_total=Count("assessments", distinct=True),
            )
        )

    @admin.display(description=_("leads"), ordering="lead_total")
    def lead_count(self, team: Team) -> int:
        return team.lead_total  # type: ignore[attr-defined]

    @admin.display(description=_("assessments"), ordering="assessment_total")
    def assessment_count(self, team: Team) -> int:
        return team.assessment_total  # type: ignore[attr-defined]


class MembershipAdminForm(forms.ModelForm):
    """Says in words what the database constraints on memberships would refuse."""

    class Meta:
        model = Membership
        fields = ("user", "role", "organisation", "team")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        role = cleaned_data.get("role")
        organisation = cleaned_data.get("organisation")
        team = cleaned_data.get("team")
        if role == Membership.Role.LEAD and team is None:
            self.add_error("team", _("A team lead needs a team."))
        if role == Membership.Role.MANAGER and team is not None:
            self.add_error(
                "team", _("A CX manager looks after the whole organisation: leave the team empty.")
            )
        if (
            team is not None
            and organisation is not None
            and team.organisation_id != organisation.pk
        ):
            self.add_error(
                "team",
                _("“%(team)s” belongs to %(organisation)s, not %(chosen)s.")
                % {"team": team, "organisation": team.organisation, "chosen": organisation},
            )
        return cleaned_data


@admin.register(Membership)
class MembershipAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "role", "organisation", "team")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation", "team")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organisation__name",
        "team__name",
    )
    ordering = ("organisation__name", "team__name", "user__username")
    autocomplete_fields = ("user", "organisation", "team")


@admin.register(Cycle)
class CycleAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "organisation",
        "opens_on",
        "closes_on",
        "status_shown",
        "framework_list",
        "assessment_count",
    )
    list_filter = ("status", "organisation", "frameworks")
    list_select_related = ("organisation",)
    search_fields = ("name", "slug", "organisation__name")
    ordering = ("organisation__name", "-opens_on")
    date_hierarchy = "opens_on"
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("frameworks",)
    fields = ("organisation", "name", "slug", ("opens_on", "closes_on"), "status", "frameworks")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cycle]:
        return (
            super()
            .get_queryset(request)
            .annotate(assessment_total=Count("assessments"))
            .prefetch_related("frameworks")
        )

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, cycle: Cycle) -> str:
        """The status as the site shows it: "Scheduled" until an open cycle's opening date."""
        return str(cycle.status_label)

    @admin.display(description=_("frameworks"))
    def framework_list(self, cycle: Cycle) -> str:
        return pgettext("between the names of a list", ", ").join(
            str(framework) for framework in cycle.frameworks.all()
        )

    @admin.display(description=_("assessments"), ordering="assessment_total")
    def assessment_count(self, cycle: Cycle) -> int:
        return cycle.assessment_total  # type: ignore[attr-defined]


# django-axes' sign-in logs (registered by axes, before this app) filter on a
# text column too (``?path_info=%00``): the same guard as the site's own admins.
class AccessAttemptAdmin(HostileInputAdminMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(HostileInputAdminMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(HostileInputAdminMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):  # AXES_ENABLE_ADMIN
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
