"""Action items: commit a next-level step, update it, carry open items into the next cycle.

The writes are keyword-only functions, each in one transaction that first
locks the team row, so two tabs (or two leads) committing the same step, or
carrying over at the same moment, cannot create a step twice. The reads the
lists and the PDF share sit at the end.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from action_items.models import TITLE_MAX_LENGTH, ActionItem
from organisations.models import Cycle, Team
from playbook.models import ActionStep

OPEN_STATUSES = (ActionItem.Status.TODO, ActionItem.Status.DOING)


class StepAlreadyCommitted(Exception):
    """The team already has an action item for this step in this cycle."""

    message = _("This step is already an action item of the team for this cycle.")

    def __init__(self, item: ActionItem) -> None:
        super().__init__(str(self.message))
        self.item = item


def _step_titles(action_step: ActionStep) -> dict[str, str]:
    """The step's title in both languages, as the item's ``title_en`` and ``title_zh_hans``."""
    return {
        "title_en": (action_step.title_en or "")[:TITLE_MAX_LENGTH],
        "title_zh_hans": (action_step.title_zh_hans or "")[:TITLE_MAX_LENGTH],
    }


def _lock_team(team: Team) -> None:
    # Serialises the writes of one team (a no-op on SQLite, which locks the whole database).
    list(Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True))


def committed_item(
    *, team: Team, cycle: Cycle, action_step: ActionStep, element_key: str
) -> ActionItem | None:
    """The team's item for this step in the cycle, if it has committed it already.

    Matched on the step row; a step read from a pinned rubric whose row has
    since been deleted is matched on its element, key and title (in either
    language) instead.
    """
    items = ActionItem.objects.filter(team=team, cycle=cycle)
    match = items.filter(action_step_id=action_step.pk).first()
    if match is None:
        titles = _step_titles(action_step)
        same_title = Q(title_en=titles["title_en"])
        if titles["title_zh_hans"]:
            same_title |= Q(title_zh_hans=titles["title_zh_hans"])
        match = items.filter(
            same_title, action_step__isnull=True, element_key=element_key, step_key=action_step.key
        ).first()
    return match


def action_item_create(
    *,
    team: Team,
    cycle: Cycle,
    action_step: ActionStep,
    owner: User | None,
    owner_name: str,
    due_date: datetime.date | None,
    notes: str,
    user: User,
    status: str = ActionItem.Status.TODO,
    element_key: str | None = None,
) -> ActionItem:
    """Commit ``action_step`` as the team's item for the cycle.

    The step's title is copied in both languages, so the item reads the same,
    in the reader's language, after the rubric changes or drops the step.
    ``element_key`` defaults to the step's element (pass it for a step read
    from a pinned rubric). The owner is a user or, when ``owner`` is None, the
    free-text ``owner_name``. Raises ``StepAlreadyCommitted`` when the team
    has the step already.
    """
    if element_key is None:
        element_key = action_step.level.element.key
    with transaction.atomic():
        _lock_team(team)
        existing = committed_item(
            team=team, cycle=cycle, action_step=action_step, element_key=element_key
        )
        if existing is not None:
            raise StepAlreadyCommitted(existing)
        # A step of a pinned rubric may outlive its row; the item keeps its keys and titles.
        step_exists = ActionStep.objects.filter(pk=action_step.pk).exists()
        return ActionItem.objects.create(
            team=team,
            cycle=cycle,
            action_step_id=action_step.pk if step_exists else None,
            element_key=element_key,
            step_key=action_step.key,
            **_step_titles(action_step),
            owner=owner,
            owner_name=owner_name if owner is None else "",
            due_date=due_date,
            status=status,
            notes=notes,
            created_by=user,
        )


def action_item_update(
    *,
    item: ActionItem,
    status: str,
    owner: User | None,
    owner_name: str,
    due_date: datetime.date | None,
    notes: str,
    user: User,
) -> ActionItem:
    """Change an item's status, owner, due date and notes (the step and titles stay)."""
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        locked.status = status
        locked.owner = owner
        locked.owner_name = owner_name if owner is None else ""
        locked.due_date = due_date
        locked.notes = notes
        locked.save(
            update_fields=["status", "owner", "owner_name", "due_date", "notes", "updated_at"]
        )
    return locked


