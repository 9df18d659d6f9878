"""OCT's consolidated and annual reports: the text, editions, finality and the USG's approval.

(What the PDFs say is tested in test_pdf_contents.py; the pages in test_compiled_pages.py.)"""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from compact.core.models import AuditEvent, Classification
from compact.lib.workflow import EditConflictError, TransitionNotAllowedError
from reporting.compiled.annual.services import annual_report_act
from reporting.compiled.editions import edition_mark_final, edition_render, edition_request, editions_requeue_lost
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.compiled.services import annual_report_start, consolidated_report_start, report_text_save
from reporting.compiled.workflow import ANNUAL_TRANSITIONS
from reporting.submissions.periods.services import period_close
from reporting.submissions.permissions import can_read_edition
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import calendar_only, oct_person
from tests.rounds import year_closed

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def report(report_period, oct_officer) -> ConsolidatedReport:
    return consolidated_report_start(period=report_period, actor=oct_officer)


def accept(submission, chair, oct_officer, *, classification=Classification.UNCLASSIFIED, **fields) -> None:
    submission_save_draft(
        submission=submission,
        actor=chair,
        base_revision=submission.revision,
        fields=fields or {"summary": "The group met twice."},
        classification=classification,
    )
    submission_act(submission=submission, action="submit", actor=chair)
    submission_act(submission=submission, action="accept", actor=oct_officer)


def wg7(report_period, roster):
    return report_period.submissions.get(working_group=roster.group)


def generate(report, actor) -> ReportEdition:
    """What the page and the worker do together: request, then render (as the task would)."""
    edition = edition_request(report=report, actor=actor)
    assert edition_render(edition_id=edition.pk)
    edition.refresh_from_db()
    return edition


def text(edition: ReportEdition) -> str:
    with edition.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


# --- OCT's text -------------------------------------------------------------------------------------


def test_octs_text_is_saved_with_optimistic_locking_and_audited(report, oct_officer):
    saved = report_text_save(
        report=report,
        actor=oct_officer,
        base_revision=0,
        fields={"executive_summary": " Nine groups reported. ", "symbol": "OCT/CC/2026/2"},
        text_classification=Classification.UNCLASSIFIED,
    )
    assert (saved.revision, saved.executive_summary, saved.symbol) == (1, "Nine groups reported.", "OCT/CC/2026/2")
    event = AuditEvent.objects.get(verb="reporting.report_text_saved")
    assert event.after == {"executive_summary": "Nine groups reported.", "symbol": "OCT/CC/2026/2"}
    with pytest.raises(EditConflictError) as conflict:
        report_text_save(
            report=report,
            actor=oct_officer,
            base_revision=0,
            fields={"observations": "x"},
            text_classification="unclassified",
        )
    assert conflict.value.current.executive_summary == "Nine groups reported."
    report.refresh_from_db()
    assert report.observations == ""


def test_only_oct_writes_the_text_and_never_above_its_clearance(report, chair, usg):
    junior = oct_person("junior", Classification.UNCLASSIFIED)
    for person in (chair, usg):
        with pytest.raises(PermissionDenied):
            report_text_save(
                report=report, actor=person, base_revision=0, fields={}, text_classification="unclassified"
            )
    with pytest.raises(ValidationError, match="above your own clearance"):
        report_text_save(
            report=report,
            actor=junior,
            base_revision=0,
            fields={"observations": "x"},
            text_classification="confidential",
        )


# --- Editions -----------------------------------------------------------------------------------


def test_an_edition_is_generated_by_the_worker_and_kept_with_its_hash(report, roster, chair, oct_officer):
    accept(wg7(report.period, roster), chair, oct_officer, summary="Guidance note finalised.")
    edition = generate(report, oct_officer)
    assert (edition.status, edition.progress, edition.number) == ("done", 100, 1)
    assert edition.pages >= 3 and edition.size > 1000 and len(edition.sha256) == 64
    assert edition.classification == "unclassified"
    assert "Guidance note finalised." in text(edition)
    assert AuditEvent.objects.filter(verb="reporting.edition_generated").count() == 1
    # The task delivered twice renders it once.
    assert edition_render(edition_id=edition.pk) is False


