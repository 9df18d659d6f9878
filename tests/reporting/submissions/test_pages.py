"""The reporting pages, per role: the landing page, OCT's period dashboard, a submission with
its review, the editor and its conflict, attachments and version diffs."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_create
from reporting.submissions.services import ActivityLine, submission_act, submission_save_draft
from tests.helpers import html_tree, open_period, pdf_bytes

pytestmark = pytest.mark.django_db

Status = Submission.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def wg(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def save(submission: Submission, actor, **fields: str) -> Submission:
    submission.refresh_from_db()
    return submission_save_draft(
        submission=submission,
        actor=actor,
        base_revision=submission.revision,
        fields=fields,
        classification=submission.classification,
    )


def submitted(period: ReportingPeriod, chair, summary: str = "First text.") -> Submission:
    submission = save(wg(period, 7), chair, summary=summary)
    return submission_act(submission=submission, action="submit", actor=chair)


def editor_data(page: str, **fields: str) -> dict[str, str]:
    """The editor's POST data as the page rendered it (textareas, selects, hidden inputs),
    with ``fields`` typed over it."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrfmiddlewaretoken", None)
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(text)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    return {**data, "intent": "save", **fields}


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


# --- Who sees what ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, report_period):
    draft = wg(report_period, 7)
    for path in [
        url("reporting-home"),
        url("reporting-period", report_period.pk),
        url("reporting-submission", draft.pk),
        url("reporting-submission-edit", draft.pk),
        url("reporting-submission-versions", draft.pk),
    ]:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path


def test_everyone_signed_in_sees_the_periods(client_for, report_period, outsider):
    response = client_for(outsider).get(url("reporting-home"))
    assert response.status_code == 200
    assert "Mid-year progress report" in response.text
    assert "My working groups" not in response.text and "Accepted reports" not in response.text
    assert "Schedule a period" not in response.text


def test_a_chair_reads_and_edits_their_groups_draft(client_for, report_period, chair):
    client = client_for(chair)
    draft = wg(report_period, 7)
    page = client.get(url("reporting-submission", draft.pk))
    assert page.status_code == 200 and "Edit the draft" in page.text
    assert client.get(url("reporting-submission-edit", draft.pk)).status_code == 200


def test_a_chair_of_wg7_gets_404_for_wg2s_draft_on_every_page(client_for, report_period, chair):
    client = client_for(chair)
    other = wg(report_period, 2)
    assert client.get(url("reporting-submission", other.pk)).status_code == 404
    assert client.get(url("reporting-submission-edit", other.pk)).status_code == 404
    assert client.get(url("reporting-submission-versions", other.pk)).status_code == 404
    posted = client.post(url("reporting-submission-edit", other.pk), {"summary": "Hijack", "base_revision": "0"})
    assert posted.status_code == 404
    assert client.post(url("reporting-submission-act", other.pk), {"action": "submit"}).status_code == 404
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")
    assert client.post(url("reporting-attachment-add", other.pk), {"file": upload}).status_code == 404
    other.refresh_from_db()
    assert other.summary == "" and other.status == Status.DRAFT


def test_committee_members_read_accepted_reports_but_not_drafts(
    client_for, report_period, chair, oct_officer, committee_member
):
    client = client_for(committee_member)
    assert client.get(url("reporting-submission", wg(report_period, 2).pk)).status_code == 404
    report = submitted(report_period, chair)
    assert client.get(url("reporting-submission", report.pk)).status_code == 404  # submitted, not accepted
    submission_act(submission=report, action="accept", actor=oct_officer)
    page = client.get(url("reporting-submission", report.pk))
    assert page.status_code == 200 and "First text." in page.text
    assert "Review" not in page.text and "Edit the draft" not in page.text
    assert client.get(url("reporting-submission-edit", report.pk)).status_code == 404
    landing = client.get(url("reporting-home"))
    assert "Accepted reports" in landing.text and url("reporting-submission", report.pk) in landing.text


