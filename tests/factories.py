"""Small, complete rubric and organisation builders for tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User

from organisations.models import Cycle, Membership, Organisation, Team
from playbook.models import ActionStep, Choice, Element, FocusArea, Framework, Level, Question

PASSWORD = "test-password-123"

AGREEMENT = [
    ("strongly-disagree", 1, "Strongly disagree", "非常不同意"),
    ("disagree", 2, "Disagree", "不同意"),
    ("neutral", 3, "Neither agree nor disagree", "中立"),
    ("agree", 4, "Agree", "同意"),
    ("strongly-agree", 5, "Strongly agree", "非常同意"),
    ("not-sure", None, "Not sure", "不确定"),
]


def bilingual(name: str, english: str, chinese: str) -> dict[str, str]:
    return {f"{name}_en": english, f"{name}_zh_hans": chinese}


def make_element(framework: Framework, key: str, order: int = 1) -> Element:
    """An element with five complete levels and three questions (level, agreement, text)."""
    element = Element.objects.create(
        framework=framework,
        key=key,
        order=order,
        **bilingual("name", f"Element {key}", f"要素 {key}"),
        **bilingual("summary", f"About {key}.", f"关于 {key}。"),
    )
    levels = {}
    for number in range(1, 6):
        level = Level.objects.create(
            element=element,
            number=number,
            **bilingual("name", f"Stage {number}", f"阶段 {number}"),
            **bilingual(
                "description", f"{key} looks like level {number}.", f"{key} 处于第 {number} 级。"
            ),
            **bilingual("quote", f"Quote {number}", f"引语 {number}"),
            **bilingual("quote_role", "Team member", "团队成员"),
        )
        levels[number] = level
        if number < 5:
            for index in (1, 2):
                FocusArea.objects.create(
                    level=level,
                    key=f"focus-{index}",
                    order=index,
                    **bilingual(
                        "title",
                        f"{key} focus {number}.{index}",
                        f"{key} 重点 {number}.{index}",
                    ),
                )
        for index in (1, 2):
            ActionStep.objects.create(
                level=level,
                key=f"step-{index}",
                order=index,
                **bilingual(
                    "title", f"{key} step {number}.{index}", f"{key} 步骤 {number}.{index}"
                ),
                **bilingual("explanation", "Do this.", "这样做。"),
                **bilingual("sub_points", "First\nSecond", "第一\n第二"),
            )
    level_question = Question.objects.create(
        element=element,
        key=f"{key}-level",
        order=1,
        kind=Question.Kind.LEVEL,
        **bilingual("prompt", f"Where is {key}?", f"{key} 在哪里？"),
    )
    for number, level in levels.items():
        Choice.objects.create(
            question=level_question,
            key=f"level-{number}",
            order=number,
            score=number,
            level=level,
            **bilingual("label", f"{key} at level {number}", f"{key} 第 {number} 级"),
        )
    Choice.objects.create(
        question=level_question,
        key="not-sure",
        order=6,
        score=None,
        **bilingual("label", "Not sure", "不确定"),
    )
    agreement_question = Question.objects.create(
        element=element,
        key=f"{key}-agree",
        order=2,
        kind=Question.Kind.AGREEMENT,
        **bilingual("prompt", f"We do {key} well.", f"我们做好了 {key}。"),
    )
    for order, (choice_key, score, english, chinese) in enumerate(AGREEMENT, 1):
        Choice.objects.create(
            question=agreement_question,
            key=choice_key,
            order=order,
            score=score,
            **bilingual("label", english, chinese),
        )
    Question.objects.create(
        element=element,
        key=f"{key}-reflect",
        order=3,
        kind=Question.Kind.TEXT,
        required=False,
        weight=0,
        **bilingual("prompt", f"Reflect on {key}.", f"反思 {key}。"),
    )
    return element


def make_rubric(
    framework_key: str = "test-framework",
    element_keys: tuple[str, ...] = ("alpha-element", "beta-element"),
) -> Framework:
    framework = Framework.objects.create(
        key=framework_key,
        names_growth_opportunity=True,
        **bilingual("name", "Test framework", "测试框架"),
        **bilingual("description", "For tests.", "用于测试。"),
    )
    for order, key in enumerate(element_keys, 1):
        make_element(framework, key, order)
    return framework


def make_user(username: str, **extra: Any) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


def make_cycle(organisation: Organisation, frameworks: list[Framework], **extra: Any) -> Cycle:
    today = datetime.date.today()
    values: dict[str, Any] = {
        "name": "2026 H2",
        "slug": "2026-h2",
        "opens_on": today - datetime.timedelta(days=7),
        "closes_on": today + datetime.timedelta(days=30),
    }
    values.update(extra)
    cycle = Cycle.objects.create(organisation=organisation, **values)
    cycle.frameworks.set(frameworks)
    return cycle


def make_lead(user: User, team: Team) -> Membership:
    return Membership.objects.create(
        user=user, organisation=team.organisation, team=team, role=Membership.Role.LEAD
    )


def make_manager(user: User, organisation: Organisation) -> Membership:
    return Membership.objects.create(
        user=user, organisation=organisation, role=Membership.Role.MANAGER
    )