def test_regenerating_after_a_late_input_keeps_octs_text(report, roster, chair, vice_chair, oct_officer):
    report_text_save(
        report=report,
        actor=oct_officer,
        base_revision=0,
        fields={"observations": "The Committee may wish to note the joint guidance."},
        text_classification="unclassified",
    )
    first = generate(report, oct_officer)
    assert "Human rights" in text(first) and "joint guidance" in text(first)
    accept(wg7(report.period, roster), chair, oct_officer, summary="A late but welcome input.")
    second = generate(report, oct_officer)
    assert second.number == 2
    assert "A late but welcome input." in text(second) and "joint guidance" in text(second)
    assert "A late but welcome input." not in text(first)  # the first edition is kept as it was
    assert first.sha256 != second.sha256


def test_an_edition_carries_the_highest_classification_and_needs_the_clearance(report, roster, chair, oct_officer):
    chair.profile.clearance = Classification.CONFIDENTIAL
    chair.profile.save()
    accept(wg7(report.period, roster), chair, oct_officer, classification=Classification.CONFIDENTIAL)
    junior = oct_person("junior", Classification.UNCLASSIFIED)
    with pytest.raises(PermissionDenied):
        edition_request(report=report, actor=junior)
    edition = generate(report, oct_officer)
    assert edition.classification == "confidential"
    assert not can_read_edition(junior, edition)
    assert can_read_edition(oct_officer, edition)


def at(minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 7, 20, 12, minute, second, tzinfo=datetime.UTC)


def test_one_edition_at_a_time_and_a_lost_one_is_queued_again(report, oct_officer, time_machine, settings):
    settings.EDITION_LEASE_SECONDS = 30
    time_machine.move_to(at(0), tick=False)
    edition = edition_request(report=report, actor=oct_officer)
    with pytest.raises(ValidationError, match="already"):
        edition_request(report=report, actor=oct_officer)
    assert editions_requeue_lost() == 0
    time_machine.move_to(at(2, 1), tick=False)
    assert editions_requeue_lost() == 1  # no worker took it in two minutes (the message was lost)
    assert editions_requeue_lost() == 0  # the message just sent has its two minutes
    # A worker claims it, then dies mid-way: it stops renewing its lease.
    ReportEdition.objects.filter(pk=edition.pk).update(status="rendering", attempts=1, lease_until=at(2, 31))
    time_machine.move_to(at(2, 30), tick=False)
    assert editions_requeue_lost() == 0  # the lease still runs
    time_machine.move_to(at(2, 32), tick=False)
    assert editions_requeue_lost() == 1
    assert editions_requeue_lost() == 0  # a second sweep at the same moment moves nothing
    edition.refresh_from_db()
    assert (edition.status, edition.attempts) == ("queued", 1)
    assert AuditEvent.objects.filter(verb="reporting.edition_requeued").count() == 1
    assert edition_render(edition_id=edition.pk)  # the second attempt
    edition.refresh_from_db()
    assert (edition.status, edition.attempts, edition.lease_until) == ("done", 2, None)
    assert edition_render(edition_id=edition.pk) is False  # the first message, redelivered late