@pytest.mark.parametrize("persona", ["outsider", "focal_point"])
def test_outsiders_and_focal_points_get_404_for_submissions(client_for, report_period, chair, persona, request):
    client = client_for(request.getfixturevalue(persona))
    draft = wg(report_period, 7)
    assert client.get(url("reporting-submission", draft.pk)).status_code == 404
    assert client.get(url("reporting-submission-edit", draft.pk)).status_code == 404
    assert client.get(url("reporting-period", report_period.pk)).status_code == 404


def test_a_classification_above_the_readers_clearance_is_404(
    client_for, report_period, chair, oct_officer, committee_member
):
    report = submitted(report_period, chair)
    submission_act(submission=report, action="accept", actor=oct_officer)
    Submission.objects.filter(pk=report.pk).update(classification="confidential")
    assert client_for(committee_member).get(url("reporting-submission", report.pk)).status_code == 200
    assert client_for(chair).get(url("reporting-submission", report.pk)).status_code == 404  # unclassified clearance
    Submission.objects.filter(pk=report.pk).update(classification="strictly-confidential")
    assert client_for(committee_member).get(url("reporting-submission", report.pk)).status_code == 404
    page = client_for(oct_officer).get(url("reporting-submission", report.pk))
    assert page.status_code == 200 and "Strictly confidential" in page.text
    assert report.pk not in [s.pk for s in client_for(committee_member).get(url("reporting-home")).context["accepted"]]


def test_the_editor_offers_only_classifications_within_the_editors_clearance(client_for, report_period, chair):
    page = client_for(chair).get(url("reporting-submission-edit", wg(report_period, 7).pk))
    assert page.context["form"].fields["classification"].choices == [("unclassified", "Unclassified")]


# --- The landing page ------------------------------------------------------------------------------


def test_a_chairs_desk_lists_returned_reports_first_with_the_comment(
    client_for, report_period, briefing_period, chair, oct_officer, time_machine
):
    time_machine.move_to("2026-07-01 12:00Z")
    briefing = wg(briefing_period, 7)
    submission_act(submission=briefing, action="submit", actor=chair)
    submission_act(submission=briefing, action="return", actor=oct_officer, comment="Say more about Q3.")
    desk = client_for(chair).get(url("reporting-home"))
    rows = desk.context["desk"]
    assert [(row["submission"].pk, row["submission"].status) for row in rows] == [
        (briefing.pk, Status.RETURNED),
        (wg(report_period, 7).pk, Status.DRAFT),
    ]
    assert "Say more about Q3." in desk.text and "Revise" in desk.text
    assert "14 days left" in desk.text  # the mid-year report, due 15 July
    assert wg(report_period, 2).pk not in [row["submission"].pk for row in rows]


def test_the_desk_says_when_a_draft_is_overdue(client_for, report_period, chair, time_machine):
    time_machine.move_to("2026-07-18 12:00Z")
    assert "overdue by 3 days" in client_for(chair).get(url("reporting-home")).text


def test_the_home_page_shows_a_chair_their_reports(client_for, report_period, chair):
    page = client_for(chair).get(url("home"))
    assert "Your reports" in page.text and url("reporting-submission-edit", wg(report_period, 7).pk) in page.text


def test_oct_sees_what_awaits_review_on_the_landing_and_home_pages(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair)
    client = client_for(oct_officer)
    landing = client.get(url("reporting-home"))
    assert [s.pk for s in landing.context["awaiting_review"]] == [report.pk]
    assert "1 submission awaits review" in client.get(url("home")).text


def test_oct_schedules_a_period_and_a_wrong_one_is_refused_with_the_reason(client_for, roster, oct_officer):
    client = client_for(oct_officer)
    data = {
        "kind": "q4",
        "covers_from": "2026-10-01",
        "covers_until": "2026-12-31",
        "opens_on": "2026-12-15",
        "due_on": "2027-01-10",
    }
    response = client.post(url("reporting-period-create"), data)
    period = ReportingPeriod.objects.get(kind="q4")
    assert response.status_code == 302 and response.url == url("reporting-period", period.pk)
    assert period.state == ReportingPeriod.State.SCHEDULED
    again = client.post(url("reporting-period-create"), data)
    assert again.status_code == 400 and "error-summary" in again.text
    early = client.post(url("reporting-period-create"), {**data, "covers_from": "2027-01-01", "due_on": "2026-12-01"})
    assert early.status_code == 400 and ReportingPeriod.objects.count() == 1
    assert "The period must end after it starts." in early.text
    assert "Inputs cannot be due before the period opens." in early.text


