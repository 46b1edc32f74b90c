"""An open cycle's frozen rubric keeps the questions and choices it asks from deletion."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from organisations.models import Cycle
from playbook.models import Choice, Question
from playbook.versions import rubric_version_for
from tests.conftest import World


def pin(cycle: Cycle) -> None:
    cycle.rubric_version = rubric_version_for(cycle.frameworks.all())
    cycle.save(update_fields=["rubric_version"])


def delete(client: Client, instance: Choice | Question) -> str:
    opts = instance._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[instance.pk])
    return client.post(url, {"post": "yes"}, follow=True).content.decode()


def test_an_unanswered_choice_of_an_open_pinned_cycle_is_kept(
    admin_client_: Client, world: World
) -> None:
    pin(world.cycle)
    pin(world.globex_cycle)  # the same rubric, so the same version: two open cycles ask it
    choice = Choice.objects.get(question__key="alpha-element-agree", key="neutral")
    page = delete(admin_client_, choice)
    assert "cannot be deleted: 2 open cycles ask it in their frozen rubric" in page
    assert Choice.objects.filter(pk=choice.pk).exists()


def test_an_unanswered_question_of_an_open_pinned_cycle_is_kept(
    admin_client_: Client, world: World
) -> None:
    pin(world.cycle)
    question = Question.objects.get(key="beta-element-reflect")
    page = delete(admin_client_, question)
    assert "cannot be deleted: 1 open cycle asks it in its frozen rubric" in page
    assert Question.objects.filter(pk=question.pk).exists()


def test_once_the_cycle_is_closed_an_unanswered_choice_can_go(
    admin_client_: Client, world: World
) -> None:
    pin(world.cycle)
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    choice = Choice.objects.get(question__key="alpha-element-agree", key="neutral")
    delete(admin_client_, choice)
    assert not Choice.objects.filter(pk=choice.pk).exists()
