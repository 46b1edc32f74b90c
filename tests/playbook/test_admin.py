"""Rubric admin: a page for every model, history with revert, and delete protection.

In the ``answered`` data, two respondents (teams alpha and beta) answered the
alpha element's level question with its level-3 choice and its agreement
question with "agree". Nothing answers the beta element.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Assessment
from playbook.models import ActionStep, Choice, Element, FocusArea, Framework, Level, Question
from tests import factories
from tests.conftest import World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

LOGIN_URL = reverse("admin:login")

# Every registered rubric model, with one bilingual text field shown on its forms.
TEXT_FIELDS: dict[type[models.Model], str] = {
    Framework: "name",
    Element: "name",
    Level: "description",
    FocusArea: "title",
    ActionStep: "explanation",
    Question: "prompt",
    Choice: "label",
}


def form_data(response: TestResponse) -> dict[str, Any]:
    """What a browser would POST back, unchanged, from the admin form on this page."""
    context = response.context
    forms = [context["adminform"].form]
    for inline_admin_formset in context.get("inline_admin_formsets", []):
        formset = inline_admin_formset.formset
        forms += [formset.management_form, *formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue  # an empty field or an unticked checkbox sends nothing
            data[form[name].html_name] = "on" if value is True else value
    return data


def inline_index(data: dict[str, Any], prefix: str, instance: models.Model) -> int:
    """The position of ``instance`` in the inline formset with ``prefix``."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index in range(total):
        if str(data.get(f"{prefix}-{index}-id")) == str(instance.pk):
            return index
    raise AssertionError(f"{instance!r} is not in the {prefix} inline")


def admin_url(instance_or_model: Any, view: str, *args: Any) -> str:
    opts = instance_or_model._meta
    if view in {"change", "delete", "history"}:
        args = (instance_or_model.pk, *args)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def page_text(response: TestResponse) -> str:
    return response.content.decode()


def sample(model: type[models.Model]) -> models.Model:
    """One existing row of each rubric model, from the test rubric."""
    samples: dict[type[models.Model], models.Model] = {
        Framework: Framework.objects.get(key="test-framework"),
        Element: Element.objects.get(key="alpha-element"),
        Level: Level.objects.get(element__key="alpha-element", number=3),
        FocusArea: FocusArea.objects.get(
            level__element__key="alpha-element", level__number=3, key="focus-1"
        ),
        ActionStep: ActionStep.objects.get(
            level__element__key="alpha-element", level__number=3, key="step-1"
        ),
        Question: Question.objects.get(key="alpha-element-level"),
        Choice: Choice.objects.get(question__key="alpha-element-level", key="level-3"),
    }
    return samples[model]


def level(element_key: str, number: int) -> Level:
    return Level.objects.get(element__key=element_key, number=number)


def choice(question_key: str, key: str) -> Choice:
    return Choice.objects.get(question__key=question_key, key=key)


@pytest.fixture
def answered(world: World) -> None:
    for team, respondent in ((world.alpha, world.lead), (world.beta, world.lead2)):
        assessment = Assessment.objects.create(team=team, cycle=world.cycle, respondent=respondent)
        Answer.objects.create(
            assessment=assessment,
            question=Question.objects.get(key="alpha-element-level"),
            choice=choice("alpha-element-level", "level-3"),
        )
        Answer.objects.create(
            assessment=assessment,
            question=Question.objects.get(key="alpha-element-agree"),
            choice=choice("alpha-element-agree", "agree"),
        )


# Pages and who may see them


def test_every_registered_rubric_model_is_covered_here() -> None:
    registered = {
        model
        for model in apps.get_app_config("playbook").get_models()
        if admin.site.is_registered(model)
    }
    assert registered == set(TEXT_FIELDS)


@pytest.mark.parametrize("model", TEXT_FIELDS, ids=lambda model: model.__name__)
def test_superuser_sees_changelist_add_and_change_pages(
    admin_client_: Client, world: World, model: type[models.Model]
) -> None:
    instance = sample(model)
    text = TEXT_FIELDS[model]

    changelist = admin_client_.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert str(instance.pk) in page_text(changelist)
    assert admin_url(instance, "change") in page_text(changelist)

    add = admin_client_.get(admin_url(model, "add"))
    assert add.status_code == 200
    assert f'name="{text}_en"' in page_text(add)
    assert f'name="{text}_zh_hans"' in page_text(add)

    change = admin_client_.get(admin_url(instance, "change"))
    assert change.status_code == 200
    assert getattr(instance, f"{text}_zh_hans") in page_text(change)
    assert admin_url(instance, "history") in page_text(change)
    # The two languages of a text share one row of the form.
    assert f"field-{text}_en field-{text}_zh_hans" in page_text(change)