def test_only_oct_schedules_opens_and_closes_periods(client_for, roster, chair, committee_member):
    period = period_create(
        kind="q4",
        covers_from=datetime.date(2026, 10, 1),
        covers_until=datetime.date(2026, 12, 31),
        opens_on=datetime.date(2026, 12, 15),
        due_on=datetime.date(2027, 1, 10),
        actor=None,
    )
    for person in (chair, committee_member):
        client = client_for(person)
        assert client.post(url("reporting-period-create"), {"kind": "q1"}).status_code == 404
        assert client.post(url("reporting-period-act", period.pk), {"action": "open"}).status_code == 404
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.SCHEDULED


def test_oct_opens_then_closes_a_period(client_for, roster, oct_officer):
    period = period_create(
        kind="q4",
        covers_from=datetime.date(2026, 10, 1),
        covers_until=datetime.date(2026, 12, 31),
        opens_on=datetime.date(2026, 12, 15),
        due_on=datetime.date(2027, 1, 10),
        actor=None,
    )
    client = client_for(oct_officer)
    opened = client.post(url("reporting-period-act", period.pk), {"action": "open"}, follow=True)
    assert "The period is open; 2 drafts were created." in opened.text
    closed = client.post(url("reporting-period-act", period.pk), {"action": "close"}, follow=True)
    assert "The period is closed." in closed.text
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.CLOSED
    again = client.post(url("reporting-period-act", period.pk), {"action": "close"}, follow=True)
    assert "Only an open period can be closed." in again.text


# --- OCT's dashboard -------------------------------------------------------------------------------


def test_the_dashboard_is_404_for_everyone_but_oct(client_for, report_period, chair, committee_member, usg):
    for person in (chair, committee_member, usg):
        assert client_for(person).get(url("reporting-period", report_period.pk)).status_code == 404


def test_the_dashboard_shows_status_late_and_the_rates_on_a_known_data_set(
    client_for, report_period, chair, oct_officer, time_machine
):
    time_machine.move_to("2026-07-10 15:00Z")
    report = submitted(report_period, chair)
    time_machine.move_to("2026-07-20 15:00Z")  # after the due date: WG 2 never submitted
    page = client_for(oct_officer).get(url("reporting-period", report_period.pk))
    assert page.status_code == 200
    assert [(item["row"].group.number, item["row"].progress) for item in page.context["rows"]] == [
        (2, "late"),
        (7, "submitted"),
    ]
    assert re.search(r'id="reporting-rate">50%<', page.text)
    assert re.search(r'id="on-time-rate">100%<', page.text)
    assert "1 of 2 groups submitted" in page.text
    assert url("reporting-submission", report.pk) in page.text
    wg2_row = re.search(r'<tr data-group="2">(.*?)</tr>', page.text, re.S).group(1)
    assert ">Late<" in wg2_row


def test_a_report_submitted_after_the_due_date_counts_but_not_as_on_time(
    client_for, report_period, chair, oct_officer, time_machine
):
    time_machine.move_to("2026-07-17 15:00Z")
    submitted(report_period, chair)
    page = client_for(oct_officer).get(url("reporting-period", report_period.pk))
    assert re.search(r'id="reporting-rate">50%<', page.text)
    assert re.search(r'id="on-time-rate">0%<', page.text)


# --- The editor ------------------------------------------------------------------------------------


def test_the_editor_saves_the_text_and_the_activity_lines(client_for, report_period, chair):
    client = client_for(chair)
    draft = wg(report_period, 7)
    line = draft.activity_progress.order_by("position").first()
    page = client.get(url("reporting-submission-edit", draft.pk))
    data = editor_data(
        page.text,
        summary="Guidance drafted.",
        challenges="Funding.",
        **{f"activity-{line.pk}-status": "completed", f"activity-{line.pk}-narrative": "Published in May."},
    )
    response = client.post(url("reporting-submission-edit", draft.pk), data)
    assert response.status_code == 302 and response.url == url("reporting-submission-edit", draft.pk)
    draft.refresh_from_db()
    line.refresh_from_db()
    assert (draft.summary, draft.challenges, draft.revision) == ("Guidance drafted.", "Funding.", 1)
    assert (line.status, line.narrative) == ("completed", "Published in May.")
    assert "Draft saved at" in client.get(response.url).text


