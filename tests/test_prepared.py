"""Prepared queries return what their QuerySet returns, compiled once per connection;
prepared upserts store what bulk_create would."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

from assessments.models import Answer, Assessment, Membership, Team
from cxmaturity.prepared import PreparedQuery, PreparedUpsert
from playbook.models import Choice, Level, Question
from tests.conftest import World


def test_rows_are_the_querysets_with_related_objects_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    memberships = PreparedQuery(
        lambda user: Membership.objects.filter(user=user).select_related("team__organisation")
    )
    expected = list(Membership.objects.filter(user=world.lead).select_related("team__organisation"))

    with django_assert_num_queries(1):
        rows = memberships(user=world.lead.pk)
        names = [(row.team.name, row.team.organisation.name) for row in rows]  # type: ignore[union-attr]

    assert rows == expected
    assert names == [("Alpha support", "Acme")]


def test_each_call_runs_with_its_own_values(world: World) -> None:
    team = PreparedQuery(lambda pk: Team.objects.filter(pk=pk))

    assert team.first(pk=world.alpha.pk) == world.alpha
    assert team.first(pk=world.gamma.pk) == world.gamma
    assert team.first(pk=0) is None
    assert team(pk=world.beta.pk) == [world.beta]


def test_text_values_and_several_values(world: World) -> None:
    team = PreparedQuery(
        lambda organisation, slug: Team.objects.filter(organisation=organisation, slug=slug)
    )

    assert team.first(organisation=world.acme.pk, slug="beta") == world.beta
    # The slug belongs to another organisation: both values reach the SQL.
    assert team.first(organisation=world.acme.pk, slug="gamma") is None
    assert team.first(organisation=str(world.globex.pk), slug="gamma") == world.gamma


def test_value_rows_are_converted_as_the_queryset_converts_them(world: World) -> None:
    def build(organisation: int) -> QuerySet[Any, Any]:
        return (
            Team.objects.filter(organisation=organisation)
            .order_by("slug")
            .values_list("slug", "organisation__cycles__opens_on")
        )

    rows = PreparedQuery(build)(organisation=world.acme.pk)

    assert rows == list(build(world.acme.pk))
    assert rows == [("alpha", world.cycle.opens_on), ("beta", world.cycle.opens_on)]
    assert isinstance(rows[0][1], datetime.date)


def test_the_queryset_is_built_and_compiled_once(world: World) -> None:
    built: list[int] = []

    def build(pk: int) -> QuerySet[Team, Team]:
        built.append(pk)
        return Team.objects.filter(pk=pk)

    team = PreparedQuery(build)
    team(pk=world.alpha.pk)
    times_after_first_call = len(built)
    team(pk=world.beta.pk)
    team(pk=world.gamma.pk)

    assert len(built) == times_after_first_call
    assert world.alpha.pk not in built  # only stand-ins went through the QuerySet


@pytest.mark.django_db(transaction=True)
def test_another_threads_connection_gets_its_own_compiled_query(world: World) -> None:
    team = PreparedQuery(lambda pk: Team.objects.filter(pk=pk))
    assert team.first(pk=world.alpha.pk) == world.alpha
    found: list[Team | None] = []

    def other_thread() -> None:
        try:
            found.append(team.first(pk=world.beta.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert found == [world.beta]
    assert team.first(pk=world.gamma.pk) == world.gamma


def test_a_value_the_query_transforms_is_refused(world: World) -> None:
    by_name = PreparedQuery(lambda name: Team.objects.filter(name__icontains=name))

    with pytest.raises(ImproperlyConfigured, match="name"):
        by_name(name="alpha")


def test_a_user_with_32_bit_ids_is_found(world: World) -> None:
    # auth.User's ids are 32-bit on PostgreSQL: stand-ins must fit them.
    user = PreparedQuery(lambda pk: User.objects.filter(pk=pk))

    assert user.first(pk=world.lead2.pk) == world.lead2
    assert user.first(pk=2**40) is None


def test_a_column_that_cannot_hold_a_stand_in_is_refused(world: World) -> None:
    by_number = PreparedQuery(lambda number: Level.objects.filter(number=number))

    with pytest.raises(ImproperlyConfigured, match="outside a column's range"):
        by_number(number=3)


def test_the_values_must_match_the_parameters(world: World) -> None:
    team = PreparedQuery(lambda pk: Team.objects.filter(pk=pk))

    with pytest.raises(TypeError):
        team(id=world.alpha.pk)


def test_upsert_inserts_new_rows_and_updates_existing_ones_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    assessment = Assessment.objects.create(
        team=world.alpha, cycle=world.cycle, respondent=world.lead
    )
    other = Assessment.objects.create(team=world.beta, cycle=world.cycle, respondent=world.lead2)
    choice = Choice.objects.filter(question__element__framework=world.framework).first()
    assert choice is not None
    second = choice.question
    first, third = Question.objects.filter(element__framework=world.framework).exclude(
        pk=second.pk
    )[:2]
    Answer.objects.create(assessment=assessment, question=first, text="old", note="old note")
    Answer.objects.create(assessment=other, question=first, text="other team's")
    upsert = PreparedUpsert(
        Answer,
        unique_fields=["assessment", "question"],
        update_fields=["choice", "text", "note", "updated_at"],
    )

    with django_assert_num_queries(1):
        upsert(
            [
                Answer(assessment=assessment, question=first, text="new", note=""),
                Answer(assessment=assessment, question=second, choice=choice, note="why"),
            ]
        )
    upsert([Answer(assessment=assessment, question=third, text="later")])
    upsert([])

    stored = {
        answer.question_id: (answer.choice_id, answer.text, answer.note)
        for answer in Answer.objects.filter(assessment=assessment)
    }
    assert stored == {
        first.pk: (None, "new", ""),
        second.pk: (choice.pk, "", "why"),
        third.pk: (None, "later", ""),
    }
    assert Answer.objects.get(assessment=other).text == "other team's"
    assert Answer.objects.filter(updated_at__isnull=True).count() == 0


def test_an_integer_no_column_can_hold_matches_nothing(
    world: World, django_assert_num_queries: Any
) -> None:
    team = PreparedQuery(lambda pk: Team.objects.filter(pk=pk))

    with django_assert_num_queries(0):
        assert team.first(pk=2**63) is None
        assert team(pk=-(2**63) - 1) == []
    assert team.first(pk=2**63 - 1) is None  # the largest that fits is asked for
    assert team.first(pk=world.alpha.pk) == world.alpha
