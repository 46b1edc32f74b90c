"""PDF action plans, prepared in the background and kept until their inputs change."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from organisations.models import Cycle, Team


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=settings.TASK_WORKER_HEARTBEAT_TIMEOUT)


def time_limit() -> timedelta:
    """How long a plan may be prepared before it counts as stuck (``ACTION_PLAN_TIME_LIMIT``)."""
    return timedelta(seconds=settings.ACTION_PLAN_TIME_LIMIT)


class TaskWorkerQuerySet(models.QuerySet["TaskWorker"]):
    def alive(self) -> TaskWorkerQuerySet:
        """Workers heard from within the heartbeat timeout."""
        return self.filter(seen_at__gte=timezone.now() - heartbeat_timeout())


class TaskWorker(models.Model):
    """A task worker (``manage.py task_worker``) as its last heartbeat told.

    The worker writes ``seen_at`` every few seconds from a thread of its own; a
    plan being prepared by a worker not seen for ``TASK_WORKER_HEARTBEAT_TIMEOUT``
    seconds is one whose worker died (``ActionPlanQuerySet.stuck``).
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"))

    objects = TaskWorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def stuck(self) -> ActionPlanQuerySet:
        """Plans "being prepared" that never will be.

        Either past ``ACTION_PLAN_TIME_LIMIT`` seconds since the worker took
        them, or taken by a worker whose heartbeat stopped (killed, out of
        memory, its machine gone) or that never had one.
        """
        alive = TaskWorker.objects.alive().filter(worker_id=OuterRef("worker_id"))
        return self.filter(status=ActionPlan.Status.RUNNING).filter(
            Q(started_at__lt=timezone.now() - time_limit()) | ~Exists(alive)
        )

    def fail_stuck(self) -> int:
        """Mark the stuck plans among these failed, so that their page offers a retry."""
        return self.stuck().update(
            status=ActionPlan.Status.FAILED,
            error="Stuck: over the time limit, or its task worker stopped",
            finished_at=timezone.now(),
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
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # The django.tasks worker id of the worker preparing it (TaskWorker.worker_id).
    worker_id = models.CharField(_("worker id"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        # Moved here from the assessments app; the table kept its name.
        db_table = "assessments_actionplan"
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

    def fail_if_stuck(self) -> None:
        """Mark this plan failed if it is stuck (``ActionPlanQuerySet.stuck``); one query."""
        if self.status == self.Status.RUNNING and (
            ActionPlan.objects.filter(pk=self.pk).fail_stuck()
        ):
            self.refresh_from_db(fields=["status", "error", "finished_at"])
