"""Attacks on the cadence of the USG's briefings and its reminders (issue 22): fields nobody may
set, numbers that do not fit, and classified notes that must never reach a reminder."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent, Classification, OutboundEmail
from compact.outreach.chasing import briefings_chase
from compact.outreach.models import BriefingCadence
from compact.outreach.services import briefing_cadence_set, briefing_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/briefing-cadence/"
BODY = {"every_months": 6, "first_due_on": "2026-03-31", "reminder_days": [30, 7], "active": True}
MARKER = "MK-CADENCE-NOTES-SC"


def test_fields_the_service_sets_cannot_be_sent(roster, usg, oct_officer, api_for):
    forged = {**BODY, "id": 2, "pk": 2, "updated_by": oct_officer.pk, "updated_at": "2020-01-01T00:00:00Z"}
    assert api_for(usg).put(URL, forged, format="json").status_code == 200
    cadence = BriefingCadence.objects.get()
    assert cadence.pk == 1 and cadence.updated_by == usg and cadence.updated_at.year != 2020


@pytest.mark.parametrize(
    "change",
    [
        {"every_months": 2**70},
        {"every_months": -1},
        {"reminder_days": [10**30]},
        {"reminder_days": list(range(10_000))},
        {"reminder_days": "7; DROP TABLE"},
        {"first_due_on": "9999-99-99"},
        {"first_due_on": "2026-03-31T00:00:00\u0000"},
    ],
)
def test_numbers_and_dates_that_do_not_fit_are_refused_and_nothing_is_saved(roster, usg, api_for, change):
    assert api_for(usg).put(URL, BODY, format="json").status_code == 200
    response = api_for(usg).put(URL, {**BODY, **change}, format="json")
    assert response.status_code == 400, response.content
    cadence = BriefingCadence.objects.get()
    assert (cadence.every_months, cadence.reminder_days) == (6, [30, 7])
    assert AuditEvent.objects.filter(verb="outreach.cadence_set").count() == 1


@pytest.mark.parametrize("value", ["99999999999999999999999", "-3", "6.5", "٦"])
def test_the_page_refuses_months_out_of_range_with_a_message(roster, usg, client_for, value):
    response = client_for(usg).post(
        reverse("outreach-briefing-cadence"), {"every_months": value, "first_due_on": "2026-09-30"}
    )
    # Arabic-Indic digits are numbers Django reads; the others are refused with the field named.
    if value == "٦":
        assert response.status_code == 302 and BriefingCadence.objects.get().every_months == 6
    else:
        assert response.status_code == 400 and "The cadence was not saved" in response.content.decode()
        assert not BriefingCadence.objects.exists()


def test_a_reminder_never_carries_a_briefings_notes_or_title(roster, usg, oct_officer):
    briefing_cadence_set(
        actor=usg, every_months=1, first_due_on=datetime.date(2026, 3, 31), reminder_days=[7], active=True
    )
    briefing_create(
        actor=oct_officer,
        date=datetime.date(2026, 2, 20),
        audience=f"Audience {MARKER}",
        title=f"Title {MARKER}",
        notes=MARKER,
        notes_classification=Classification.STRICTLY_CONFIDENTIAL,
    )
    # Held on 20 February, monthly: due 20 March, reminded on the 13th, overdue on the 21st.
    assert briefings_chase(now=datetime.datetime(2026, 3, 13, 12, tzinfo=datetime.UTC)) == 1
    assert briefings_chase(now=datetime.datetime(2026, 3, 21, 12, tzinfo=datetime.UTC)) == 1
    emails = OutboundEmail.objects.filter(occasion__startswith="briefing-")
    assert emails.count() == 4
    for email in emails:
        assert MARKER not in email.subject + email.body_text + email.body_html
        assert email.classification == Classification.UNCLASSIFIED
