"""Issue 14, hole 14: the USG's annual report approved too early, and a final PDF that said
"In preparation".

The USG approved the year's report on 5 December with one input of thirty-six in and the
end-of-year round not yet due. Now the report is submitted and approved once every reporting
round of the year is closed, or earlier on a reason only OCT records (audited, shown on the
page and on the final edition's cover); the final edition is rendered after the approval and
its cover says "Approved on <date> by <name, title>"; and a USG who submitted the report
(holding the OCT role too) neither approves nor returns it.
"""

from __future__ import annotations

import datetime
import html
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from compact.core.models import AuditEvent, Classification
from compact.core.roles import Role
from compact.lib.workflow import SeparationOfDutiesError
from compact.registry.services import person_create
from reporting.compiled.annual.services import annual_report_act, annual_report_early_reason_record
from reporting.compiled.editions import edition_render, edition_request
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.compiled.services import annual_report_start
from tests.helpers import calendar_only
from tests.rounds import EVERY_KIND, Kind, State, year_closed, year_round

pytestmark = pytest.mark.django_db

YEAR = 2026
EARLY_DAY = datetime.datetime(2026, 12, 5, 15, tzinfo=datetime.UTC)  # the day it happened
AFTER_THE_ROUNDS = datetime.datetime(2027, 3, 12, 15, tzinfo=datetime.UTC)
USG_TITLE = "Under-Secretary-General for Counter-Terrorism"
REASON = "The Secretary-General asked for the report before the General Assembly's review in January."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def usg_with_title(usg):
    usg.profile.title = USG_TITLE
    usg.profile.save(update_fields=["title"])
    return usg


@pytest.fixture
def december(roster, time_machine):
    """5 December: Q1–Q3 and the mid-year round closed, the end-of-year round open (due
    31 January), the Q4 briefing not opened yet; the calendar schedules every kind."""
    time_machine.move_to(EARLY_DAY, tick=False)
    calendar_only(*EVERY_KIND)
    for kind in (Kind.Q1, Kind.Q2, Kind.Q3, Kind.MID_YEAR):
        year_round(YEAR, kind, State.CLOSED)
    year_round(YEAR, Kind.END_OF_YEAR, State.OPEN)


def drafted(oct_officer) -> AnnualReport:
    """The year's report with OCT's text and a generated edition of it (as the worker does)."""
    report = annual_report_start(year=YEAR, actor=oct_officer)
    edition = edition_request(report=report, actor=oct_officer)
    assert edition_render(edition_id=edition.pk)
    report.refresh_from_db()
    return report


def pdf_text(edition: ReportEdition) -> str:
    with edition.file.open("rb") as handle:
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(handle.read())).pages)


def awaiting(report: AnnualReport) -> AnnualReport:
    """Put in front of the USG as a report submitted before the rule existed would be."""
    AnnualReport.objects.filter(pk=report.pk).update(state=AnnualReport.State.AWAITING_APPROVAL)
    report.refresh_from_db()
    return report


def test_the_report_is_neither_submitted_nor_approved_before_the_years_rounds_close(
    december, oct_officer, usg, client_for
):
    report = drafted(oct_officer)
    with pytest.raises(ValidationError) as refused:
        annual_report_act(report=report, action="submit", actor=oct_officer)
    message = " ".join(refused.value.messages)
    assert "Quarterly briefing, fourth quarter (not opened yet)" in message
    assert "End-of-year progress report (open)" in message
    report = awaiting(report)
    with pytest.raises(ValidationError, match="not all closed"):
        annual_report_act(report=report, action="approve", actor=usg)
    report.refresh_from_db()
    assert (report.state, report.approved_by, report.approved_at) == (AnnualReport.State.AWAITING_APPROVAL, None, None)
    assert report.editions.count() == 1 and not report.editions.filter(is_final=True).exists()
    assert not AuditEvent.objects.filter(verb="reporting.annual_approve").exists()
    # The page says why before anyone clicks, and offers the USG no approval.
    page = client_for(usg).get(reverse("reporting-annual", args=[report.pk])).text
    assert 'id="approve-waits"' in page and 'value="approve"' not in page
    assert 'data-round="end-of-year" data-closed="no"' in page and 'data-round="q1" data-closed="yes"' in page
    refused_post = client_for(usg).post(reverse("reporting-annual-act", args=[report.pk]), {"action": "approve"})
    assert refused_post.status_code == 400 and "not all closed" in refused_post.text
    assert AnnualReport.objects.get(pk=report.pk).state == AnnualReport.State.AWAITING_APPROVAL