def test_a_briefings_editor_has_the_three_briefing_sections(client_for, briefing_period, chair):
    form = client_for(chair).get(url("reporting-submission-edit", wg(briefing_period, 7).pk)).context["form"]
    assert [field.name for field in form.content_fields()] == list(Submission.BRIEFING_FIELDS)
    assert form.lines == []


def test_a_second_stale_save_gets_the_conflict_and_the_first_is_kept(client_for, report_period, chair, vice_chair):
    draft = wg(report_period, 7)
    edit = url("reporting-submission-edit", draft.pk)
    chair_client, vice_client = client_for(chair), client_for(vice_chair)
    chair_page, vice_page = chair_client.get(edit).text, vice_client.get(edit).text
    assert 'name="base_revision" value="0"' in chair_page and 'name="base_revision" value="0"' in vice_page

    assert chair_client.post(edit, editor_data(chair_page, summary="Chair's summary.")).status_code == 302
    conflict = vice_client.post(edit, editor_data(vice_page, summary="Vice-chair's summary."))

    assert conflict.status_code == 409
    assert "Someone else saved this draft while you were editing it" in conflict.text
    assert "Chair Tester saved it at" in html_tree(conflict).text
    choice = html_tree(conflict).find(id="conflict-summary").text
    assert "Chair's summary." in choice and "Vice-chair's summary." in choice
    assert "Vice-chair&#x27;s summary.</textarea>" in conflict.text  # the typed text is kept in the form
    assert 'name="base_revision" value="1"' in conflict.text
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Chair's summary.", 1)

    # Choosing is asked for; then a deliberate save of mine goes through.
    unchosen = vice_client.post(edit, editor_data(conflict.text))
    assert unchosen.status_code == 400 and "Choose which text to keep here" in unchosen.text
    assert "Chair's summary." in html_tree(unchosen).find(id="conflict-summary").text  # still offered
    retry = vice_client.post(edit, editor_data(conflict.text, **{"resolve-summary": "mine"}))
    assert retry.status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.revision, draft.last_edited_by) == ("Vice-chair's summary.", 2, vice_chair)


def test_save_and_submit_from_the_editor(client_for, report_period, chair, time_machine):
    time_machine.move_to("2026-07-10 15:00Z")
    client = client_for(chair)
    draft = wg(report_period, 7)
    page = client.get(url("reporting-submission-edit", draft.pk)).text
    response = client.post(
        url("reporting-submission-edit", draft.pk), editor_data(page, summary="Ready.", intent="submit")
    )
    assert response.status_code == 302 and response.url == url("reporting-submission", draft.pk)
    draft.refresh_from_db()
    assert (draft.status, draft.summary, draft.submitted_by, draft.on_time) == (Status.SUBMITTED, "Ready.", chair, True)
    assert draft.versions.get().content["fields"]["summary"] == "Ready."
    detail = client.get(response.url).text
    assert "saved and submitted" in detail and "Version 1" in detail


def test_a_submitted_report_sends_its_editor_back_with_a_message(client_for, report_period, chair):
    report = submitted(report_period, chair)
    client = client_for(chair)
    response = client.get(url("reporting-submission-edit", report.pk))
    assert response.status_code == 302 and response.url == url("reporting-submission", report.pk)
    assert "cannot be edited now" in client.get(response.url).text
    posted = client.post(url("reporting-submission-edit", report.pk), {"summary": "Late change", "base_revision": "1"})
    assert posted.status_code == 302
    report.refresh_from_db()
    assert report.summary == "First text."


def test_oct_cannot_open_the_editor(client_for, report_period, oct_officer):
    assert client_for(oct_officer).get(url("reporting-submission-edit", wg(report_period, 7).pk)).status_code == 404


# --- The workflow on the submission page ----------------------------------------------------------


