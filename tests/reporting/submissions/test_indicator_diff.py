"""The indicators' values in a comparison of two versions: a table of what changed (indicator,
disaggregation, before → after), not a run-on line of text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.monitoring.framework import EnteredValue
from reporting.monitoring.services import indicator_values_save
from reporting.submissions.comparison import IndicatorChange, indicator_changes
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.helpers import html_tree
from tests.reporting.submissions.test_drafts import trained  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db


def row(indicator_id, dimension, category, value, code="1.1", name="Officials trained"):
    return {
        "indicator": code,
        "indicator_id": indicator_id,
        "name": name,
        "unit": "people",
        "dimension": dimension,
        "category": category,
        "value": value,
        "note": "",
    }


def test_indicator_changes_pairs_values_by_indicator_and_category():
    old = {"indicators": [row(3, "", "", "120.00"), row(3, "sex", "female", "70.00"), row(3, "sex", "male", "50.00")]}
    new = {"indicators": [row(3, "", "", "125.00"), row(3, "sex", "female", "70.00"), row(3, "sex", "other", "5.00")]}
    changes = indicator_changes(old, new)
    assert changes == [
        IndicatorChange("1.1 Officials trained", "Total", Decimal(120), Decimal(125)),
        IndicatorChange("1.1 Officials trained", "Female", Decimal(70), Decimal(70)),
        IndicatorChange("1.1 Officials trained", "Other or not known", None, Decimal(5)),
        IndicatorChange("1.1 Officials trained", "Male", Decimal(50), None),
    ]
    assert [c.changed for c in changes] == [True, False, True, True]
    assert indicator_changes({"fields": {}}, {"fields": {}}) == []


def test_the_versions_page_and_the_review_show_a_table_of_changed_values(
    client_for,
    report_period,
    chair,
    oct_officer,
    trained,  # noqa: F811
):
    draft = Submission.objects.get(period=report_period, working_group__number=7)

    def values(total, female, male):
        return [
            EnteredValue(trained.pk, Decimal(total)),
            EnteredValue(trained.pk, Decimal(female), "sex", "female"),
            EnteredValue(trained.pk, Decimal(male), "sex", "male"),
        ]

    indicator_values_save(submission=draft, actor=chair, values=values(1200, 700, 500))
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="return", actor=oct_officer, comment="Check the total.")
    indicator_values_save(submission=draft, actor=chair, values=values("1250.5", 700, 500))
    submission_act(submission=draft, action="resubmit", actor=chair)

    client = client_for(oct_officer)
    for page in (
        client.get(reverse("reporting-submission-versions", args=[draft.pk])),
        client.get(reverse("reporting-submission", args=[draft.pk])),
    ):
        table = html_tree(page).find("section", class_="indicator-changes")
        rows = [tr.text for tr in table.find("tbody").find_all("tr")]
        assert rows == [f"1.1 {trained.name} Total 1,200 1,250.50"]
        assert "2 other values are unchanged." in table.text
        assert "Total: 1200.00" not in page.text  # no run-on text any more