def test_the_report_is_submitted_and_approved_once_every_round_is_closed(
    roster, oct_officer, usg_with_title, time_machine
):
    time_machine.move_to(AFTER_THE_ROUNDS, tick=False)
    year_closed(YEAR)
    report = drafted(oct_officer)
    annual_report_act(report=report, action="submit", actor=oct_officer)
    approved = annual_report_act(report=report, action="approve", actor=usg_with_title)
    assert (approved.state, approved.approved_by, approved.submitted_by) == ("final", usg_with_title, oct_officer)
    assert approved.early_reason == ""


def test_the_final_edition_is_rendered_after_approval_and_says_who_approved_it(
    roster, oct_officer, usg_with_title, time_machine, client_for
):
    time_machine.move_to(AFTER_THE_ROUNDS, tick=False)
    year_closed(YEAR)
    report = drafted(oct_officer)
    submitted = report.editions.get()
    before = (submitted.sha256, submitted.file.name, submitted.is_final)
    annual_report_act(report=report, action="submit", actor=oct_officer)
    annual_report_act(report=report, action="approve", actor=usg_with_title)
    final = report.editions.get(number=2)
    assert (final.status, final.is_final) == (ReportEdition.Status.QUEUED, False)  # for a worker
    # Meanwhile the page says so, and the edition approved can be downloaded.
    page = client_for(usg_with_title).get(reverse("reporting-annual", args=[report.pk])).text
    assert 'id="final-edition-note"' in page and reverse("reporting-edition-download", args=[submitted.pk]) in page
    assert edition_render(edition_id=final.pk)
    final.refresh_from_db()
    assert final.is_final and final.status == ReportEdition.Status.DONE
    cover = pdf_text(final)
    assert f"Approved on 12 March 2027 by Usg Tester, {USG_TITLE}" in cover
    assert "In preparation" not in cover
    # The edition that was submitted stays as it was.
    submitted.refresh_from_db()
    assert (submitted.sha256, submitted.file.name, submitted.is_final) == before
    assert "Status In preparation" in pdf_text(submitted) and "Approved on" not in pdf_text(submitted)
    assert AuditEvent.objects.get(verb="reporting.annual_approve").after == {
        "state": "final",
        "edition": 1,
        "final_edition": 2,
    }


def test_oct_records_a_reason_and_the_usg_may_approve_early_with_the_reason_shown(
    december, oct_officer, usg_with_title, client_for
):
    report = drafted(oct_officer)
    page = client_for(oct_officer).get(reverse("reporting-annual", args=[report.pk])).text
    assert 'id="rounds-open"' in page and 'id="submit-waits"' in page
    response = client_for(oct_officer).post(
        reverse("reporting-annual-early-reason", args=[report.pk]), {"reason": REASON}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.early_reason, report.early_recorded_by, report.early_recorded_at) == (REASON, oct_officer, EARLY_DAY)
    annual_report_act(report=report, action="submit", actor=oct_officer)
    page = client_for(usg_with_title).get(reverse("reporting-annual", args=[report.pk])).text
    assert 'id="early-reason"' in page and html.escape(REASON) in page and 'value="approve"' in page
    annual_report_act(report=report, action="approve", actor=usg_with_title)
    final = report.editions.get(number=2)
    assert edition_render(edition_id=final.pk)
    final.refresh_from_db()
    cover = pdf_text(final)
    assert "before every reporting round of the year had closed" in cover and REASON in cover
    assert f"Approved on 5 December 2026 by Usg Tester, {USG_TITLE}" in cover


def test_only_oct_records_the_reason_and_each_one_is_audited(
    december, oct_officer, usg, chair, committee_member, client_for
):
    report = drafted(oct_officer)
    for person in (usg, chair, committee_member):
        with pytest.raises(PermissionDenied):
            annual_report_early_reason_record(report=report, actor=person, reason=REASON)
        posted = client_for(person).post(reverse("reporting-annual-early-reason", args=[report.pk]), {"reason": REASON})
        assert posted.status_code == 404
    with pytest.raises(ValidationError, match="Say why"):
        annual_report_early_reason_record(report=report, actor=oct_officer, reason="   ")
    with pytest.raises(ValidationError, match="not allowed"):  # printed on the cover: no reordering
        annual_report_early_reason_record(report=report, actor=oct_officer, reason="Urgent \u202etxet nedih")
    empty = client_for(oct_officer).post(reverse("reporting-annual-early-reason", args=[report.pk]), {"reason": ""})
    assert empty.status_code == 400 and "Say why the report should go ahead" in empty.text
    assert AnnualReport.objects.get(pk=report.pk).early_reason == ""
    assert not AuditEvent.objects.filter(verb="reporting.annual_early_reason").exists()
    annual_report_early_reason_record(report=report, actor=oct_officer, reason="First reason.")
    annual_report_early_reason_record(report=report, actor=oct_officer, reason=REASON)
    rows = list(AuditEvent.objects.filter(verb="reporting.annual_early_reason").order_by("id"))
    assert [(row.actor, row.before, row.after["early_reason"]) for row in rows] == [
        (oct_officer, {"early_reason": ""}, "First reason."),
        (oct_officer, {"early_reason": "First reason."}, REASON),
    ]
    assert rows[-1].after["rounds_open"] == ["Quarterly briefing, fourth quarter", "End-of-year progress report"]
    # Once submitted, the reason is frozen with the report.
    annual_report_act(report=report, action="submit", actor=oct_officer)
    with pytest.raises(ValidationError, match="in preparation"):
        annual_report_early_reason_record(report=report, actor=oct_officer, reason="A third reason.")