@pytest.mark.parametrize("model", TEXT_FIELDS, ids=lambda model: model.__name__)
def test_team_lead_is_sent_to_admin_login(lead_client: Client, model: type[models.Model]) -> None:
    instance = sample(model)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(instance, "change"),
        admin_url(instance, "history"),
        admin_url(instance, "delete"),
    ):
        response = lead_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN_URL), url
    assert lead_client.post(admin_url(instance, "delete"), {"post": "yes"}).status_code == 302
    assert type(instance)._default_manager.filter(pk=instance.pk).exists()


@pytest.mark.parametrize("model", TEXT_FIELDS, ids=lambda model: model.__name__)
def test_changelist_queries_do_not_grow_with_the_rubric(
    admin_client_: Client, world: World, model: type[models.Model]
) -> None:
    url = admin_url(model, "changelist")
    admin_client_.get(url)  # session and content types warmed up
    with CaptureQueriesContext(connection) as small:
        assert admin_client_.get(url).status_code == 200
    factories.make_rubric("second-framework", ("gamma-element", "delta-element", "epsilon-element"))
    with CaptureQueriesContext(connection) as large:
        response = admin_client_.get(url)
    assert response.status_code == 200
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


@pytest.mark.parametrize(
    ("field_name", "label"),
    [
        ("level", "Element gamma-element · 1 Stage 1"),
        ("question", "Element gamma-element · gamma-element-agree"),
    ],
)
def test_choice_autocompletes_do_not_grow_queries_with_the_rubric(
    admin_client_: Client, world: World, field_name: str, label: str
) -> None:
    url = reverse("admin:autocomplete")
    params = {"app_label": "playbook", "model_name": "choice", "field_name": field_name}
    admin_client_.get(url, params)
    with CaptureQueriesContext(connection) as small:
        admin_client_.get(url, params)
    factories.make_rubric("second-framework", ("gamma-element",))
    with CaptureQueriesContext(connection) as large:
        response = admin_client_.get(url, params)
    assert label in [result["text"] for result in response.json()["results"]]
    assert len(large) == len(small)


def test_question_changelist_searches_chinese_text(admin_client_: Client, world: World) -> None:
    response = admin_client_.get(admin_url(Question, "changelist"), {"q": "反思"})
    assert "alpha-element-reflect" in page_text(response)
    assert "beta-element-reflect" in page_text(response)
    assert "alpha-element-agree" not in page_text(response)


def test_level_changelist_filters_by_level_number(admin_client_: Client, world: World) -> None:
    response = admin_client_.get(admin_url(Level, "changelist"), {"number": "4"})
    assert "Stage 4" in page_text(response)
    assert "Stage 2" not in page_text(response)


def test_choice_inline_offers_only_levels_of_the_questions_element(
    admin_client_: Client, world: World
) -> None:
    question = Question.objects.get(key="alpha-element-level")
    response = admin_client_.get(admin_url(question, "change"))
    (choices,) = response.context["inline_admin_formsets"]
    offered = set(choices.formset.forms[0].fields["level"].queryset)
    assert offered == set(Level.objects.filter(element__key="alpha-element"))
    assert ">2 · Stage 2</option>" in page_text(response)


# History and revert


def test_history_shows_who_changed_a_level_and_revert_restores_the_old_text(
    admin_client_: Client, world: World
) -> None:
    edited = level("alpha-element", 3)
    old_text = edited.description_en
    new_text = "Every complaint reaches the weekly team meeting."
    original_version = edited.history.get()

    data = form_data(admin_client_.get(admin_url(edited, "change")))
    data["description_en"] = new_text
    response = admin_client_.post(admin_url(edited, "change"), data)
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.description_en == new_text
    assert edited.history.latest().history_user == world.admin

    history = page_text(admin_client_.get(admin_url(edited, "history")))
    assert "What it looks like (English)" in history
    assert old_text in history
    assert new_text in history
    assert f">{world.admin.username}</a>" in history

    revert_url = reverse(
        "admin:playbook_level_simple_history", args=[edited.pk, original_version.history_id]
    )
    revert_page = admin_client_.get(revert_url)
    assert old_text in page_text(revert_page)
    response = admin_client_.post(revert_url, form_data(revert_page))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.description_en == old_text
    assert edited.description_zh_hans == original_version.description_zh_hans
    assert edited.history.count() == 3
    assert edited.history.latest().history_user == world.admin


def test_inline_edit_is_recorded_in_the_childs_history(admin_client_: Client, world: World) -> None:
    edited_level = level("alpha-element", 3)
    step = edited_level.action_steps.get(key="step-1")
    data = form_data(admin_client_.get(admin_url(edited_level, "change")))
    index = inline_index(data, "action_steps", step)
    data[f"action_steps-{index}-title_zh_hans"] = "新的步骤"
    assert admin_client_.post(admin_url(edited_level, "change"), data).status_code == 302
    step.refresh_from_db()
    assert step.title_zh_hans == "新的步骤"
    assert step.history.latest().history_user == world.admin


