"""Manager workflows: open and close cycles, add and rename teams, invite and remove team leads.

Also the language each email goes out in (``email_language``) and the
choice it starts from (``language_preference_set``).

The writes are keyword-only functions, each in one transaction. Who may call
them is the views' business (they 404 for anyone but the organisation's CX
managers); the services re-check the few things a race could change: a cycle
name taken in another tab, an invitation accepted twice.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    Cycle,
    Invitation,
    Membership,
    Organisation,
    Team,
    UserPreference,
)
from playbook.models import Framework
from playbook.versions import rubric_version_for

logger = logging.getLogger(__name__)

INVITATION_VALID_FOR = datetime.timedelta(days=14)
SLUG_MAX_LENGTH = Cycle._meta.get_field("slug").max_length or 50
# Assessment.Status values, counted through the reverse relation: this app
# sits above assessments and does not import it.
SUBMITTED, DRAFT = "submitted", "draft"


# Cycles


class CycleNameTaken(Exception):
    message = _("This organisation already has a cycle with this name.")


def name_slug(name: str) -> str:
    """A cycle's or a team's slug: ``slugify(name)``, plus a short digest for non-Latin names.

    "2026 上半年" and "2026 下半年" would both slugify to "2026"; the digest of
    the Unicode slug keeps them apart, and keeps the slug ASCII for the admin.
    """
    ascii_slug = slugify(name)[:SLUG_MAX_LENGTH].strip("-")
    unicode_slug = slugify(name, allow_unicode=True)
    if ascii_slug == unicode_slug:
        return ascii_slug
    digest = hashlib.sha256(unicode_slug.encode()).hexdigest()[:8]
    return "-".join(part for part in (ascii_slug[: SLUG_MAX_LENGTH - 9].strip("-"), digest) if part)


def cycle_name_taken(*, organisation: Organisation, name: str) -> bool:
    return Cycle.objects.filter(organisation=organisation, slug=name_slug(name)).exists()


def cycles_with_counts(organisation: Organisation) -> QuerySet[Cycle]:
    """The organisation's cycles, newest first, with assessment counts and frameworks.

    Two queries whatever the number of cycles.
    """
    return (
        Cycle.objects.filter(organisation=organisation)
        .annotate(
            submitted_count=Count("assessments", filter=Q(assessments__status=SUBMITTED)),
            draft_count=Count("assessments", filter=Q(assessments__status=DRAFT)),
        )
        .prefetch_related("frameworks")
        .order_by("-opens_on", "-pk")
    )


def cycle_open(
    *,
    organisation: Organisation,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    frameworks: Iterable[Framework],
    user: User,
) -> Cycle:
    """Open a cycle and pin the rubric of its frameworks as it is now.

    Raises ``CycleNameTaken`` when the organisation has a cycle of that slug
    (a second tab may have opened it since the form was checked).
    """
    frameworks = list(frameworks)
    slug = name_slug(name)
    with transaction.atomic():
        if Cycle.objects.filter(organisation=organisation, slug=slug).exists():
            raise CycleNameTaken
        try:
            with transaction.atomic():
                cycle = Cycle.objects.create(
                    organisation=organisation,
                    name=name,
                    slug=slug,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    status=Cycle.Status.OPEN,
                )
        except IntegrityError as error:
            raise CycleNameTaken from error
        cycle.frameworks.set(frameworks)
        # Pinned in the same transaction: a cycle never exists without its rubric.
        cycle.rubric_version = rubric_version_for(frameworks)
        cycle.save(update_fields=["rubric_version"])
    logger.info("Cycle %s opened at %s by %s", cycle.pk, organisation.slug, user.pk)
    return cycle


def _set_status(cycle: Cycle, status: str) -> Cycle:
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.status != status:
            locked.status = status
            locked.save(update_fields=["status"])
    cycle.status = locked.status
    return locked


def cycle_close(*, cycle: Cycle, user: User) -> Cycle:
    """Close the cycle: its assessments take no more answers. Closing twice changes nothing.

    Drafts stay: their leads still find them, marked closed before submission,
    and reopening the cycle lets them finish.
    """
    closed = _set_status(cycle, Cycle.Status.CLOSED)
    logger.info("Cycle %s closed by %s", cycle.pk, user.pk)
    return closed


def cycle_open_early(*, cycle: Cycle, user: User) -> Cycle:
    """Open a scheduled cycle today rather than on its opening date.

    Its opening date becomes today; an open or closed cycle is left as it is.
    """
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.is_scheduled:
            locked.opens_on = timezone.localdate()
            locked.save(update_fields=["opens_on"])
            logger.info("Cycle %s opened early by %s", cycle.pk, user.pk)
    cycle.opens_on, cycle.status = locked.opens_on, locked.status
    return locked


def cycle_reopen(*, cycle: Cycle, user: User) -> Cycle:
    """Open a closed cycle again; drafts can be finished and submitted."""
    reopened = _set_status(cycle, Cycle.Status.OPEN)
    logger.info("Cycle %s reopened by %s", cycle.pk, user.pk)
    return reopened


# Teams


class TeamNameTaken(Exception):
    message = _("This organisation already has a team with this name.")


def team_name_taken(*, organisation: Organisation, name: str, team: Team | None = None) -> bool:
    """A team of that name (in any case) or of the slug it would get; ``team`` itself aside."""
    teams = Team.objects.filter(organisation=organisation)
    if team is not None:
        teams = teams.exclude(pk=team.pk)
    return teams.filter(Q(name__iexact=name) | Q(slug=name_slug(name))).exists()


def teams_with_leads(organisation: Organisation) -> QuerySet[Team]:
    """The organisation's teams by name, each with ``leads`` (memberships, users joined).

    Two queries whatever the number of teams.
    """
    leads = (
        Membership.objects.filter(role=Membership.Role.LEAD)
        .select_related("user")
        .order_by("user__username")
    )
    return (
        Team.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("memberships", queryset=leads, to_attr="leads"))
        .order_by("name")
    )


def team_create(*, organisation: Organisation, name: str, user: User) -> Team:
    """Add a team to the organisation. Raises ``TeamNameTaken`` for a slug in use."""
    try:
        with transaction.atomic():
            team = Team.objects.create(organisation=organisation, name=name, slug=name_slug(name))
    except IntegrityError as error:
        raise TeamNameTaken from error
    logger.info("Team %s added at %s by %s", team.pk, organisation.slug, user.pk)
    return team


def team_rename(*, team: Team, name: str, user: User) -> Team:
    """Give the team a new name (and the slug that goes with it). Raises ``TeamNameTaken``.

    Its assessments, results, action items and plans stay the team's; pages
    and new plans show the new name.
    """
    old_name = team.name
    team.name, team.slug = name, name_slug(name)
    try:
        with transaction.atomic():
            team.save(update_fields=["name", "slug"])
    except IntegrityError as error:
        raise TeamNameTaken from error
    logger.info("Team %s renamed from %r to %r by %s", team.pk, old_name, name, user.pk)
    return team


def lead_remove(*, membership: Membership, user: User) -> None:
    """The lead no longer leads the team: their access ends, their assessments stay.

    Removing someone who was removed already changes nothing.
    """
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk, role=Membership.Role.LEAD).delete()
    logger.info(
        "Lead %s removed from team %s by %s", membership.user_id, membership.team_id, user.pk
    )


# Invitations


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def invitation_state(invitation: Invitation, *, now: datetime.datetime) -> InvitationState:
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.withdrawn_at is not None:
        return InvitationState.WITHDRAWN
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


class InvitationUnavailable(Exception):
    """The invitation was used already, has expired or was withdrawn."""

    def __init__(self, state: InvitationState) -> None:
        self.state = state
        if state == InvitationState.ACCEPTED:
            message = _(
                "This invitation has already been used. Log in, or ask your CX manager "
                "for a new one."
            )
        elif state == InvitationState.WITHDRAWN:
            message = _("This invitation was withdrawn. Ask your CX manager for a new one.")
        else:
            message = _("This invitation has expired. Ask your CX manager for a new one.")
        super().__init__(message)
        self.message = message


class UsernameTaken(Exception):
    message = _("A user with that username already exists.")


def invitation_create(*, team: Team, email: str, invited_by: User) -> Invitation:
    """A new single-use invitation for ``email`` to lead ``team``, valid for 14 days."""
    with transaction.atomic():
        return Invitation.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )


def render_email(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str]:
    """Subject and body of ``emails/<template>``, written in ``language``, dates included."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    return " ".join(subject.split()), body


