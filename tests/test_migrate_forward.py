"""A database built before the assessments app was split migrates forward without loss.

The database is taken back to the last migrations of that time (assessments
0006, before organisations, reports and action items had apps of their own),
filled through the models as they were then, then migrated forward. Every row
of the moved tables must be as it was, admin history and permissions must still
point at their models, and the results page must show what the answers say.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from playbook.models import Choice, Question
from playbook.versions import rubric_version_for
from tests import factories

BEFORE_THE_SPLIT = [
    ("assessments", "0006_invitation_withdrawn"),
    ("organisations", None),
    ("reports", None),
    ("action_items", None),
]
MOVED_TABLES = [
    "assessments_organisation",
    "assessments_team",
    "assessments_membership",
    "assessments_cycle",
    "assessments_cycle_frameworks",
    "assessments_invitation",
    "assessments_actionplan",
    "assessments_actionitem",
    "assessments_assessment",
    "assessments_answer",
    "assessments_reminder",
]


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever happened, leave the database as the other tests expect it.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def migrate(executor: MigrationExecutor, targets: list[tuple[str, str | None]]) -> Apps:
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(
        [(app, name) for app, name in targets if name is not None]
    ).apps


# Columns added since the split, left out of the comparison: an action item's
# Chinese title (empty for the English one made here), an organisation's
# language (the default, English).
ADDED_SINCE = {
    ("assessments_actionitem", "title_zh_hans"),
    ("assessments_organisation", "language"),
    ("assessments_actionplan", "started_at"),
    ("assessments_actionplan", "worker_id"),
}


def rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
        kept = [
            i
            for i, column in enumerate(cursor.description)
            if (table, column[0]) not in ADDED_SINCE
        ]
        return [tuple(row[i] for i in kept) for row in cursor.fetchall()]


def fill(old: Apps) -> dict[str, Any]:
    """An organisation as the old code made it: a cycle, a submitted assessment, its extras."""
    framework = factories.make_rubric()
    version = rubric_version_for([framework])
    lead = factories.make_user("lead", first_name="Lin", last_name="Wei")
    manager = factories.make_user("manager")

    def model(name: str) -> Any:
        return old.get_model("assessments", name)

    organisation = model("Organisation").objects.create(name="Acme", slug="acme")
    team = model("Team").objects.create(organisation=organisation, name="Alpha", slug="alpha")
    model("Membership").objects.create(
        user_id=lead.pk, organisation=organisation, team=team, role="lead"
    )
    model("Membership").objects.create(
        user_id=manager.pk, organisation=organisation, role="manager"
    )
    today = datetime.date.today()
    cycle = model("Cycle").objects.create(
        organisation=organisation,
        name="2026 H2",
        slug="2026-h2",
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=30),
        rubric_version_id=version.pk,
    )
    cycle.frameworks.add(framework.pk)
    assessment = model("Assessment").objects.create(
        team=team,
        cycle=cycle,
        respondent_id=lead.pk,
        status="submitted",
        submitted_at=timezone.now(),
    )
    for question_key, choice_key in {
        "alpha-element-level": "level-2",
        "alpha-element-agree": "agree",  # (2 + 4) / 2 = 3.0: level 3
        "beta-element-level": "level-1",
        "beta-element-agree": "disagree",  # 1.5: level 2
    }.items():
        question = Question.objects.get(key=question_key)
        model("Answer").objects.create(
            assessment=assessment,
            question_id=question.pk,
            choice_id=Choice.objects.get(question=question, key=choice_key).pk,
            note=f"Note on {question_key}",
        )
    model("Answer").objects.create(
        assessment=assessment,
        question_id=Question.objects.get(key="alpha-element-reflect").pk,
        text="We rarely ask customers.",
    )
    model("ActionItem").objects.create(
        team=team, cycle=cycle, title="Map the complaint journey", owner_name="Kim"
    )
    model("ActionPlan").objects.create(
        kind="team", team=team, cycle=cycle, language="en", input_hash="f" * 64, status="failed"
    )
    model("Invitation").objects.create(
        organisation=organisation,
        team=team,
        email="new@example.com",
        token="t" * 64,
        invited_by_id=manager.pk,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    model("Reminder").objects.create(cycle=cycle, team=team, user_id=lead.pk, sent_on=today)
    # Admin history and a permission on a moved model, as the admin recorded them then.
    content_type = ContentType.objects.get(app_label="assessments", model="organisation")
    LogEntry.objects.create(
        user_id=manager.pk,
        content_type=content_type,
        object_id=str(organisation.pk),
        object_repr="Acme",
        action_flag=CHANGE,
        change_message="Renamed",
    )
    return {
        "lead": lead,
        "assessment_id": assessment.pk,
        "organisation_id": organisation.pk,
        "content_type_id": content_type.pk,
        "permission_id": Permission.objects.get(
            content_type=content_type, codename="change_organisation"
        ).pk,
    }


def test_a_database_from_before_the_split_migrates_forward_without_loss(
    executor: MigrationExecutor,
) -> None:
    old = migrate(executor, BEFORE_THE_SPLIT)
    ContentType.objects.clear_cache()
    made = fill(old)
    before = {table: rows(table) for table in MOVED_TABLES}
    assert all(before.values())

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert {table: rows(table) for table in MOVED_TABLES} == before
    content_type = ContentType.objects.get(pk=made["content_type_id"])
    assert (content_type.app_label, content_type.model) == ("organisations", "organisation")
    assert content_type.model_class() is Organisation
    history = LogEntry.objects.get(object_id=str(made["organisation_id"]))
    assert history.get_edited_object() == Organisation.objects.get(slug="acme")
    assert made["lead"].pk  # the lead can still sign in and see their results
    client = Client()
    client.force_login(made["lead"])
    page = client.get(reverse("assessment_results", args=[made["assessment_id"]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Results for Alpha, 2026 H2" in text
    assert "<td>3.0</td>" in text and "Level 3: Stage 3" in text
    assert "<td>1.5</td>" in text
    assert "We rarely ask customers." in text
    permission = Permission.objects.get(pk=made["permission_id"])
    assert (permission.content_type.app_label, permission.codename) == (
        "organisations",
        "change_organisation",
    )