# Delete protection

QUESTION_REFUSAL = (
    "“Element alpha-element · alpha-element-level” cannot be deleted: 2 answers use it. "
    "Mark it inactive instead so it is no longer asked."
)
CHOICE_REFUSAL = (
    "“alpha-element at level 3” cannot be deleted: 2 answers use it. "
    "Mark it inactive instead so it is no longer offered."
)


def level_refusal(number: int) -> str:
    return (
        f"“Element alpha-element · {number} Stage {number}” cannot be deleted: "
        "4 answers use it. Edit its texts instead: past results are reported against this "
        "element&#x27;s levels."
    )


# Each: the row answers use, an unanswered row of the same model, the refusal shown.
PROTECTED_CASES = [
    pytest.param(
        lambda: Question.objects.get(key="alpha-element-level"),
        lambda: Question.objects.get(key="beta-element-reflect"),
        QUESTION_REFUSAL,
        id="question",
    ),
    pytest.param(
        lambda: choice("alpha-element-level", "level-3"),
        lambda: choice("alpha-element-agree", "not-sure"),
        CHOICE_REFUSAL,
        id="choice",
    ),
    pytest.param(
        lambda: level("alpha-element", 3),
        lambda: level("beta-element", 3),
        level_refusal(3),
        id="anchored level",
    ),
    pytest.param(
        lambda: level("alpha-element", 5),
        lambda: level("beta-element", 5),
        level_refusal(5),
        id="level of an answered element",
    ),
]


