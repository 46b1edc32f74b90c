"""Who assesses what: organisations, teams, memberships, cycles, assessments, answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from playbook.models import ActionStep, Choice, Framework, Question, RubricVersion

NOTE_MAX_LENGTH = 2000


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def get_by_natural_key(self, slug: str) -> Organisation:
        return self.get(slug=slug)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TeamQuerySet(models.QuerySet["Team"]):
    def get_by_natural_key(self, organisation_slug: str, slug: str) -> Team:
        return self.get(organisation__slug=organisation_slug, slug=slug)

    def visible_to(self, user: Any) -> TeamQuerySet:
        """Teams the user leads, and every team of the organisations they manage."""
        if not user.is_authenticated:
            return self.none()
        led_teams = Membership.objects.filter(user=user, role=Membership.Role.LEAD).values(
            "team_id"
        )
        managed_organisations = Membership.objects.filter(
            user=user, role=Membership.Role.MANAGER
        ).values("organisation_id")
        return self.filter(
            models.Q(pk__in=led_teams) | models.Q(organisation_id__in=managed_organisations)
        )


class Team(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))

    objects = TeamQuerySet.as_manager()

    class Meta:
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

    natural_key.dependencies = ["assessments.organisation"]  # type: ignore[attr-defined]


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

    natural_key.dependencies = ["assessments.team"]  # type: ignore[attr-defined]


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships with their organisations, read once per request.

    Kept on the user object: the access checks and the navigation (every
    page) share this one query.
    """
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_cx_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user._cx_memberships = cached
    return cached


def can_see_team(user: Any, team: Team) -> bool:
    """Whether the user leads the team or manages its organisation (``Team.visible_to``)."""
    return any(
        (membership.role == Membership.Role.LEAD and membership.team_id == team.pk)
        or (
            membership.role == Membership.Role.MANAGER
            and membership.organisation_id == team.organisation_id
        )
        for membership in memberships_of(user)
    )


def can_see_action_plan(user: Any, action_plan: ActionPlan) -> bool:
    """``ActionPlan.objects.visible_to``, checked against the user's memberships.

    Reads ``action_plan.team`` and ``action_plan.cycle`` (select them with it).
    """
    if action_plan.team is not None:
        return can_see_team(user, action_plan.team)
    return any(
        membership.role == Membership.Role.MANAGER
        and membership.organisation_id == action_plan.cycle.organisation_id
        for membership in memberships_of(user)
    )


class CycleQuerySet(models.QuerySet["Cycle"]):
    def get_by_natural_key(self, organisation_slug: str, slug: str) -> Cycle:
        return self.get(organisation__slug=organisation_slug, slug=slug)

    def open(self) -> CycleQuerySet:
        return self.filter(status=Cycle.Status.OPEN)


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

    natural_key.dependencies = ["assessments.organisation", "playbook.framework"]  # type: ignore[attr-defined]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: Any) -> AssessmentQuerySet:
        return self.filter(team__in=Team.objects.visible_to(user))

    def submitted(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.SUBMITTED)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("team")
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("cycle")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("respondent"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "cycle", "respondent"], name="one_assessment_per_respondent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.cycle} · {self.respondent}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_locked(self) -> bool:
        """Submitted assessments and those of a closed cycle take no more answers."""
        return self.status == self.Status.SUBMITTED or not self.cycle.is_open


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    choice = models.ForeignKey(
        Choice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("choice"),
    )
    text = models.TextField(_("answer"), blank=True)
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.question.key}"


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def visible_to(self, user: Any) -> ActionPlanQuerySet:
        """Plans of the teams the user sees; organisation plans for its CX managers only."""
        managed_organisations = Membership.objects.filter(
            user=user, role=Membership.Role.MANAGER
        ).values("organisation_id")
        return self.filter(
            models.Q(team__in=Team.objects.visible_to(user))
            | models.Q(team__isnull=True, cycle__organisation_id__in=managed_organisations)
        )


class ActionPlan(models.Model):
    """A PDF action plan, prepared in the background and kept until its inputs change.

    ``input_hash`` fingerprints everything the PDF shows (answers, scores, the
    rubric texts, the language, the report templates): a repeat request with
    the same fingerprint is served from ``pdf`` without rendering.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be prepared")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("One respondent's assessment")
        TEAM = "team", _("Team result")
        ORGANISATION = "organisation", _("Organisation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ASSESSMENT)
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("team"),
        help_text=_("Empty for an organisation plan."),
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("cycle")
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("assessment"),
        help_text=_("Empty for a team result combining every respondent."),
    )
    language = models.CharField(_("language"), max_length=10)
    input_hash = models.CharField(_("input fingerprint"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Under MEDIA_ROOT, never served directly: the download view checks who asks.
    pdf = models.FileField(_("PDF"), upload_to="action-plans/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("PDF action plan")
        verbose_name_plural = _("PDF action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "cycle", "assessment", "language", "input_hash"],
                name="one_action_plan_per_input",
                condition=models.Q(kind="assessment"),
            ),
            models.UniqueConstraint(
                fields=["team", "cycle", "language", "input_hash"],
                name="one_team_action_plan_per_input",
                condition=models.Q(kind="team"),
            ),
            models.UniqueConstraint(
                fields=["cycle", "language", "input_hash"],
                name="one_organisation_action_plan_per_input",
                condition=models.Q(kind="organisation"),
            ),
        ]

    def __str__(self) -> str:
        return self.filename or f"{self.team} · {self.cycle} · {self.language}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"


class Reminder(models.Model):
    """One reminder email; at most one per lead, team and cycle a day."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("cycle")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "team", "user", "sent_on"], name="one_reminder_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.sent_on}"


class ActionItem(models.Model):
    """A next-level step a team commits to: an owner, a due date and a status."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("team")
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("cycle")
    )
    action_step = models.ForeignKey(
        ActionStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("action step"),
    )
    # Kept on the item so it reads the same after rubric edits.
    element_key = models.SlugField(_("element key"), blank=True)
    step_key = models.SlugField(_("step key"), blank=True)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_action_items",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner (name)"), max_length=200, blank=True, help_text=_("When the owner has no login.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE
