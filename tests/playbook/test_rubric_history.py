"""The rubric's history: a first entry for the rubric as shipped, and the open cycles notice.

``loaddata`` records no history, so ``import_rubric`` (what ``make setup``
runs) and ``record_rubric_history`` (for sites loaded before) record it.
The admin's change and revert forms name the open cycles that keep a row as
their pinned rubric version has it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from organisations.models import Cycle
from playbook.history import RUBRIC_MODELS
from playbook.models import Element, Question
from playbook.versions import rubric_version_for
from tests import factories
from tests.conftest import World, logged_in
from tests.playbook.test_admin import TEXT_FIELDS, admin_url, form_data, page_text, sample

SHIPPED_RUBRIC = Path("fixtures/rubric.json")
SHIPPED_REASON = "Imported from rubric.json"
NOTICE = "Open cycles keep their rubric version"


def history_types(model: type[models.Model]) -> dict[int, list[str]]:
    """Each row's history entry types ("+", "~", "-"), oldest first."""
    types: dict[int, list[str]] = {
        pk: [] for pk in model._default_manager.values_list("pk", flat=True)
    }
    records = model.history.order_by("history_date", "history_id")  # type: ignore[attr-defined]
    for pk, history_type in records.values_list("id", "history_type"):
        types.setdefault(pk, []).append(history_type)
    return types


def import_shipped_rubric() -> None:
    call_command("import_rubric", str(SHIPPED_RUBRIC), verbosity=0)


@pytest.fixture
def shipped(db: None) -> None:
    import_shipped_rubric()


@pytest.fixture
def superuser_client(db: None) -> Client:
    return logged_in(User.objects.create_superuser("root", "root@example.com", factories.PASSWORD))


# A first history entry for the rubric as shipped


@pytest.mark.parametrize("model", RUBRIC_MODELS, ids=lambda model: model.__name__)
def test_every_shipped_row_has_one_created_entry(shipped: None, model: type[models.Model]) -> None:
    types = history_types(model)
    assert types  # the shipped rubric has rows of every model
    assert set(map(tuple, types.values())) == {("+",)}
    reasons = model.history.values_list("history_change_reason", flat=True)  # type: ignore[attr-defined]
    assert set(reasons) == {SHIPPED_REASON}


def test_importing_the_shipped_rubric_again_records_nothing(shipped: None) -> None:
    before = {model: model.history.count() for model in RUBRIC_MODELS}  # type: ignore[attr-defined]
    import_shipped_rubric()
    assert {model: model.history.count() for model in RUBRIC_MODELS} == before  # type: ignore[attr-defined]


def test_import_that_changes_a_text_records_the_change(shipped: None, tmp_path: Path) -> None:
    rows = json.loads(SHIPPED_RUBRIC.read_text(encoding="utf-8"))
    element_row = next(row for row in rows if row["model"] == "playbook.element")
    element_row["fields"]["name_en"] = "Customer insight, revised"
    revised = tmp_path / "revised.json"
    revised.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    call_command("import_rubric", str(revised), verbosity=0)

    element = Element.objects.get(key=element_row["fields"]["key"])
    assert element.name_en == "Customer insight, revised"
    latest = element.history.latest()  # type: ignore[attr-defined]
    assert (latest.history_type, latest.name_en) == ("~", "Customer insight, revised")
    assert latest.history_change_reason == "Imported from revised.json"
    # Only the row that changed.
    assert (
        sum(len(types) for types in history_types(Element).values()) == Element.objects.count() + 1
    )


def test_record_rubric_history_backfills_a_rubric_loaded_with_loaddata(db: None) -> None:
    call_command("loaddata", str(SHIPPED_RUBRIC), verbosity=0)
    assert not Question.history.exists()  # type: ignore[attr-defined]

    stdout = io.StringIO()
    call_command("record_rubric_history", stdout=stdout)
    rows = sum(model._default_manager.count() for model in RUBRIC_MODELS)
    assert f"Recorded {rows} rubric rows in history." in stdout.getvalue()
    for model in RUBRIC_MODELS:
        assert set(map(tuple, history_types(model).values())) == {("+",)}

    call_command("record_rubric_history", stdout=stdout)
    assert "Recorded 0 rubric rows in history." in stdout.getvalue()