@pytest.mark.parametrize(("get_instance", "get_unused", "refusal"), PROTECTED_CASES)
@pytest.mark.usefixtures("answered")
def test_delete_view_refuses_rows_that_answers_use(
    admin_client_: Client, get_instance: Any, get_unused: Any, refusal: str
) -> None:
    instance = get_instance()
    delete_url = admin_url(instance, "delete")

    response = admin_client_.get(delete_url)
    assert response.status_code == 302
    assert response["Location"] == admin_url(instance, "change")

    response = admin_client_.post(delete_url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert refusal in page_text(response)
    assert type(instance)._default_manager.filter(pk=instance.pk).exists()


@pytest.mark.parametrize(("get_instance", "get_unused", "refusal"), PROTECTED_CASES)
@pytest.mark.usefixtures("answered")
def test_bulk_delete_refuses_rows_that_answers_use_and_deletes_nothing(
    admin_client_: Client, get_instance: Any, get_unused: Any, refusal: str
) -> None:
    instance, unused = get_instance(), get_unused()
    model = type(instance)
    count_before = model.objects.count()
    # First the action itself, then its confirmation page's "Yes, I'm sure".
    for confirmation in ({}, {"post": "yes"}):
        response = admin_client_.post(
            admin_url(model, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [instance.pk, unused.pk],
                **confirmation,
            },
            follow=True,
        )
        assert response.status_code == 200
        assert refusal in page_text(response)
        assert "Nothing was deleted." in page_text(response)
    assert model.objects.count() == count_before


@pytest.mark.usefixtures("answered")
def test_inline_delete_of_a_choice_answers_use_is_refused(admin_client_: Client) -> None:
    question = Question.objects.get(key="alpha-element-level")
    used = choice("alpha-element-level", "level-3")
    data = form_data(admin_client_.get(admin_url(question, "change")))
    data[f"choices-{inline_index(data, 'choices', used)}-DELETE"] = "on"
    data["prompt_en"] = "Changed along with the deletion."

    response = admin_client_.post(admin_url(question, "change"), data)

    assert response.status_code == 200
    assert CHOICE_REFUSAL in page_text(response)
    assert Choice.objects.filter(pk=used.pk).exists()
    question.refresh_from_db()
    assert question.prompt_en != "Changed along with the deletion."


@pytest.mark.usefixtures("answered")
def test_inline_delete_of_a_level_answers_use_is_refused(admin_client_: Client) -> None:
    element = Element.objects.get(key="alpha-element")
    used = level("alpha-element", 3)
    data = form_data(admin_client_.get(admin_url(element, "change")))
    data[f"levels-{inline_index(data, 'levels', used)}-DELETE"] = "on"

    response = admin_client_.post(admin_url(element, "change"), data)

    assert response.status_code == 200
    assert level_refusal(3) in page_text(response)
    assert Level.objects.filter(pk=used.pk).exists()


@pytest.mark.usefixtures("answered")
def test_unanswered_question_is_deleted_with_its_choices(admin_client_: Client) -> None:
    question = Question.objects.get(key="beta-element-agree")
    response = admin_client_.post(admin_url(question, "delete"), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "was deleted successfully" in page_text(response)
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Choice.objects.filter(question_id=question.pk).exists()


@pytest.mark.usefixtures("answered")
def test_unanswered_questions_are_bulk_deleted(admin_client_: Client) -> None:
    questions = Question.objects.filter(key__in=["beta-element-agree", "beta-element-reflect"])
    response = admin_client_.post(
        admin_url(Question, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [question.pk for question in questions],
            "post": "yes",
        },
        follow=True,
    )
    assert "Successfully deleted 2 questions." in page_text(response)
    assert not Question.objects.filter(
        key__in=["beta-element-agree", "beta-element-reflect"]
    ).exists()


@pytest.mark.usefixtures("answered")
def test_unanswered_choice_is_deleted(admin_client_: Client) -> None:
    unused = choice("alpha-element-agree", "not-sure")
    response = admin_client_.post(admin_url(unused, "delete"), {"post": "yes"}, follow=True)
    assert "was deleted successfully" in page_text(response)
    assert not Choice.objects.filter(pk=unused.pk).exists()


@pytest.mark.usefixtures("answered")
def test_unanswered_choice_is_deleted_inline(admin_client_: Client) -> None:
    question = Question.objects.get(key="alpha-element-agree")
    unused = choice("alpha-element-agree", "not-sure")
    data = form_data(admin_client_.get(admin_url(question, "change")))
    data[f"choices-{inline_index(data, 'choices', unused)}-DELETE"] = "on"
    assert admin_client_.post(admin_url(question, "change"), data).status_code == 302
    assert not Choice.objects.filter(pk=unused.pk).exists()
    assert question.choices.count() == len(factories.AGREEMENT) - 1


@pytest.mark.usefixtures("answered")
def test_unanswered_level_without_anchored_choices_is_deleted(admin_client_: Client) -> None:
    unused = level("beta-element", 2)
    unused.anchored_choices.update(level=None)
    response = admin_client_.post(admin_url(unused, "delete"), {"post": "yes"}, follow=True)
    assert "was deleted successfully" in page_text(response)
    assert not Level.objects.filter(pk=unused.pk).exists()
    assert not FocusArea.objects.filter(level_id=unused.pk).exists()


@pytest.mark.usefixtures("answered")
def test_unanswered_level_still_anchoring_a_choice_is_kept_with_djangos_notice(
    admin_client_: Client,
) -> None:
    anchored = level("beta-element", 2)
    response = admin_client_.post(admin_url(anchored, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in page_text(response)
    assert "beta-element at level 2" in page_text(response)
    assert Level.objects.filter(pk=anchored.pk).exists()


@pytest.mark.usefixtures("answered")
def test_inline_delete_of_a_level_still_anchoring_a_choice_is_refused(
    admin_client_: Client,
) -> None:
    element = Element.objects.get(key="beta-element")
    anchored = level("beta-element", 2)
    data = form_data(admin_client_.get(admin_url(element, "change")))
    data[f"levels-{inline_index(data, 'levels', anchored)}-DELETE"] = "on"
    response = admin_client_.post(admin_url(element, "change"), data)
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in page_text(response)
    assert Level.objects.filter(pk=anchored.pk).exists()


@pytest.mark.parametrize(
    "get_instance",
    [
        lambda: Element.objects.get(key="beta-element"),
        lambda: Framework.objects.get(key="test-framework"),
    ],
    ids=["element with questions", "framework with elements"],
)
def test_rubric_parents_of_protected_rows_are_kept_with_djangos_notice(
    admin_client_: Client, world: World, get_instance: Any
) -> None:
    instance = get_instance()
    response = admin_client_.post(admin_url(instance, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in page_text(response)
    assert type(instance)._default_manager.filter(pk=instance.pk).exists()


# Mark inactive / active


@pytest.mark.parametrize(
    ("model", "get_instance"),
    [
        (Question, lambda: Question.objects.get(key="alpha-element-level")),
        (Choice, lambda: choice("alpha-element-level", "level-3")),
    ],
    ids=["question", "choice"],
)
@pytest.mark.usefixtures("answered")
def test_mark_inactive_and_active_actions(
    admin_client_: Client, world: World, model: type[models.Model], get_instance: Any
) -> None:
    instance = get_instance()
    name = model._meta.verbose_name

    response = admin_client_.post(
        admin_url(model, "changelist"),
        {"action": "mark_inactive", "_selected_action": [instance.pk]},
        follow=True,
    )
    assert f"1 {name} marked inactive." in page_text(response)
    instance.refresh_from_db()
    assert instance.active is False
    assert instance.history.latest().history_user == world.admin

    response = admin_client_.post(
        admin_url(model, "changelist"),
        {"action": "mark_active", "_selected_action": [instance.pk]},
        follow=True,
    )
    assert f"1 {name} marked active." in page_text(response)
    instance.refresh_from_db()
    assert instance.active is True
