"""The demo loaded on a given day (its reporting periods follow the clock). Apart from
test_demo.py, whose tests share one load of the demo made on the day they run."""

import pytest

from portal.demo import demo_load
from portal.reference import reference_load
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_briefing_and_an_accepted_mid_year_report(time_machine):
    from reporting.submissions.models import ReportingPeriod, Submission

    time_machine.move_to("2026-11-28 12:00Z")
    reference_load()
    demo_load(password="pw")
    demo_load(password="pw")
    briefing = ReportingPeriod.objects.get(kind="q4", covers_from="2026-10-01")
    assert (
        briefing.state == "open"
        and briefing.submissions.count() == WorkingGroup.objects.active_on(briefing.covers_until).count()
    )
    report = Submission.objects.get(period__kind="mid-year", working_group__number=7)
    assert report.status == "accepted" and report.submitted_by.username == "ohchr.chair"
    # The chair's work plan fills the report's activity lines.
    assert [line.title for line in report.activity_progress.order_by("position")] == [
        "Draft and publish the guidance note",
        "Regional workshops for practitioners",
    ]
