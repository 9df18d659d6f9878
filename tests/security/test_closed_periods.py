"""A closed period is closed (issue 14, hole 13).

A chair could still edit and submit a draft after the period closed. The rule: once a period is
closed its inputs are read-only for the working groups — no saving, submitting, attaching or
entering indicator values, through the services, the pages and the API. OCT may still accept
what was submitted; to let a group finish (or to return an input), OCT reopens the period with
a new closing day and a reason, and the leaders of the unfinished groups are told.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compact.core.models import AuditEvent, OutboundEmail
from reporting.calendar.scheduler import scheduler_tick
from reporting.submissions.models import Attachment, ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close, period_reopen
from reporting.submissions.services import attachment_add, submission_act, submission_save_draft
from tests.helpers import calendar_only, pdf_bytes

pytestmark = pytest.mark.django_db

CLOSED = "The reporting period is closed"
SUBMISSIONS = "/api/v1/submissions/"


@pytest.fixture
def closed(report_period, time_machine):
    """The mid-year round on 20 August 2026, closed by OCT with WG 7's draft untouched."""
    time_machine.move_to("2026-08-20 15:00Z")
    period_close(period=report_period, actor=None)
    report_period.refresh_from_db()
    return report_period


def wg(period, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def test_the_services_refuse_a_leader_every_change_once_the_period_is_closed(closed, chair):
    draft = wg(closed, 7)
    with pytest.raises(ValidationError, match=CLOSED):
        submission_save_draft(
            submission=draft, actor=chair, base_revision=0, fields={"summary": "Late."}, classification="unclassified"
        )
    with pytest.raises(ValidationError, match=CLOSED):
        submission_act(submission=draft, action="submit", actor=chair)
    letter = SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError, match=CLOSED):
        attachment_add(submission=draft, upload=letter, actor=chair)
    draft.refresh_from_db()
    assert (draft.status, draft.summary, draft.revision) == (Submission.Status.DRAFT, "", 0)
    assert not Attachment.objects.exists() and not draft.versions.exists()


def test_the_api_refuses_a_leaders_save_and_submit_after_closing_and_says_why(closed, chair, api_for):
    draft = wg(closed, 7)
    api = api_for(chair)
    saved = api.patch(f"{SUBMISSIONS}{draft.pk}/", {"base_revision": 0, "fields": {"summary": "Late."}}, format="json")
    submitted = api.post(f"{SUBMISSIONS}{draft.pk}/transitions/", {"action": "submit"}, format="json")
    for response in (saved, submitted):
        assert response.status_code == 400 and CLOSED in str(response.json())
    detail = api.get(f"{SUBMISSIONS}{draft.pk}/").json()
    assert detail["available_actions"] == [] and detail["can_edit"] is False
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == (Submission.Status.DRAFT, "")