def test_admin_reverts_an_edited_element_to_its_shipped_name(
    shipped: None, superuser_client: Client
) -> None:
    element = Element.objects.order_by("pk").first()
    assert element is not None
    shipped_name = element.name_en
    shipped_version = element.history.get()  # type: ignore[attr-defined]

    data = form_data(superuser_client.get(admin_url(element, "change")))
    data["name_en"] = "Renamed by an admin"
    assert superuser_client.post(admin_url(element, "change"), data).status_code == 302
    element.refresh_from_db()
    assert element.name_en == "Renamed by an admin"

    history = page_text(superuser_client.get(admin_url(element, "history")))
    version_urls = [
        reverse("admin:playbook_element_simple_history", args=[element.pk, record.history_id])
        for record in element.history.all()  # type: ignore[attr-defined]
    ]
    assert len(version_urls) == 2
    assert all(f'href="{url}"' in history for url in version_urls)
    assert SHIPPED_REASON in history
    assert "Renamed by an admin" in history

    revert_url = reverse(
        "admin:playbook_element_simple_history", args=[element.pk, shipped_version.history_id]
    )
    assert f'href="{revert_url}"' in history
    revert_page = superuser_client.get(revert_url)
    assert shipped_name in page_text(revert_page)
    assert superuser_client.post(revert_url, form_data(revert_page)).status_code == 302
    element.refresh_from_db()
    assert element.name_en == shipped_name
    assert element.history.count() == 3  # type: ignore[attr-defined]


# The open cycles that keep a row as they pinned it


def pin(cycle: Cycle) -> None:
    cycle.rubric_version = rubric_version_for(cycle.frameworks.all())
    cycle.save(update_fields=["rubric_version"])


@pytest.mark.parametrize("model", TEXT_FIELDS, ids=lambda model: model.__name__)
def test_change_form_names_the_open_cycle_that_pinned_the_row(
    admin_client_: Client, world: World, model: type[models.Model]
) -> None:
    Cycle.objects.filter(pk=world.globex_cycle.pk).update(name="2026 Q3")
    pin(world.cycle)
    pin(world.globex_cycle)
    page = page_text(admin_client_.get(admin_url(sample(model), "change")))
    assert NOTICE in page
    assert "an edit here shows only in cycles opened from now on" in page
    assert "2026 H2 (Acme)" in page
    assert "2026 Q3 (Globex)" in page


def test_change_form_leaves_out_closed_and_unpinned_cycles(
    admin_client_: Client, world: World
) -> None:
    pin(world.cycle)
    Cycle.objects.filter(pk=world.cycle.pk).update(status=Cycle.Status.CLOSED)
    # No pinned version: it reads the live rubric, so an edit shows there at once.
    other_open = factories.make_cycle(world.acme, [world.framework], name="2027 H1", slug="27h1")
    page = page_text(admin_client_.get(admin_url(sample(Element), "change")))
    assert NOTICE not in page
    assert "2026 H2" not in page
    assert "2027 H1" not in page
    assert other_open.rubric_version_id is None


def test_change_form_of_a_row_added_after_pinning_has_no_notice(
    admin_client_: Client, world: World
) -> None:
    pin(world.cycle)
    added = factories.make_rubric("later-framework", ("later-element",))
    page = page_text(admin_client_.get(admin_url(added, "change")))
    assert NOTICE not in page
    assert NOTICE in page_text(admin_client_.get(admin_url(world.framework, "change")))


def test_revert_form_names_the_open_cycle_too(admin_client_: Client, world: World) -> None:
    pin(world.cycle)
    element = sample(Element)
    version = element.history.get()  # type: ignore[attr-defined]
    url = reverse("admin:playbook_element_simple_history", args=[element.pk, version.history_id])
    page = page_text(admin_client_.get(url))
    assert NOTICE in page
    assert "2026 H2 (Acme)" in page


def test_notice_is_in_chinese_for_a_chinese_admin(admin_client_: Client, world: World) -> None:
    pin(world.cycle)
    url = admin_url(sample(Element), "change")
    page = page_text(admin_client_.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "进行中的评估周期保留其评估标准版本" in page
    assert "2026 H2（Acme）" in page
