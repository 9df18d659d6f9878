"""The framework page's small charts read every indicator's rounds at once
(``framework_histories``): the same results as ``indicator_history`` one indicator at a time —
values above the reader's clearance withheld the same way — in a number of queries that does
not grow with the indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact.core.models import Classification
from reporting.monitoring.selectors import framework_histories, indicator_history
from tests.helpers import oct_person
from tests.reporting.monitoring.test_charts import end_of_year, programme, trained, wg2_chair  # noqa: F401 (fixtures)
from tests.reporting.monitoring.test_monitoring import accept, entries, make_indicator, wg7_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(trained, chair, oct_officer, report_period, end_of_year, wg2_chair, roster):  # noqa: F811
    """June: WG 7 reports 120 (70 women). December: WG 7 reports 777 in a strictly confidential
    report, WG 2 40 in an unclassified one. A second indicator, of WG 7 only, has a June value."""
    delays = make_indicator(
        trained.programme,
        oct_officer,
        [roster.group],
        code="1.2",
        name="Delays",
        direction="decrease",
        baseline=Decimal(30),
        target=Decimal(10),
    )
    accept(wg7_draft(report_period), chair, oct_officer, [*entries(trained, 120, female=70), *entries(delays, 9)])
    accept(
        end_of_year.submissions.get(working_group__number=7),
        chair,
        oct_officer,
        entries(trained, 777, female=555),
        Classification.STRICTLY_CONFIDENTIAL,
    )
    accept(end_of_year.submissions.get(working_group__number=2), wg2_chair, oct_officer, entries(trained, 40))
    return [trained, delays]


@pytest.mark.parametrize("reader", ["oct_officer", "committee_member", "chair", "junior_oct"])
def test_all_at_once_is_one_at_a_time(reader, request, reported, trained):  # noqa: F811
    user = (
        oct_person("junior", Classification.UNCLASSIFIED) if reader == "junior_oct" else request.getfixturevalue(reader)
    )
    expected = {indicator.pk: indicator_history(indicator, user) for indicator in reported}
    assert framework_histories(trained.programme, user) == expected
    december = expected[trained.pk][-1]["result"]
    if reader == "oct_officer":
        assert not december.withheld
    else:  # WG 7's strictly confidential December value is withheld, never replaced by June's
        assert december.withheld and all(group.total != 777 for group in december.groups)


def test_the_queries_do_not_grow_with_the_indicators(reported, trained, oct_officer, roster):  # noqa: F811
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            framework_histories(trained.programme, oct_officer)
        return len(captured)

    before = queries()
    for number in range(3, 8):
        make_indicator(trained.programme, oct_officer, [roster.group, roster.other_group], code=f"1.{number}")
    assert queries() == before