def items_to_carry_over(*, team: Team, cycle: Cycle, previous: Cycle) -> list[ActionItem]:
    """The team's open items of ``previous`` that ``cycle`` has no copy of yet (two queries).

    Left out as well: items whose step the team has committed afresh in
    ``cycle``, which would otherwise appear twice in its plan.
    """
    candidates = list(
        ActionItem.objects.filter(team=team, cycle=previous, status__in=OPEN_STATUSES)
        .exclude(carried_to__cycle=cycle)
        .order_by("pk")
    )
    if not candidates:
        return []
    committed_steps = set(
        ActionItem.objects.filter(team=team, cycle=cycle, action_step__isnull=False).values_list(
            "action_step_id", flat=True
        )
    )
    return [item for item in candidates if item.action_step_id not in committed_steps]


def action_item_carry_over(*, team: Team, cycle: Cycle, user: User) -> list[ActionItem]:
    """Copy the team's open items of the previous cycle into ``cycle``; return the copies.

    Called explicitly, from the button "Carry over open items from …" on the
    team's list (a POST), not lazily whenever a list or PDF is shown:

    - showing a page or a PDF writes nothing, so GET and HEAD stay safe to
      repeat, prefetch and cache, and the PDF worker (which acts for nobody)
      never creates rows;
    - the lead decides when the new cycle's plan starts: items already
      finished by then can be closed first in the previous cycle and are not
      dragged along, and ``created_by`` records who carried them;
    - the team's list says how many open items wait to be carried over, so
      they are not forgotten.

    Idempotent: an item is copied once per cycle (its copy points back
    through ``carried_from``); calling again copies only items that became
    open or were added since. Copies keep the status, owner, due date and
    notes.
    """
    with transaction.atomic():
        _lock_team(team)
        previous = cycle.previous()
        if previous is None:
            return []
        copies = [
            ActionItem(
                team=team,
                cycle=cycle,
                action_step_id=item.action_step_id,
                element_key=item.element_key,
                step_key=item.step_key,
                title_en=item.title_en,
                title_zh_hans=item.title_zh_hans,
                owner_id=item.owner_id,
                owner_name=item.owner_name,
                due_date=item.due_date,
                status=item.status,
                notes=item.notes,
                carried_from=item,
                created_by=user,
            )
            for item in items_to_carry_over(team=team, cycle=cycle, previous=previous)
        ]
        return ActionItem.objects.bulk_create(copies)


# Reads shared by the lists, the results page and the PDF.


def action_items_with_related(queryset: QuerySet[ActionItem] | None = None) -> QuerySet[ActionItem]:
    """Items with what a list or the PDF shows about each, in one query."""
    if queryset is None:
        queryset = ActionItem.objects.all()
    return queryset.select_related("team", "cycle", "owner", "carried_from__cycle")


def action_items_for_plan(*, team_id: int, cycle_id: int) -> list[ActionItem]:
    """The team's items for the cycle as the PDF lists them: open first, by due date (one query)."""
    return list(
        action_items_with_related(ActionItem.objects.filter(team_id=team_id, cycle_id=cycle_id))
    )


def committed_items(*, team: Team, cycle: Cycle) -> dict[int, ActionItem]:
    """The team's items in the cycle by the id of their step (one query)."""
    return {
        item.action_step_id: item
        for item in ActionItem.objects.filter(team=team, cycle=cycle, action_step__isnull=False)
        if item.action_step_id is not None
    }


def committed_step_ids(*, team_id: int, cycle_id: int) -> set[int]:
    """The ids of the steps the team has committed in the cycle (one query)."""
    return set(
        ActionItem.objects.filter(
            team_id=team_id, cycle_id=cycle_id, action_step__isnull=False
        ).values_list("action_step_id", flat=True)
    )