def invitation_send(*, invitation: Invitation, link: str) -> None:
    """Email the invitation with its absolute ``link``, in the language its recipient reads.

    That is the choice of an existing user with the address, or else the
    organisation's language (``email_language``), never the language of the
    CX manager who sends it.
    """
    organisation = invitation.team.organisation
    subject, body = render_email(
        "invitation",
        {
            "invitation": invitation,
            "team": invitation.team,
            "organisation": organisation,
            "invited_by": invitation.invited_by,
            "link": link,
            "expires_at": invitation.expires_at,
        },
        language=email_language(organisation=organisation, email=invitation.email),
    )
    EmailMessage(subject, body, to=[invitation.email]).send()


def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    username: str | None = None,
    password: str | None = None,
) -> User:
    """Make ``user`` (or a new user ``username``) lead of the invitation's team.

    The invitation row is locked and re-read first, so a double submit or a
    second tab cannot use it twice: the second call raises
    ``InvitationUnavailable`` and creates nothing. A new user gets the
    invitation's email address. Raises ``UsernameTaken`` when ``username`` is
    taken by now.
    """
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
        state = invitation_state(locked, now=timezone.now())
        if state != InvitationState.PENDING:
            raise InvitationUnavailable(state)
        if user is None:
            if not username or User.objects.filter(username__iexact=username).exists():
                raise UsernameTaken
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        username=username, email=locked.email, password=password
                    )
            except IntegrityError as error:
                raise UsernameTaken from error
        Membership.objects.get_or_create(
            user=user,
            team=locked.team,
            role=Membership.Role.LEAD,
            defaults={"organisation_id": locked.team.organisation_id},
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return user


def invitation_withdraw(*, invitation: Invitation, user: User) -> Invitation:
    """Take back a pending invitation: its link stops working at once.

    The row is locked and re-read, so a withdrawal racing an acceptance
    leaves one of them done, never both. Raises ``InvitationUnavailable``
    when the invitation was accepted or has expired; withdrawing it again
    changes nothing.
    """
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation_state(locked, now=timezone.now())
        if state == InvitationState.WITHDRAWN:
            return locked
        if state != InvitationState.PENDING:
            raise InvitationUnavailable(state)
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = user
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return locked


# Languages


def supported_language(code: str | None) -> str | None:
    """``code`` as one of ``settings.LANGUAGES`` ("zh-Hans" gives "zh-hans"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_preference_set(*, user: User, language: str) -> UserPreference | None:
    """Remember ``language`` as the one ``user`` reads their emails in.

    A code the site does not offer changes nothing and gives None.
    """
    supported = supported_language(language)
    if supported is None:
        return None
    with transaction.atomic():
        preference, _created = UserPreference.objects.update_or_create(
            user=user, defaults={"language": supported}
        )
    return preference


def chosen_language(user: User) -> str | None:
    """The language ``user`` last chose (one the site offers), or None if they never did."""
    try:
        return supported_language(user.preference.language)
    except UserPreference.DoesNotExist:
        return None


def email_language(
    *, user: User | None = None, organisation: Organisation | None = None, email: str = ""
) -> str:
    """The language an email to this recipient is written in.

    The recipient's own choice (``UserPreference``) first: ``user``'s, or, for
    an address that may have no account yet (an invitation), that of the user
    with ``email`` who signed in last. Then the language of ``organisation``,
    the one the email is about (a reminder's cycle's, an invitation's); for a
    user without one given, their first membership's organisation. Then the
    site's ``LANGUAGE_CODE``. Never the language of the request that sends it.
    """
    chosen: str | None = None
    if user is not None:
        chosen = chosen_language(user)
    elif email:
        chosen = (
            UserPreference.objects.filter(user__email__iexact=email)
            .order_by(F("user__last_login").desc(nulls_last=True), "user_id")
            .values_list("language", flat=True)
            .first()
        )
    if language := supported_language(chosen):
        return language
    if organisation is None and user is not None:
        organisation = (
            Organisation.objects.filter(memberships__user=user).order_by("memberships__pk").first()
        )
    if organisation is not None and (language := supported_language(organisation.language)):
        return language
    return settings.LANGUAGE_CODE
