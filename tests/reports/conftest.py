"""Fixtures of the PDF action plan tests."""

from __future__ import annotations

import pytest

from assessments.models import Assessment
from tests.conftest import World
from tests.results.test_results import submitted


@pytest.fixture
def assessment(world: World) -> Assessment:
    return submitted(
        world,
        world.lead,
        {
            "alpha-element-level": "level-2",
            "alpha-element-agree": "disagree",
            "beta-element-level": "level-4",
            "beta-element-agree": "agree",
        },
    )
