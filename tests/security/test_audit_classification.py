"""Classified text never surfaces through the audit trail (issue 14, hole 6).

An OCT officer cleared only for unclassified material could not read confidential Committee
minutes on the meeting page but could read them on ``/audit/``: services copy the text they
change into the row's before/after. Every row now carries the classification of what it
describes, and every reader — ``/audit/``, the home page's recent changes, object pages, the
admin — sees only rows within their clearance.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from compact.core.audit import audit_record
from compact.core.models import AuditEvent, Classification
from reporting.committee.services import meeting_act, meeting_create, minutes_save
from reporting.submissions.models import Submission
from tests.helpers import oct_person

pytestmark = pytest.mark.django_db

SECRET = "The delegation of Atlantis objected"


def _officer(username: str, roster, clearance: str, *, admin: bool = False):
    return oct_person(username, clearance, entity=roster.unoct, superuser=admin)


@pytest.fixture
def uncleared_officer(roster):
    return _officer("junior", roster, Classification.UNCLASSIFIED)


@pytest.fixture
def confidential_minutes(oct_officer):
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=datetime.date(2026, 10, 20),
        place="New York",
    )
    meeting_act(meeting=meeting, action="hold", actor=oct_officer)
    return minutes_save(meeting=meeting, actor=oct_officer, minutes=f"{SECRET}.", classification="confidential")


def test_the_row_that_quotes_confidential_minutes_is_marked_confidential(confidential_minutes):
    row = AuditEvent.objects.get(verb__startswith="committee.minutes")
    assert SECRET in str(row.after) and row.classification == Classification.CONFIDENTIAL


def test_an_officer_cleared_for_unclassified_does_not_read_confidential_minutes_on_audit(
    confidential_minutes, uncleared_officer, oct_officer, client_for
):
    meeting_page = client_for(uncleared_officer).get(reverse("committee-meeting", args=[confidential_minutes.pk]))
    assert SECRET not in meeting_page.content.decode()
    for url in (reverse("audit-log"), reverse("audit-log") + "?verb=committee", reverse("home")):
        assert SECRET not in client_for(uncleared_officer).get(url).content.decode(), url
    # The officer cleared for it reads the row.
    assert SECRET in client_for(oct_officer).get(reverse("audit-log") + "?verb=committee").content.decode()


def test_lowering_a_marking_keeps_the_old_text_marked_in_the_row_that_quotes_it(report_period, chair):
    draft = Submission.objects.get(period=report_period, working_group__number=7)
    assert draft.classification == Classification.UNCLASSIFIED  # as it is after the change
    with transaction.atomic():
        row = audit_record(
            actor=chair,
            verb="test.downgraded",
            obj=draft,
            before={"summary": "Confidential figures.", "classification": "confidential"},
            after={"summary": "Public summary.", "classification": "unclassified"},
        )
    assert row.classification == Classification.CONFIDENTIAL


def test_a_row_about_an_unmarked_object_is_unclassified(roster):
    with transaction.atomic():
        row = audit_record(actor=None, verb="test.plain", obj=roster.group, after={"name": "Human rights"})
    assert row.classification == Classification.UNCLASSIFIED


def test_the_admin_lists_only_rows_and_records_within_the_administrators_clearance(
    confidential_minutes, report_period, roster, client_for
):
    admin = _officer("root", roster, Classification.UNCLASSIFIED, admin=True)
    Submission.objects.filter(period=report_period, working_group__number=7).update(
        classification=Classification.CONFIDENTIAL, summary=f"{SECRET} in the report."
    )
    client = client_for(admin)
    rows = client.get(reverse("admin:compact_auditevent_changelist") + "?q=minutes").content.decode()
    assert "committee.minutes" not in rows and SECRET not in rows
    secret_row = AuditEvent.objects.get(verb__startswith="committee.minutes")
    assert client.get(reverse("admin:compact_auditevent_change", args=[secret_row.pk])).status_code in (302, 404)
    reports = client.get(reverse("admin:reporting_submission_changelist")).content.decode()
    confidential = Submission.objects.get(period=report_period, working_group__number=7)
    assert reverse("admin:reporting_submission_change", args=[confidential.pk]) not in reports
    other = Submission.objects.get(period=report_period, working_group__number=2)
    assert reverse("admin:reporting_submission_change", args=[other.pk]) in reports
    assert client.get(reverse("admin:reporting_submission_change", args=[confidential.pk])).status_code in (302, 404)
    cleared = _officer("chief", roster, Classification.STRICTLY_CONFIDENTIAL, admin=True)
    listed = client_for(cleared).get(reverse("admin:compact_auditevent_changelist")).content.decode()
    assert "committee.minutes" in listed


def test_a_stored_email_is_marked_like_the_records_it_quotes_and_the_admin_respects_it(
    report_period, roster, client_for
):
    from compact.core.models import OutboundEmail
    from compact.core.outbox import email_queue

    confidential = Submission.objects.get(period=report_period, working_group__number=7)
    Submission.objects.filter(pk=confidential.pk).update(classification=Classification.CONFIDENTIAL)
    confidential.refresh_from_db()
    with transaction.atomic():
        [email] = email_queue(
            occasion="test:quoted",
            recipients=["oct@example.org"],
            template="reporting-opened",
            context={"submission": confidential, "url": "http://127.0.0.1/x"},
        )
    assert email.classification == Classification.CONFIDENTIAL
    url = reverse("admin:compact_outboundemail_changelist")
    change = reverse("admin:compact_outboundemail_change", args=[email.pk])
    uncleared = _officer("root", roster, Classification.UNCLASSIFIED, admin=True)
    assert change not in client_for(uncleared).get(url).content.decode()
    cleared = _officer("chief", roster, Classification.CONFIDENTIAL, admin=True)
    assert change in client_for(cleared).get(url).content.decode()
    assert OutboundEmail.objects.filter(pk=email.pk, classification=Classification.CONFIDENTIAL).exists()


def test_the_admin_shows_an_extensions_reason_only_to_those_cleared_for_its_input(
    report_period, roster, chair, client_for, time_machine
):
    from reporting.calendar.services import extension_request_create

    time_machine.move_to("2026-07-01 12:00Z")
    draft = Submission.objects.get(period=report_period, working_group__number=7)
    request = extension_request_create(
        submission=draft, actor=chair, until=datetime.date(2026, 7, 25), reason=f"{SECRET} in the field."
    )
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.CONFIDENTIAL)
    url = reverse("admin:reporting_extensionrequest_changelist")
    change = reverse("admin:reporting_extensionrequest_change", args=[request.pk])
    uncleared = _officer("root", roster, Classification.UNCLASSIFIED, admin=True)
    listed = client_for(uncleared).get(url, {"q": "Atlantis"}).content.decode()
    assert change not in listed and SECRET not in listed
    assert SECRET not in client_for(uncleared).get(change, follow=True).content.decode()
    cleared = _officer("chief", roster, Classification.CONFIDENTIAL, admin=True)
    assert change in client_for(cleared).get(url, {"q": "Atlantis"}).content.decode()
