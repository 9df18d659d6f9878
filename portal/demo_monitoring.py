"""Demonstration data for the M&E framework (called from ``portal.demo``; idempotent).

A few indicators for the programme of work covering this year (else the demo's programme of
work; if there is none, a minimal one is started through ``programme_create``), reported by
the demo working group, and that group's values in its latest progress report that carries
them (only a programme covering this year has such a report): OCT
reopens the accepted report, the chair enters the values and resubmits, and OCT accepts it
again — the real workflow, so the values are frozen in a version like any other input.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from reporting.monitoring.framework import EnteredValue
from reporting.monitoring.selectors import indicators_for_submission
from reporting.monitoring.services import indicator_create, indicator_values_save
from reporting.programme.models import Indicator, ProgrammeOfWork
from reporting.programme.services import programme_create
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close, period_reopen
from reporting.submissions.services import submission_act
from workinggroups.models import WorkingGroup

DEMO_GROUP_NUMBER = 7
# The demo programme's priority on human rights, the rule of law and gender equality, which
# these indicators measure (numbered after it).
DEMO_PRIORITY_CODE = "3"

INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "code": "3.1",
        "name": "Criminal justice officials trained on human-rights compliant counter-terrorism responses",
        "definition": "Officials (police, prosecutors, judges, prison staff) who completed a training course "
        "organized or supported by the working group's entities since the start of the biennium.",
        "unit": "officials",
        "baseline": Decimal(0),
        "target": Decimal(400),
        "aggregation": "sum",
        "disaggregation": ["sex", "region"],
        "frequency": "mid-year",
        "pillars": ["IV"],
    },
    {
        "code": "3.2",
        "name": "Share of the group's activities designed with a gender analysis",
        "definition": "Activities of the work plan whose design documents include a gender analysis, as a "
        "percentage of all activities started in the biennium.",
        "unit": "%",
        "baseline": Decimal(40),
        "baseline_year": 2025,
        "target": Decimal(80),
        "aggregation": "average",
        "disaggregation": [],
        "frequency": "mid-year",
        "pillars": ["I", "IV"],
    },
    {
        "code": "3.3",
        "name": "Member States supported in reviewing counter-terrorism legislation",
        "definition": "States that received legislative drafting or review assistance from the group's entities.",
        "unit": "States",
        "baseline": Decimal(12),
        "baseline_year": 2025,
        "target": Decimal(30),
        "aggregation": "sum",
        "disaggregation": ["region"],
        "frequency": "end-of-year",
        "pillars": ["III"],
    },
)

VALUES = {
    "3.1": [
        ("", "", "146"),
        ("sex", "female", "61"),
        ("sex", "male", "83"),
        ("sex", "other", "2"),
        ("region", "m49-africa", "74"),
        ("region", "m49-asia", "52"),
        ("region", "global", "20"),
    ],
    "3.2": [("", "", "55")],
}


def _programme(officer: Any) -> ProgrammeOfWork:
    """The programme covering this year (its reports can carry values); else the demo's
    programme of work (the newest, from ``portal.demo_programme``); else a
    minimal one for the current biennium, started through the programme's own service."""

    year = timezone.localdate().year
    programmes = ProgrammeOfWork.objects.order_by("-biennium_start")
    programme = programmes.filter(biennium_start__in=(year, year - 1)).first() or programmes.first()
    if programme is not None:
        return programme
    start = year - year % 2
    return programme_create(
        actor=officer,
        biennium_start=start,
        title=f"Programme of work of the Coordination Committee {start}–{start + 1} (demonstration)",
    )


def _values_report(group: WorkingGroup) -> Submission | None:
    """The group's latest progress report that carries the demo indicators and has no values."""
    reports = Submission.objects.filter(
        working_group=group, period__kind__in=(ReportingPeriod.Kind.MID_YEAR, ReportingPeriod.Kind.END_OF_YEAR)
    ).order_by("-period__covers_until")
    for report in reports:
        if indicators_for_submission(report):
            return None if report.indicator_values.exists() else report
    return None


def _enter_values(report: Submission, chair: Any, officer: Any) -> None:
    codes = {indicator.pk: indicator.code for indicator in indicators_for_submission(report)}
    entries = [
        EnteredValue(pk, Decimal(value), dimension, category)
        for pk, code in codes.items()
        for dimension, category, value in VALUES.get(code, ())
    ]
    closed = report.period.state == ReportingPeriod.State.CLOSED
    if closed and report.status == Submission.Status.ACCEPTED:
        # A closed round is read-only for the groups: OCT reopens it for the new indicators.
        period_reopen(
            period=report.period,
            actor=officer,
            closes_on=timezone.localdate() + datetime.timedelta(days=14),
            reason="Demonstration: the M&E framework's indicators were added after this round closed.",
        )
        report.refresh_from_db()
    if report.status == Submission.Status.ACCEPTED:
        submission_act(
            submission=report,
            action="reopen",
            actor=officer,
            comment="Demonstration: please add the values of the M&E framework's indicators.",
        )
        report.refresh_from_db()
    if report.status not in Submission.EDITABLE:
        return  # waiting for OCT's review: leave it as it is
    indicator_values_save(submission=report, actor=chair, values=entries)
    action = "resubmit" if report.status == Submission.Status.RETURNED else "submit"
    submission_act(submission=report, action=action, actor=chair)
    submission_act(submission=report, action="accept", actor=officer, comment="Demonstration: thank you.")
    if closed:
        period_close(period=report.period, actor=officer)


@transaction.atomic
def demo_monitoring(people: dict[str, object]) -> None:
    """A few indicators for the demo programme and the demo group's values (idempotent)."""
    officer, chair = people["oct.officer"], people["ohchr.chair"]
    programme = _programme(officer)
    group = WorkingGroup.objects.active_on(timezone.localdate()).filter(number=DEMO_GROUP_NUMBER).first()
    groups = [group] if group is not None else []
    priorities = list(programme.priorities.filter(code=DEMO_PRIORITY_CODE)) or list(
        programme.priorities.order_by("position", "id")[:1]
    )
    for fields in INDICATORS:
        if not Indicator.objects.filter(programme=programme, code=fields["code"]).exists():
            indicator_create(programme=programme, actor=officer, working_groups=groups, priorities=priorities, **fields)
    report = _values_report(group) if group is not None else None
    if report is not None:
        _enter_values(report, chair, officer)
