"""The dashboard tests' world (tests/reporting/dashboard/world.py)."""

import pytest

from tests.reporting.dashboard.world import Rounds, build_rounds


@pytest.fixture
def rounds(roster, time_machine) -> Rounds:
    return build_rounds(roster, time_machine)