def test_the_pages_show_a_closed_input_as_read_only(closed, chair, client_for):
    draft = wg(closed, 7)
    client = client_for(chair)
    page = client.get(reverse("reporting-submission", args=[draft.pk])).content.decode()
    assert 'id="period-closed"' in page and reverse("reporting-submission-edit", args=[draft.pk]) not in page
    editor = client.get(reverse("reporting-submission-edit", args=[draft.pk]), follow=True)
    assert "The reporting period is closed: this input can no longer be edited." in editor.content.decode()
    forged = client.post(reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit"})
    assert forged.status_code == 400 and CLOSED in forged.content.decode()
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT


def test_oct_still_accepts_what_was_submitted_but_reopens_before_returning(
    report_period, chair, oct_officer, time_machine
):
    time_machine.move_to("2026-07-10 15:00Z")
    report = submission_act(submission=wg(report_period, 7), action="submit", actor=chair)
    time_machine.move_to("2026-08-20 15:00Z")
    period_close(period=report_period, actor=None)
    with pytest.raises(ValidationError, match="Reopen the period first"):
        submission_act(submission=report, action="return", actor=oct_officer, comment="Add figures.")
    report.refresh_from_db()
    assert report.status == Submission.Status.SUBMITTED
    assert submission_act(submission=report, action="accept", actor=oct_officer).status == Submission.Status.ACCEPTED


def test_reopening_lets_the_group_finish_tells_its_leaders_once_and_the_scheduler_closes_it_again(
    closed, chair, vice_chair, oct_officer, time_machine
):
    calendar_only()  # only this period: the calendar's own rounds stay out of the tick below
    period_reopen(period=closed, actor=oct_officer, closes_on=datetime.date(2026, 8, 31), reason="WG 7 lost a week.")
    closed.refresh_from_db()
    assert (closed.state, closed.closes_on) == (ReportingPeriod.State.OPEN, datetime.date(2026, 8, 31))
    told = OutboundEmail.objects.filter(occasion__contains="period-reopened")
    assert sorted(told.filter(recipient__in=[chair.email, vice_chair.email]).values_list("recipient", flat=True)) == (
        sorted([chair.email, vice_chair.email])
    )
    assert all("WG 7 lost a week." in email.body_text for email in told)
    event = AuditEvent.objects.get(verb="reporting.period_reopened")
    assert (event.note, event.after["closes_on"]) == ("WG 7 lost a week.", "2026-08-31")

    draft = wg(closed, 7)
    submission_save_draft(
        submission=draft, actor=chair, base_revision=0, fields={"summary": "Done."}, classification="unclassified"
    )
    assert submission_act(submission=draft, action="submit", actor=chair).status == Submission.Status.SUBMITTED

    time_machine.move_to("2026-09-01 15:00Z")  # the day after the new closing day, after 07:00 in New York
    scheduler_tick()
    closed.refresh_from_db()
    assert closed.state == ReportingPeriod.State.CLOSED


def test_reopening_is_octs_with_a_reason_and_a_closing_day_to_come(closed, chair, oct_officer, api_for):
    with pytest.raises(ValidationError) as error:
        period_reopen(period=closed, actor=oct_officer, closes_on=datetime.date(2026, 8, 1), reason=" ")
    assert set(error.value.message_dict) == {"closes_on", "reason"}
    url = f"/api/v1/reporting-periods/{closed.pk}/reopen/"
    body = {"closes_on": "2026-09-10", "reason": "More time."}
    assert api_for(chair).post(url, body, format="json").status_code == 403
    assert api_for(oct_officer).post(url, {**body, "closes_on": "2026-08-01"}, format="json").status_code == 400
    closed.refresh_from_db()
    assert closed.state == ReportingPeriod.State.CLOSED
    assert api_for(oct_officer).post(url, body, format="json").status_code == 200
    again = api_for(oct_officer).post(url, body, format="json")
    assert again.status_code == 409 and again.json()["state"] == "open"


def test_oct_reopens_from_the_periods_page(closed, oct_officer, client_for):
    client = client_for(oct_officer)
    page = client.get(reverse("reporting-period", args=[closed.pk])).content.decode()
    assert reverse("reporting-period-reopen", args=[closed.pk]) in page
    refused = client.post(reverse("reporting-period-reopen", args=[closed.pk]), {"closes_on": "2026-09-10"})
    assert refused.status_code == 400 and "Say why the period is reopened" in refused.content.decode()
    done = client.post(
        reverse("reporting-period-reopen", args=[closed.pk]), {"closes_on": "2026-09-10", "reason": "More time."}
    )
    assert done.status_code == 302
    closed.refresh_from_db()
    assert closed.state == ReportingPeriod.State.OPEN


def test_indicator_values_are_refused_after_closing_through_the_api(closed, chair, api_for):
    draft = wg(closed, 7)
    response = api_for(chair).put(
        f"/api/v1/submissions/{draft.pk}/indicator-values/", {"revision": 0, "values": []}, format="json"
    )
    assert response.status_code == 400 and CLOSED in str(response.json())
    draft.refresh_from_db()
    assert draft.revision == 0 and not draft.indicator_values.exists()