def test_a_worker_whose_lease_was_taken_back_stores_nothing(report, oct_officer, time_machine, settings):
    """A worker that stalled past its lease (not dead: frozen, or cut off from the database)
    must not store its file once the edition was queued again and rendered by another."""
    from reporting.compiled.editions import _claim, _store
    from reporting.lib.pdf import RenderedPdf

    settings.EDITION_LEASE_SECONDS = 30
    time_machine.move_to(at(0), tick=False)
    edition = edition_request(report=report, actor=oct_officer)
    stalled = _claim(edition.pk)
    time_machine.move_to(at(1), tick=False)
    assert editions_requeue_lost() == 1
    assert edition_render(edition_id=edition.pk)
    assert _store(edition, stalled, RenderedPdf(b"%PDF-1.7 stale", 1), b"PK stale", "unclassified") is False
    edition.refresh_from_db()
    assert (edition.attempts, edition.pages >= 3) == (2, True)
    assert AuditEvent.objects.filter(verb="reporting.edition_generated").count() == 1


def test_an_edition_that_kills_its_worker_every_time_fails_after_three_attempts(
    report, oct_officer, time_machine, settings
):
    from reporting.compiled.editions import MAX_ATTEMPTS, _claim

    settings.EDITION_LEASE_SECONDS = 30
    time_machine.move_to(at(0), tick=False)
    edition = edition_request(report=report, actor=oct_officer)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert _claim(edition.pk) == attempt  # a worker takes it, and dies
        time_machine.shift(datetime.timedelta(minutes=1))
        editions_requeue_lost()
    edition.refresh_from_db()
    assert (edition.status, edition.attempts) == ("failed", 3)
    assert edition.error.startswith("Failed after 3 attempts")
    assert editions_requeue_lost() == 0 and edition_render(edition_id=edition.pk) is False
    failed = AuditEvent.objects.get(verb="reporting.edition_failed")
    assert failed.after == {"edition": 1, "attempts": 3}
    assert AuditEvent.objects.filter(verb="reporting.edition_requeued").count() == 2
    # OCT may ask for a new edition: the failed one no longer holds the queue.
    assert edition_request(report=report, actor=oct_officer).number == 2


def test_a_final_edition_freezes_the_report(report, roster, chair, oct_officer, committee_member):
    accept(wg7(report.period, roster), chair, oct_officer)
    first = generate(report, oct_officer)
    second = generate(report, oct_officer)
    assert not can_read_edition(committee_member, second)  # a draft edition is OCT's
    with pytest.raises(ValidationError, match="latest"):
        edition_mark_final(edition=first, actor=oct_officer)
    edition_mark_final(edition=second, actor=oct_officer)
    report.refresh_from_db()
    second.refresh_from_db()
    assert report.state == "final" and second.is_final
    assert can_read_edition(committee_member, second)
    with pytest.raises(ValidationError, match="no longer change"):
        report_text_save(
            report=report,
            actor=oct_officer,
            base_revision=report.revision,
            fields={},
            text_classification="unclassified",
        )
    with pytest.raises(ValidationError, match="no longer change"):
        edition_request(report=report, actor=oct_officer)
    with pytest.raises(ValidationError):
        edition_mark_final(edition=second, actor=oct_officer)
    assert ReportEdition.objects.filter(is_final=True).count() == 1


# --- The annual report ------------------------------------------------------------------------------


@pytest.fixture
def annual(oct_officer, time_machine) -> AnnualReport:
    time_machine.move_to(datetime.datetime(2027, 2, 10, 15, tzinfo=datetime.UTC), tick=False)
    return annual_report_start(year=2026, actor=oct_officer)


