"""Two earmarks made at the same moment cannot together exceed the contribution (PostgreSQL):
``earmark_add`` locks the contribution (``select_for_update``) before adding up its earmarks.

Each thread holds its own connection; a barrier releases them together, and the sum of the
earmarks is slowed down so that, without the lock, both would read "nothing earmarked yet"."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from compact.core.models import Classification
from compact.core.roles import Role, roles_ensure_groups
from compact.funding import services
from compact.funding.models import Earmark
from tests.compact.funding.helpers import contribution
from tests.conftest import _person, require_or_skip
from tests.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


def oct_officer(username: str):
    """An OCT officer of this test's own (a transactional test shares no roster)."""
    roles_ensure_groups()
    return _person(username, None, (Role.OCT,), Classification.STRICTLY_CONFIDENTIAL)


def test_concurrent_earmarks_never_exceed_the_pledge(monkeypatch):
    if connection.vendor != "postgresql":
        require_or_skip("the race needs PostgreSQL's row locks")
    officer = oct_officer("raceofficer")
    group = WorkingGroupFactory(number=9)
    row = contribution(officer, pledged="100")
    summed = services._earmarked

    def slow_sum(contribution):
        total = summed(contribution)
        time.sleep(0.3)  # without the lock, the other thread reads the same total meanwhile
        return total

    monkeypatch.setattr(services, "_earmarked", slow_sum)
    barrier, outcomes = threading.Barrier(2), []

    def earmark() -> None:
        try:
            barrier.wait()
            services.earmark_add(contribution=row, amount_usd=Decimal("60"), working_group=group, actor=officer)
            outcomes.append("made")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=earmark) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["made", "refused"]
    assert sum(e.amount_usd for e in Earmark.objects.all()) == Decimal("60")


def test_a_contribution_is_changed_in_a_transaction_of_its_own():
    """Called outside any transaction (as a view is, without ATOMIC_REQUESTS), the edit locks the
    row in its own transaction: ``select_for_update`` is refused in autocommit."""
    officer = oct_officer("editofficer")
    row = contribution(officer, pledged="100")
    services.contribution_update(contribution=row, actor=officer, received_usd=Decimal("40"))
    row.refresh_from_db()
    assert (row.amount_usd, row.received_usd) == (Decimal("100"), Decimal("40"))
