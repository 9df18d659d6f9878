"""OCT's compiled-report pages: the list, the consolidated report (inputs, OCT's text with its
conflict, editions with their progress, making one final), the annual report with the USG's
approval, the status JSON and the permission-checked download — for every persona."""

from __future__ import annotations

import copy
import datetime
import html
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from compact.core.models import AuditEvent, Classification
from reporting.compiled.annual.services import annual_report_act
from reporting.compiled.editions import edition_render
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.compiled.services import annual_report_start, consolidated_report_start, report_text_save
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_close
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import calendar_only, html_tree, oct_person, pdf_bytes

pytestmark = pytest.mark.django_db

Status = ReportEdition.Status
PERSONAS = ["usg", "committee_member", "chair", "focal_point", "outsider"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _early_2027(time_machine):
    """The 2026 rounds and annual report have begun, whatever the day the tests run."""
    time_machine.move_to(datetime.datetime(2027, 2, 10, 15, tzinfo=datetime.UTC), tick=True)


@pytest.fixture
def pdf_templates(settings, tmp_path):
    """Stand-in print templates after the project's own, so an edition renders even while the
    real ones are being written (the project's win when they exist): these tests are about the
    pages, not the PDF's content."""
    folder = tmp_path / "templates" / "reporting" / "pdf"
    folder.mkdir(parents=True)
    page = "<html><body><h1>{{ report }}</h1><p>{{ classification_label }}</p></body></html>"
    (folder / "consolidated.html").write_text(page)
    (folder / "annual.html").write_text(page)
    (folder / "print.css").write_text("@page { size: A4; }")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path / "templates"]
    settings.TEMPLATES = templates


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def wg(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def submit(period: ReportingPeriod, number: int, actor, **fields: str) -> Submission:
    submission = wg(period, number)
    submission = submission_save_draft(
        submission=submission,
        actor=actor,
        base_revision=submission.revision,
        fields=fields or {"summary": "Progress on human rights guidance."},
        classification=submission.classification,
    )
    return submission_act(submission=submission, action="submit", actor=actor)


@pytest.fixture
def wg2_chair(roster):
    """UNODC's representative, chair of WG 2 (to submit its input)."""
    from compact.registry.services import person_create
    from workinggroups.models import RoleAssignment
    from workinggroups.services import role_representative_set

    user = person_create(
        username="wg2chair",
        email="wg2chair@example.org",
        first_name="Wg2",
        last_name="Chair",
        entity=roster.unodc,
        password="pw",
        actor=None,
    )
    assignment = RoleAssignment.objects.get(working_group=roster.other_group, role="chair")
    role_representative_set(assignment=assignment, person=user, actor=None)
    return user


@pytest.fixture
def report(report_period, chair, oct_officer) -> ConsolidatedReport:
    """The 2026 mid-year round's consolidated report: WG 7's input accepted, WG 2's missing."""
    accepted = submit(report_period, 7, chair)
    submission_act(submission=accepted, action="accept", actor=oct_officer)
    return consolidated_report_start(period=report_period, actor=oct_officer)


def edition(report, actor, *, number: int = 1, final: bool = False, level: str = Classification.UNCLASSIFIED):
    """A generated edition, as the worker leaves it (a real PDF file, its hash and pages)."""
    field = "consolidated_report" if isinstance(report, ConsolidatedReport) else "annual_report"
    made = ReportEdition(
        **{field: report},
        number=number,
        status=Status.DONE,
        progress=100,
        stage="Ready",
        sha256="ab" * 32,
        size=len(pdf_bytes()),
        pages=1,
        classification=level,
        is_final=final,
        requested_by=actor,
    )
    made.file.save("edition.pdf", ContentFile(pdf_bytes()), save=False)
    made.save()
    if final and isinstance(report, ConsolidatedReport):
        ConsolidatedReport.objects.filter(pk=report.pk).update(state=ConsolidatedReport.State.FINAL)
    return made


def text_data(page: str, **typed: str) -> dict[str, str]:
    """The text editor's POST data as the page rendered it, with ``typed`` over it."""
    form = re.search(r'<form method="post" action="[^"]*" class="stacked editor".*?</form>', page, re.S).group(0)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data.update(re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', form))
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        data[name] = html.unescape(text)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    data.setdefault("symbol", "")
    return {**data, **typed}


# --- Who sees what ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, report, oct_officer):
    made = edition(report, oct_officer)
    annual = annual_report_start(year=2026, actor=oct_officer)
    gets = [
        url("reporting-compiled-list"),
        url("reporting-consolidated", report.pk),
        url("reporting-annual", annual.pk),
        url("reporting-edition-status", made.pk),
        url("reporting-edition-download", made.pk),
    ]
    posts = [
        url("reporting-consolidated", report.pk),
        url("reporting-consolidated-start"),
        url("reporting-annual-start"),
        url("reporting-edition-request", "consolidated", report.pk),
        url("reporting-edition-request", "annual", annual.pk),
        url("reporting-edition-final", made.pk),
        url("reporting-annual-act", annual.pk),
    ]
    for path in gets:
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path
    for path in posts:
        response = client.post(path, {"action": "approve"})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path
    assert not ReportEdition.objects.filter(is_final=True).exists()


def test_the_list_is_octs_with_start_forms(client_for, report, oct_officer):
    page = client_for(oct_officer).get(url("reporting-compiled-list"))
    assert page.status_code == 200
    assert "Start the annual report" in page.text
    # The only open round has its report: nothing left to start.
    assert "Every open or closed round has its consolidated report." in page.text
    assert url("reporting-consolidated", report.pk) in page.text
    assert "1 of 2" in page.text  # inputs accepted of expected


@pytest.mark.parametrize(("persona", "status"), [("committee_member", 200), ("chair", 200), ("usg", 200)])
def test_the_committee_and_the_usg_get_a_reading_list(client_for, request, report, persona, status):
    page = client_for(request.getfixturevalue(persona)).get(url("reporting-compiled-list"))
    assert page.status_code == status
    assert "Start the consolidated report" not in page.text
    # Not final yet: nothing of this round is listed for them.
    assert url("reporting-consolidated", report.pk) not in page.text
    assert ("Annual reports to the Secretary-General" in page.text) == (persona == "usg")


@pytest.mark.parametrize("persona", ["focal_point", "outsider"])
def test_others_get_404_for_the_list(client_for, request, report, persona):
    assert client_for(request.getfixturevalue(persona)).get(url("reporting-compiled-list")).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_report_in_preparation_is_octs_only(client_for, request, report, oct_officer, persona):
    queued = ReportEdition.objects.create(consolidated_report=report, number=2, requested_by=oct_officer)
    done = edition(report, oct_officer)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url("reporting-consolidated", report.pk)).status_code == 404
    assert client.get(url("reporting-edition-status", queued.pk)).status_code == 404
    assert client.get(url("reporting-edition-download", done.pk)).status_code == 404
    posted = client.post(url("reporting-consolidated", report.pk), {"base_revision": "0", "executive_summary": "X"})
    assert posted.status_code == 404
    assert client.post(url("reporting-edition-request", "consolidated", report.pk)).status_code == 404
    assert client.post(url("reporting-edition-final", done.pk)).status_code == 404
    report.refresh_from_db()
    assert report.executive_summary == "" and report.state == ConsolidatedReport.State.IN_PREPARATION
    assert report.editions.count() == 2


def test_a_missing_report_or_edition_is_404(client_for, oct_officer):
    client = client_for(oct_officer)
    assert client.get(url("reporting-consolidated", 999)).status_code == 404
    assert client.get(url("reporting-annual", 999)).status_code == 404
    assert client.get(url("reporting-edition-status", 999)).status_code == 404
    assert client.get(url("reporting-edition-download", 999)).status_code == 404
    assert client.post(url("reporting-edition-request", "annual", 999)).status_code == 404


# --- The consolidated report's page ----------------------------------------------------------------


def test_oct_sees_which_inputs_are_accepted_pending_or_missing(
    client_for, report, report_period, oct_officer, wg2_chair
):
    client = client_for(oct_officer)
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert re.search(r'data-group="7" data-input="accepted"', page)
    assert re.search(r'data-group="2" data-input="missing"', page)
    assert url("reporting-submission", wg(report_period, 7).pk) in page
    submit(report_period, 2, wg2_chair)
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert re.search(r'data-group="2" data-input="pending"', page)
    assert "Generate an edition" in page and 'id="text-editor"' in page


def test_saving_the_text_writes_a_revision_and_an_audit_row(client_for, report, oct_officer):
    client = client_for(oct_officer)
    page = client.get(url("reporting-consolidated", report.pk)).text
    data = text_data(
        page, symbol="OCT/CC/2026/2", executive_summary="Eleven of twelve groups reported.", observations="Good."
    )
    response = client.post(url("reporting-consolidated", report.pk), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1 and report.symbol == "OCT/CC/2026/2" and report.updated_by == oct_officer
    assert report.executive_summary == "Eleven of twelve groups reported."
    event = AuditEvent.objects.get(verb="reporting.report_text_saved")
    assert event.object_id == str(report.pk) and event.after["symbol"] == "OCT/CC/2026/2"
    page = client.get(response.url).text
    assert "The text was saved at" in page and "Eleven of twelve groups reported." in page


def test_a_conflict_keeps_the_typed_text_and_says_who_saved(client_for, report, oct_officer):
    client = client_for(oct_officer)
    page = client.get(url("reporting-consolidated", report.pk)).text
    colleague = oct_person("colleague", Classification.STRICTLY_CONFIDENTIAL)
    report_text_save(
        report=report,
        actor=colleague,
        base_revision=0,
        fields={"executive_summary": "Their summary."},
        text_classification=Classification.UNCLASSIFIED,
    )
    typed = "My summary, typed <carefully>."
    response = client.post(url("reporting-consolidated", report.pk), text_data(page, executive_summary=typed))
    assert response.status_code == 409
    assert "Someone else saved this text" in response.text and "Colleague Officer" in response.text
    assert html.escape(typed) in response.text and typed not in response.text  # kept, and escaped
    assert '<input type="hidden" name="base_revision" value="1"' in response.text
    report.refresh_from_db()
    assert report.executive_summary == "Their summary." and report.revision == 1
    # A second, deliberate save replaces theirs.
    again = client.post(url("reporting-consolidated", report.pk), text_data(response.text))
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.executive_summary == typed and report.revision == 2


def test_a_text_above_the_editors_clearance_is_refused(client_for, report, oct_officer):
    client = client_for(oct_officer)
    data = text_data(client.get(url("reporting-consolidated", report.pk)).text, text_classification="top-secret")
    response = client.post(url("reporting-consolidated", report.pk), data)
    assert response.status_code == 400 and "Please correct the errors below." in response.text
    assert ConsolidatedReport.objects.get(pk=report.pk).revision == 0


def test_generating_an_edition_shows_progress_then_the_download(client_for, report, oct_officer, pdf_templates):
    client = client_for(oct_officer)
    response = client.post(url("reporting-edition-request", "consolidated", report.pk))
    assert response.status_code == 302 and response.url.endswith("#editions")
    queued = ReportEdition.objects.get(consolidated_report=report)
    assert queued.status == Status.QUEUED and queued.number == 1 and queued.requested_by == oct_officer
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert "Edition 1 was requested" in page
    assert "<progress" in page and url("reporting-edition-status", queued.pk) in page
    assert "Generate an edition" not in page  # one at a time
    status = client.get(url("reporting-edition-status", queued.pk))
    assert status.json() == {
        "status": "queued",
        "status_label": "Waiting for a worker",
        "progress": 0,
        "stage": "Waiting for a worker",
        "error": "",
        "download_url": None,
    }
    assert "no-cache" in status["Cache-Control"]
    # A second request while one runs is refused with a message, not a second edition.
    refused = client.post(url("reporting-edition-request", "consolidated", report.pk), follow=True)
    assert "being generated already" in refused.text and report.editions.count() == 1

    assert edition_render(edition_id=queued.pk)  # what the worker does
    data = client.get(url("reporting-edition-status", queued.pk)).json()
    download = url("reporting-edition-download", queued.pk)
    assert data["status"] == "done" and data["progress"] == 100 and data["download_url"] == download
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert "<progress" not in page and download in page and "Make final" in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="consolidated-report-2026-mid-year-edition-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_failed_edition_shows_its_error(client_for, report, oct_officer):
    failed = ReportEdition.objects.create(
        consolidated_report=report,
        number=1,
        status=Status.FAILED,
        progress=30,
        error="TemplateDoesNotExist: reporting/pdf/consolidated.html",
        requested_by=oct_officer,
    )
    client = client_for(oct_officer)
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert "TemplateDoesNotExist: reporting/pdf/consolidated.html" in page and "Failed" in page
    assert "Generate an edition" in page and "Make final" not in page
    data = client.get(url("reporting-edition-status", failed.pk)).json()
    assert data["status"] == "failed" and data["error"].startswith("TemplateDoesNotExist") and not data["download_url"]
    assert client.get(url("reporting-edition-download", failed.pk)).status_code == 404


def test_a_final_edition_is_read_by_the_committee_within_clearance(
    client_for, report, oct_officer, committee_member, chair
):
    edition(report, oct_officer, number=1)
    final = edition(report, oct_officer, number=2, final=True, level=Classification.CONFIDENTIAL)
    member = client_for(committee_member)
    listing = member.get(url("reporting-compiled-list")).text
    assert url("reporting-edition-download", final.pk) in listing
    page = member.get(url("reporting-consolidated", report.pk))
    assert page.status_code == 200 and url("reporting-edition-download", final.pk) in page.text
    # Only the final edition, and none of OCT's tools.
    assert 'data-edition="1"' not in page.text and 'id="text-editor"' not in page.text and "data-input" not in page.text
    response = member.get(url("reporting-edition-download", final.pk))
    assert response.status_code == 200
    assert "edition-2.pdf" in response["Content-Disposition"]
    assert member.get(url("reporting-edition-status", final.pk)).json()["status"] == "done"
    # The chair sits on the Committee but is not cleared for a confidential edition.
    reader = client_for(chair)
    assert reader.get(url("reporting-edition-download", final.pk)).status_code == 404
    assert reader.get(url("reporting-consolidated", report.pk)).status_code == 404
    assert url("reporting-consolidated", report.pk) not in reader.get(url("reporting-compiled-list")).text


# --- Making an edition final -------------------------------------------------------------------------


def test_making_the_latest_edition_final_freezes_the_report(client_for, report, oct_officer):
    older = edition(report, oct_officer, number=1)
    latest = edition(report, oct_officer, number=2)
    client = client_for(oct_officer)
    refused = client.post(url("reporting-edition-final", older.pk), follow=True)
    assert "Only the latest edition can be made final" in refused.text
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert page.count("Make final") == 1 and f'action="{url("reporting-edition-final", latest.pk)}"' in page

    response = client.post(url("reporting-edition-final", latest.pk))
    assert response.status_code == 302
    latest.refresh_from_db()
    report.refresh_from_db()
    assert latest.is_final and report.state == ConsolidatedReport.State.FINAL
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert 'id="final-note"' in page and "Edition 2 is final" in page
    assert 'id="text-editor"' not in page and "Generate an edition" not in page and "Make final" not in page

    # Later POSTs are refused with a message and change nothing.
    saved = client.post(
        url("reporting-consolidated", report.pk),
        {
            "base_revision": "0",
            "symbol": "",
            "executive_summary": "Late edit",
            "observations": "",
            "text_classification": "unclassified",
        },
        follow=True,
    )
    assert "can no longer change" in saved.text
    generated = client.post(url("reporting-edition-request", "consolidated", report.pk), follow=True)
    assert "can no longer change" in generated.text
    report.refresh_from_db()
    assert report.executive_summary == "" and report.editions.count() == 2


# --- The annual report --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["committee_member", "chair", "focal_point", "outsider"])
def test_the_annual_report_is_octs_and_the_usgs(client_for, request, oct_officer, persona):
    calendar_only()  # no round of the year to wait for: OCT may submit, the USG approve
    annual = annual_report_start(year=2026, actor=oct_officer)
    made = edition(annual, oct_officer)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url("reporting-annual", annual.pk)).status_code == 404
    assert client.get(url("reporting-edition-download", made.pk)).status_code == 404

    def stored() -> dict:
        return AnnualReport.objects.filter(pk=annual.pk).values().get()

    act = url("reporting-annual-act", annual.pk)
    before = stored()
    assert client.post(act, {"action": "submit"}).status_code == 404
    assert stored() == before
    annual_report_act(report=annual, action="submit", actor=oct_officer)
    submitted = stored()
    assert client.post(act, {"action": "approve"}).status_code == 404
    assert stored() == submitted and submitted["state"] == AnnualReport.State.AWAITING_APPROVAL


def test_starting_reports_from_the_list(client_for, report_period, oct_officer, outsider):
    client = client_for(oct_officer)
    listing = client.get(url("reporting-compiled-list")).text
    assert f'<option value="{report_period.pk}">' in listing
    response = client.post(url("reporting-consolidated-start"), {"period": report_period.pk})
    report = ConsolidatedReport.objects.get(period=report_period)
    assert response.status_code == 302 and response.url == url("reporting-consolidated", report.pk)
    again = client.post(url("reporting-consolidated-start"), {"period": report_period.pk})
    assert again.status_code == 400 and "has its consolidated report already" in again.text
    early = client.post(url("reporting-annual-start"), {"year": "2017"})
    assert early.status_code == 400 and not AnnualReport.objects.exists()
    response = client.post(url("reporting-annual-start"), {"year": "2026"})
    assert response.status_code == 302 and AnnualReport.objects.filter(year=2026).exists()
    assert client_for(outsider).post(url("reporting-annual-start"), {"year": "2025"}).status_code == 404
    assert not AnnualReport.objects.filter(year=2025).exists()


def test_the_annual_report_is_submitted_returned_and_approved(
    client_for, report, report_period, oct_officer, usg, pdf_templates
):
    calendar_only()  # the year's only round is the mid-year one, closed
    period_close(period=report_period, actor=None)
    annual = annual_report_start(year=2026, actor=oct_officer)
    oct_client, usg_client = client_for(oct_officer), client_for(usg)
    page = oct_client.get(url("reporting-annual", annual.pk)).text
    assert "Generate an edition with the current text before submitting" in page
    oct_client.post(url("reporting-annual", annual.pk), text_data(page, executive_summary="A year of progress."))

    # The USG cannot submit for OCT; OCT cannot approve.
    assert usg_client.post(url("reporting-annual-act", annual.pk), {"action": "submit"}).status_code == 404
    oct_client.post(url("reporting-edition-request", "annual", annual.pk))
    first = annual.editions.get()
    assert edition_render(edition_id=first.pk)
    page = oct_client.get(url("reporting-annual", annual.pk)).text
    assert "Submit to the USG for approval" in page
    assert oct_client.post(url("reporting-annual-act", annual.pk), {"action": "submit"}).status_code == 302
    annual.refresh_from_db()
    assert annual.state == AnnualReport.State.AWAITING_APPROVAL
    assert oct_client.post(url("reporting-annual-act", annual.pk), {"action": "approve"}).status_code == 404
    page = oct_client.get(url("reporting-annual", annual.pk)).text
    assert 'id="text-editor"' not in page and "Generate an edition" not in page

    # The USG returns it: a comment is required.
    page = usg_client.get(url("reporting-annual", annual.pk)).text
    assert "Approve" in page and "Return to OCT" in page and "A year of progress." in page
    refused = usg_client.post(url("reporting-annual-act", annual.pk), {"action": "return", "comment": " "})
    assert refused.status_code == 400 and "Write a comment for this step." in refused.text
    returned = usg_client.post(
        url("reporting-annual-act", annual.pk), {"action": "return", "comment": "Add the Q4 figures."}
    )
    assert returned.status_code == 302
    annual.refresh_from_db()
    assert annual.state == AnnualReport.State.IN_PREPARATION
    page = oct_client.get(url("reporting-annual", annual.pk)).text
    assert "Add the Q4 figures." in page and 'id="text-editor"' in page

    # OCT resubmits the same, still current edition; the USG approves it.
    assert oct_client.post(url("reporting-annual-act", annual.pk), {"action": "submit"}).status_code == 302
    approved = usg_client.post(url("reporting-annual-act", annual.pk), {"action": "approve"}, follow=True)
    assert "approved and final" in approved.text
    annual.refresh_from_db()
    first.refresh_from_db()
    assert annual.state == AnnualReport.State.FINAL and annual.approved_by == usg and annual.approved_at
    assert not first.is_final  # the edition submitted stays as it was
    assert 'id="final-note"' in approved.text and "Approved by Usg Tester" in html_tree(approved).text
    assert 'name="action" value="approve"' not in approved.text
    # While the final edition is generated, the edition approved can still be downloaded.
    final = annual.editions.get(number=2)
    assert final.status == Status.QUEUED and 'id="final-edition-note"' in approved.text
    download = usg_client.get(url("reporting-edition-download", first.pk))
    assert download.status_code == 200
    assert 'filename="annual-report-2026-edition-1.pdf"' in download["Content-Disposition"]
    assert edition_render(edition_id=final.pk)
    page = usg_client.get(url("reporting-annual", annual.pk)).text
    assert "Edition 2, generated after the approval, is the final one" in page
    assert 'id="final-edition-note"' not in page
    download = usg_client.get(url("reporting-edition-download", final.pk))
    assert 'filename="annual-report-2026-edition-2.pdf"' in download["Content-Disposition"]
    # Final: OCT can change nothing more.
    generated = oct_client.post(url("reporting-edition-request", "annual", annual.pk), follow=True)
    assert "can no longer change" in generated.text and annual.editions.count() == 2


def test_an_officer_below_the_texts_classification_neither_sees_nor_overwrites_it(client_for, report, oct_officer):
    report_text_save(
        report=report,
        actor=oct_officer,
        base_revision=0,
        fields={"executive_summary": "Sensitive assessment."},
        text_classification=Classification.STRICTLY_CONFIDENTIAL,
    )
    client = client_for(oct_person("junior", Classification.CONFIDENTIAL))
    page = client.get(url("reporting-consolidated", report.pk)).text
    assert "Sensitive assessment." not in page and 'id="text-editor"' not in page
    assert "classified above your clearance" in page and "Generate an edition" not in page
    data = {"base_revision": "1", "executive_summary": "Overwritten", "text_classification": "unclassified"}
    assert client.post(url("reporting-consolidated", report.pk), data).status_code == 404
    report.refresh_from_db()
    assert report.executive_summary == "Sensitive assessment."