def test_a_chair_submits_from_the_submission_page(client_for, report_period, chair):
    draft = wg(report_period, 7)
    response = client_for(chair).post(url("reporting-submission-act", draft.pk), {"action": "submit"}, follow=True)
    assert "Input submitted" in html_tree(response).find("ul", class_="messages").text
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_a_chair_cannot_accept_their_own_report(client_for, report_period, chair):
    report = submitted(report_period, chair)
    response = client_for(chair).post(url("reporting-submission-act", report.pk), {"action": "accept"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_oct_returns_a_report_with_a_comment(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair)
    client = client_for(oct_officer)
    page = client.get(url("reporting-submission", report.pk))
    assert "Return for revision" in page.text and "Accept" in page.text
    response = client.post(
        url("reporting-submission-act", report.pk), {"action": "return", "comment": "Add the workshops."}, follow=True
    )
    assert "Input returned for revision" in response.text and "Add the workshops." in response.text
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert "Add the workshops." in client_for(chair).get(url("reporting-submission-edit", report.pk)).text


def test_returning_without_a_comment_shows_an_error_and_changes_nothing(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair)
    response = client_for(oct_officer).post(url("reporting-submission-act", report.pk), {"action": "return"})
    assert response.status_code == 400
    assert "Write a comment for this step." in response.text
    assert re.search(r'<details class="action" open>\s*<summary>Return for revision', response.text)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and not report.steps.filter(action="return").exists()


def test_oct_accepts_then_reopens_with_a_reason(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair)
    client = client_for(oct_officer)
    client.post(url("reporting-submission-act", report.pk), {"action": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    page = client.get(url("reporting-submission", report.pk)).text
    assert "Reopen" in page and "Return for revision" not in page
    refused = client.post(url("reporting-submission-act", report.pk), {"action": "reopen", "comment": " "})
    assert refused.status_code == 400
    client.post(url("reporting-submission-act", report.pk), {"action": "reopen", "comment": "Figures were wrong."})
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_a_stale_move_says_so(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair)
    submission_act(submission=report, action="accept", actor=oct_officer)
    before = Submission.objects.filter(pk=report.pk).values().get(), report.versions.count()
    response = client_for(oct_officer).post(
        url("reporting-submission-act", report.pk), {"action": "return", "comment": "Too late."}
    )
    assert response.status_code == 400 and "not possible while the submission is" in response.text
    assert (Submission.objects.filter(pk=report.pk).values().get(), report.versions.count()) == before
    assert before[0]["status"] == Submission.Status.ACCEPTED


def test_the_review_shows_the_diff_against_the_previous_version(client_for, report_period, chair, oct_officer):
    report = submitted(report_period, chair, summary="The guidance is drafted.")
    submission_act(submission=report, action="return", actor=oct_officer, comment="More detail.")
    report = save(report, chair, summary="The guidance is published.")
    submission_act(submission=report, action="resubmit", actor=chair)
    page = client_for(oct_officer).get(url("reporting-submission", report.pk)).text
    assert "Changes from version 1 to version 2" in page
    assert "<del>drafted.</del><ins>published.</ins>" in page


def test_the_review_links_the_groups_report_of_the_previous_period(client_for, report_period, chair, oct_officer):
    earlier = open_period(
        "end-of-year",
        (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
        datetime.date(2025, 12, 15),
        datetime.date(2026, 1, 15),
    )
    last_year = submitted(earlier, chair, summary="Consultations held.")
    submission_act(submission=last_year, action="accept", actor=oct_officer)
    report = submitted(report_period, chair, summary="Guidance drafted.")
    page = client_for(oct_officer).get(url("reporting-submission", report.pk)).text
    assert "The previous period" in page and url("reporting-submission", last_year.pk) in page
    assert "<del>Consultations</del><ins>Guidance</ins> <del>held.</del><ins>drafted.</ins>" in page


def test_the_versions_page_shows_deletions_and_insertions(
    client_for, report_period, chair, oct_officer, committee_member
):
    report = submitted(report_period, chair, summary="Three workshops.")
    submission_act(submission=report, action="return", actor=oct_officer, comment="Check the number.")
    report = save(report, chair, summary="Four workshops, one <b>online</b>.")
    submission_act(submission=report, action="resubmit", actor=chair)
    submission_act(submission=report, action="accept", actor=oct_officer)
    page = client_for(committee_member).get(url("reporting-submission-versions", report.pk))
    assert page.status_code == 200
    assert "<del>Three</del><ins>Four</ins> <del>workshops.</del>" in page.text
    assert "<ins>workshops, one &lt;b&gt;online&lt;/b&gt;.</ins>" in page.text  # user text is escaped
    assert "<b>online</b>" not in page.text
    same = client_for(committee_member).get(url("reporting-submission-versions", report.pk) + "?a=2&b=2")
    assert "Choose two different versions" in same.text


def test_activity_changes_are_diffed_with_readable_statuses(client_for, report_period, chair, oct_officer):
    draft = wg(report_period, 7)
    line = draft.activity_progress.order_by("position").first()
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="return", actor=oct_officer, comment="Status?")
    draft.refresh_from_db()
    submission_save_draft(
        submission=draft,
        actor=chair,
        base_revision=draft.revision,
        fields={},
        classification="unclassified",
        activities=[ActivityLine(line.pk, "completed", "Done.")],
    )
    submission_act(submission=draft, action="resubmit", actor=chair)
    page = client_for(chair).get(url("reporting-submission-versions", draft.pk)).text
    assert "Draft the guidance note" in page and "<del>[Planned]</del><ins>[Completed] Done.</ins>" in page


# --- Attachments -----------------------------------------------------------------------------------


def test_a_pdf_is_attached_and_readers_download_it(client_for, report_period, chair, oct_officer, outsider):
    draft = wg(report_period, 7)
    client = client_for(chair)
    upload = SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(url("reporting-attachment-add", draft.pk), {"file": upload}, follow=True)
    assert "“annex.pdf” was attached." in response.text
    attachment = draft.attachments.get()
    download = url("reporting-attachment", draft.pk, attachment.pk)
    got = client_for(oct_officer).get(download)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF")
    assert client_for(outsider).get(download).status_code == 404


def test_a_file_that_is_not_pdf_docx_or_xlsx_is_refused_with_a_message(client_for, report_period, chair):
    draft = wg(report_period, 7)
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not really a PDF", content_type="application/pdf")
    response = client_for(chair).post(url("reporting-attachment-add", draft.pk), {"file": upload})
    assert response.status_code == 400
    assert "The file was not attached: Attach a PDF, Word (.docx) or Excel (.xlsx) file." in response.text
    assert not draft.attachments.exists()


def test_a_chair_removes_an_attachment(client_for, report_period, chair):
    draft = wg(report_period, 7)
    client = client_for(chair)
    client.post(
        url("reporting-attachment-add", draft.pk),
        {"file": SimpleUploadedFile("annex.pdf", pdf_bytes(), content_type="application/pdf")},
    )
    attachment = draft.attachments.get()
    response = client.post(url("reporting-attachment-remove", draft.pk, attachment.pk), follow=True)
    assert "“annex.pdf” was removed." in response.text and not draft.attachments.exists()


def test_oct_is_asked_before_opening_a_period_with_what_it_will_do(client_for, roster, oct_officer):
    from workinggroups.models import WorkingGroup

    period = period_create(
        kind="q4",
        covers_from=datetime.date(2026, 10, 1),
        covers_until=datetime.date(2026, 12, 31),
        opens_on=datetime.date(2026, 12, 15),
        due_on=datetime.date(2027, 1, 10),
        actor=None,
    )
    groups = WorkingGroup.objects.active_on(period.covers_until).count()
    assert period.drafts_on_opening == groups >= 2
    page = html_tree(client_for(oct_officer).get(url("reporting-period", period.pk)))
    (form,) = [f for f in page.find_all("form") if f.find_all("input", name="action", value="open")]
    assert form.attrs["data-confirm"] == (
        f"Open this period now? It creates {groups} drafts, one for each working group active at its end, "
        "and e-mails their chairs and vice-chairs."
    )


def test_a_chair_is_asked_before_submitting(client_for, report_period, chair):
    page = html_tree(client_for(chair).get(url("reporting-submission-edit", wg(report_period, 7).pk)))
    button = page.find("button", name="intent", value="submit")
    assert button.attrs["data-confirm"].startswith("Submit this input to the OCT secretariat?")
