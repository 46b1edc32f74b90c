"""Items saved with one title (in the committer's language) gain both languages, losing no text.

The database is taken back to action_items 0001, when an item had one
``title``, filled through the model as it was then, and migrated forward.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from action_items.models import ActionItem
from playbook.models import ActionStep
from playbook.versions import rubric_version_for
from tests.conftest import World, logged_in

ONE_TITLE = ("action_items", "0001_initial")


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever happened, leave the database as the other tests expect it.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def step(element_key: str, level: int, index: int) -> ActionStep:
    return ActionStep.objects.get(
        level__element__key=element_key, level__number=level, key=f"step-{index}"
    )


def test_old_items_gain_both_titles_without_losing_text(
    executor: MigrationExecutor, world: World
) -> None:
    world.cycle.rubric_version = rubric_version_for([world.framework])
    world.cycle.save()
    removed = step("alpha-element", 3, 2)
    removed.delete()  # the pinned rubric keeps it

    executor.loader.build_graph()
    executor.migrate([ONE_TITLE])
    old = executor.loader.project_state([ONE_TITLE]).apps.get_model("action_items", "ActionItem")

    def make(title: str, *, action_step: ActionStep | None = None, step_key: str = "") -> int:
        return old.objects.create(
            team_id=world.alpha.pk,
            cycle_id=world.cycle.pk,
            action_step_id=action_step.pk if action_step else None,
            element_key="alpha-element",
            step_key=step_key,
            title=title,
        ).pk

    made = {
        # Committed by someone reading Chinese: the step gives the English.
        "chinese copy": make(
            "alpha-element 步骤 3.1", action_step=step("alpha-element", 3, 1), step_key="step-1"
        ),
        # The step was reworded since: the committed wording stays.
        "older wording": make(
            "Call the old sponsor", action_step=step("alpha-element", 2, 1), step_key="step-1"
        ),
        # The step left the rubric: the cycle's pinned copy has both titles.
        "removed step": make("alpha-element step 3.2", step_key="step-2"),
        # No step to be found: the text is all there is.
        "chinese alone": make("绘制投诉旅程"),
        "english alone": make("Map the complaint journey"),
    }

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    titles = {
        name: ActionItem.objects.values_list("title_en", "title_zh_hans").get(pk=pk)
        for name, pk in made.items()
    }
    assert titles == {
        "chinese copy": ("alpha-element step 3.1", "alpha-element 步骤 3.1"),
        "older wording": ("Call the old sponsor", "alpha-element 步骤 2.1"),
        "removed step": ("alpha-element step 3.2", "alpha-element 步骤 3.2"),
        "chinese alone": ("绘制投诉旅程", "绘制投诉旅程"),
        "english alone": ("Map the complaint journey", ""),
    }
    client = logged_in(world.lead)
    url = reverse("team_action_items", args=[world.alpha.pk])
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for text in ("alpha-element 步骤 3.2", "绘制投诉旅程", "Map the complaint journey"):
        assert text in chinese
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "alpha-element step 3.1" in english
    assert "alpha-element 步骤 3.1" not in english