@pytest.mark.long
def test_the_annual_report_is_drafted_by_oct_and_approved_by_the_usg(
    annual, roster, oct_officer, usg, report_period, chair
):
    accept(wg7(report_period, roster), chair, oct_officer, summary="Regional workshops held in 2026.")
    calendar_only()  # the year's only round is the mid-year one, closed
    period_close(period=report_period, actor=None)
    with pytest.raises(ValidationError, match="Generate an edition"):
        annual_report_act(report=annual, action="submit", actor=oct_officer)
    edition = generate(annual, oct_officer)
    assert "Regional workshops held in 2026." in text(edition)
    annual_report_act(report=annual, action="submit", actor=oct_officer)
    with pytest.raises(ValidationError, match="no longer change"):
        report_text_save(
            report=annual,
            actor=oct_officer,
            base_revision=annual.revision,
            fields={},
            text_classification="unclassified",
        )
    with pytest.raises(ValidationError):
        annual_report_act(report=annual, action="return", actor=usg)  # a comment is required
    annual_report_act(report=annual, action="return", actor=usg, comment="Add the matrix figures.")
    annual.refresh_from_db()
    saved = report_text_save(
        report=annual,
        actor=oct_officer,
        base_revision=annual.revision,
        fields={"observations": "Matrix: see annex."},
        text_classification="unclassified",
    )
    with pytest.raises(ValidationError, match="Generate an edition"):
        annual_report_act(report=saved, action="submit", actor=oct_officer)  # the text changed since
    submitted = generate(saved, oct_officer)
    annual_report_act(report=saved, action="submit", actor=oct_officer)
    annual_report_act(report=saved, action="approve", actor=usg)
    saved.refresh_from_db()
    submitted.refresh_from_db()
    assert (saved.state, saved.approved_by, submitted.is_final) == ("final", usg, False)
    # The final edition is generated after the approval; the one submitted stays as it was.
    final = ReportEdition.objects.get(annual_report=saved, number=submitted.number + 1)
    assert (final.status, final.requested_by) == ("queued", usg)
    assert edition_render(edition_id=final.pk)
    final.refresh_from_db()
    assert final.is_final and "Approved on" in text(final) and "Approved on" not in text(submitted)
    assert not ReportEdition.objects.filter(annual_report=saved, is_final=True).exclude(pk=final.pk).exists()
    assert can_read_edition(usg, final)


def test_an_annual_report_for_a_year_to_come_is_refused(oct_officer, time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 10, 15, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(ValidationError):
        annual_report_start(year=2028, actor=oct_officer)


PARTIES = {"oct": "oct_officer", "usg": "usg"}


@pytest.mark.parametrize(
    "state, action", list(itertools.product(AnnualReport.State.values, ANNUAL_TRANSITIONS.actions()))
)
def test_every_annual_move_from_every_state(request, annual, oct_officer, usg, state, action):
    year_closed(2026)
    generate(annual, oct_officer)
    approval = {"approved_by": usg, "approved_at": annual.created_at} if state == AnnualReport.State.FINAL else {}
    AnnualReport.objects.filter(pk=annual.pk).update(state=state, updated_at=None, **approval)
    annual.refresh_from_db()
    transition = ANNUAL_TRANSITIONS.get(action)
    actor = request.getfixturevalue(PARTIES[transition.by])
    other = request.getfixturevalue(PARTIES["usg" if transition.by == "oct" else "oct"])
    with pytest.raises(PermissionDenied):
        annual_report_act(report=annual, action=action, actor=other, comment="c")
    if state in transition.sources:
        annual_report_act(report=annual, action=action, actor=actor, comment="c")
        annual.refresh_from_db()
        assert annual.state == transition.target
    else:
        with pytest.raises(TransitionNotAllowedError):
            annual_report_act(report=annual, action=action, actor=actor, comment="c")
        assert AnnualReport.objects.get(pk=annual.pk).state == state


def test_the_database_refuses_to_change_or_delete_a_final_edition(report, roster, chair, oct_officer):
    from django.db import DatabaseError, connection, transaction

    from tests.conftest import require_or_skip

    if connection.vendor != "postgresql":
        require_or_skip("the trigger that freezes final editions is PostgreSQL's")
    accept(wg7(report.period, roster), chair, oct_officer)
    edition = edition_mark_final(edition=generate(report, oct_officer), actor=oct_officer)
    for attempt in (
        lambda: ReportEdition.objects.filter(pk=edition.pk).update(sha256="0" * 64),
        lambda: ReportEdition.objects.filter(pk=edition.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    edition.refresh_from_db()
    assert edition.is_final and edition.sha256 != "0" * 64