def test_a_usg_who_submitted_the_report_neither_approves_nor_returns_it(
    roster, oct_officer, usg, time_machine, client_for
):
    time_machine.move_to(AFTER_THE_ROUNDS, tick=False)
    year_closed(YEAR)
    both = person_create(
        username="both",
        email="both@example.org",
        first_name="Both",
        last_name="Roles",
        entity=roster.unoct,
        roles=(Role.OCT, Role.USG),
        clearance=Classification.STRICTLY_CONFIDENTIAL,
        actor=None,
    )
    report = drafted(oct_officer)
    annual_report_act(report=report, action="submit", actor=both)
    for action in ("approve", "return"):
        with pytest.raises(SeparationOfDutiesError):
            annual_report_act(report=report, action=action, actor=both, comment="Looks right to me.")
    page = client_for(both).get(reverse("reporting-annual", args=[report.pk])).text
    assert 'id="own-submission"' in page and 'value="approve"' not in page and 'value="return"' not in page
    posted = client_for(both).post(
        reverse("reporting-annual-act", args=[report.pk]), {"action": "approve"}, follow=True
    )
    assert "someone else must decide on it" in posted.text
    report.refresh_from_db()
    assert (report.state, report.approved_by) == (AnnualReport.State.AWAITING_APPROVAL, None)
    assert not AuditEvent.objects.filter(verb="reporting.annual_approve").exists()
    # Another holder of the USG role decides.
    assert 'value="approve"' in client_for(usg).get(reverse("reporting-annual", args=[report.pk])).text
    annual_report_act(report=report, action="approve", actor=usg)
    report.refresh_from_db()
    assert (report.state, report.approved_by, report.submitted_by) == (AnnualReport.State.FINAL, usg, both)


def test_a_round_of_a_year_whose_report_is_awaiting_approval_or_final_stays_closed(december, oct_officer):
    from reporting.compiled.models import ConsolidatedReport
    from reporting.submissions.models import ReportingPeriod
    from reporting.submissions.periods.services import period_reopen

    mid_year = ReportingPeriod.objects.get(kind=Kind.MID_YEAR, covers_from__year=YEAR)
    report = awaiting(drafted(oct_officer))
    new_day = datetime.date(2026, 12, 20)
    with pytest.raises(ValidationError, match="annual report"):
        period_reopen(period=mid_year, actor=oct_officer, closes_on=new_day, reason="A group asked.")
    AnnualReport.objects.filter(pk=report.pk).update(state=AnnualReport.State.IN_PREPARATION)
    consolidated = ConsolidatedReport.objects.create(period=mid_year)
    ConsolidatedReport.objects.filter(pk=consolidated.pk).update(state=ConsolidatedReport.State.FINAL)
    with pytest.raises(ValidationError, match="consolidated report is final"):
        period_reopen(period=mid_year, actor=oct_officer, closes_on=new_day, reason="A group asked.")
    mid_year.refresh_from_db()
    assert mid_year.state == ReportingPeriod.State.CLOSED
    assert not AuditEvent.objects.filter(verb="reporting.period_reopened").exists()


def test_the_report_is_not_submitted_while_an_edition_is_being_laid_out(december, oct_officer):
    report = drafted(oct_officer)
    annual_report_early_reason_record(report=report, actor=oct_officer, reason=REASON)
    report.refresh_from_db()
    edition_request(report=report, actor=oct_officer)  # queued, not rendered yet
    with pytest.raises(ValidationError, match="still being laid out"):
        annual_report_act(report=report, action="submit", actor=oct_officer)
    report.refresh_from_db()
    assert report.state == AnnualReport.State.IN_PREPARATION and report.submitted_by is None
