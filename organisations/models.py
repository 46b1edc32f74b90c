"""Who belongs where: organisations, teams, memberships (roles), cycles, invitations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from playbook.models import Framework, RubricVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def get_by_natural_key(self, slug: str) -> Organisation:
        return self.get(slug=slug)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Emails go out in this language to people who have not chosen one."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_organisation"
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class UserPreference(models.Model):
    """What a user chose for themselves: for now, the language their emails are written in.

    A one-to-one row beside Django's own ``User`` (the "profile" model of
    Django's documentation) rather than a custom user model: the site uses
    ``auth.User``, and swapping it under an existing database is a migration
    Django itself advises against. Users who never chose have no row, and read
    their organisation's language (``organisations.services.email_language``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the user last chose; their emails are written in it."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_language_display()}"


class TeamQuerySet(models.QuerySet["Team"]):
    def get_by_natural_key(self, organisation_slug: str, slug: str) -> Team:
        return self.get(organisation__slug=organisation_slug, slug=slug)


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))

    objects = TeamQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_team"
        ordering = ["organisation", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_team_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.organisation.slug, self.slug)

    natural_key.dependencies = ["organisations.organisation"]  # type: ignore[attr-defined]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def get_by_natural_key(
        self, username: str, organisation_slug: str, team_slug: str | None, role: str
    ) -> Membership:
        return self.get(
            user__username=username,
            organisation__slug=organisation_slug,
            team__slug=team_slug,
            role=role,
        )


class Membership(models.Model):
    """A user's role: lead of one team, or CX manager of a whole organisation."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Team lead")
        MANAGER = "manager", _("CX manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
        help_text=_("Required for team leads; empty for CX managers."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=models.Q(role="lead"),
                name="unique_team_lead_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(role="manager"),
                name="unique_manager_membership",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role="lead", team__isnull=False)
                    | models.Q(role="manager", team__isnull=True)
                ),
                name="lead_has_team_manager_has_none",
            ),
        ]

    def __str__(self) -> str:
        where = self.team or self.organisation
        return f"{self.user} · {self.get_role_display()} · {where}"

    def natural_key(self) -> tuple[Any, ...]:
        return (
            self.user.get_username(),
            self.organisation.slug,
            self.team.slug if self.team else None,
            self.role,
        )

    natural_key.dependencies = ["organisations.team"]  # type: ignore[attr-defined]


class CycleQuerySet(models.QuerySet["Cycle"]):
    def get_by_natural_key(self, organisation_slug: str, slug: str) -> Cycle:
        return self.get(organisation__slug=organisation_slug, slug=slug)

    def open(self, *, today: datetime.date | None = None) -> CycleQuerySet:
        """Cycles taking answers: open, and started (their opening date has come)."""
        return self.filter(status=Cycle.Status.OPEN, opens_on__lte=today or timezone.localdate())


class Cycle(models.Model):
    """One round of assessment across an organisation, e.g. "2026 H2"."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cycles",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    frameworks = models.ManyToManyField(
        Framework, related_name="cycles", verbose_name=_("frameworks")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    rubric_version = models.ForeignKey(
        RubricVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("rubric version"),
        help_text=_("The rubric as it was when the cycle opened; later edits do not change it."),
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_cycle"
        ordering = ["organisation", "-opens_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_cycle_slug"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.organisation.slug, self.slug)

    natural_key.dependencies = ["organisations.organisation", "playbook.framework"]  # type: ignore[attr-defined]

    @property
    def is_open(self) -> bool:
        """Taking answers: open, and its opening date has come (no job needed to start it)."""
        return self.status == self.Status.OPEN and self.opens_on <= timezone.localdate()

    @property
    def is_scheduled(self) -> bool:
        """Open, but its opening date is still to come: it takes no answers yet."""
        return self.status == self.Status.OPEN and self.opens_on > timezone.localdate()

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def status_label(self) -> StrOrPromise:
        """The status as pages show it: "Scheduled", "Open" or "Closed"."""
        if self.is_scheduled:
            return _("Scheduled")
        return self.get_status_display()

    def previous(self) -> Cycle | None:
        """The organisation's cycle with the latest opening date before this one opened."""
        return (
            Cycle.objects.filter(organisation_id=self.organisation_id, opens_on__lt=self.opens_on)
            .order_by("-opens_on", "-pk")
            .first()
        )


def current_cycle(cycles: Iterable[Cycle]) -> Cycle | None:
    """The cycle pages show by default: the open one that started most recently.

    Without an open cycle, the one that started most recently (closed);
    never a scheduled one, which has no answers yet.
    """
    started = [cycle for cycle in cycles if not cycle.is_scheduled]
    latest_first = sorted(started, key=lambda cycle: (cycle.opens_on, cycle.pk), reverse=True)
    return next((cycle for cycle in latest_first if cycle.is_open), None) or next(
        iter(latest_first), None
    )


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn, and not expired: the link still works."""
        return self.filter(
            accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that lets someone set a password and join a team as its lead."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    email = models.EmailField(_("email"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    # A manager takes back an invitation sent to the wrong address before it is used.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_invitation"
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"
