"""OCT's compiled documents: the consolidated progress report of a round and the USG's annual
report, their text, and their PDF editions; and a Committee meeting's briefing pack (its
agenda with the linked briefings), generated the same way.

OCT's text is saved on the report with optimistic locking, apart from the groups' inputs, so
a new edition after a late input is accepted keeps it. An edition is requested in a web
request and rendered by a worker (``edition_render``), never in the request: the page polls
its progress. A consolidated report becomes final when OCT marks one edition final; the
annual report when the USG approves it (``ANNUAL_TRANSITIONS``). Final editions and final
reports never change.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.core.audit import audit_changes, audit_record
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.publish import task_publish
from compact.lib.text import validate_free_text
from compact.lib.workflow import StaleStateError, Transition, TransitionTable
from config.celery import app
from reporting.committee.briefing_pack import briefing_pack_classification, briefing_pack_contents
from reporting.committee.permissions import can_manage_meetings
from reporting.compiled.contents import annual_contents, consolidated_contents
from reporting.compiled.selectors import YearRound, year_rounds
from reporting.lib.pdf import pdf_render
from reporting.models import AnnualReport, ConsolidatedReport, Meeting, ReportEdition, ReportingPeriod
from reporting.submissions.permissions import can_approve_annual_report, can_compile_reports

logger = logging.getLogger(__name__)

CompiledReport = ConsolidatedReport | AnnualReport
# What an edition can be of: a compiled report or a meeting (its briefing pack).
Document = ConsolidatedReport | AnnualReport | Meeting
TEMPLATES = {ConsolidatedReport: "consolidated", AnnualReport: "annual", Meeting: "briefing_pack"}
TEXT_FIELDS = ("symbol", "executive_summary", "observations")
Edition = ReportEdition.Status
# A queued edition no worker took in this time (its message was lost, or never sent) is
# published again by the sweep. Rendering holds a lease instead: EDITION_LEASE_SECONDS,
# renewed every third of it, so a worker that dies is noticed within the lease and the sweep.
QUEUED_LOST_AFTER = datetime.timedelta(minutes=2)
# An edition whose worker died this many times is not tried again: a PDF that kills its
# worker (memory, a time limit) must not loop for ever.
MAX_ATTEMPTS = 3
# Queued by name, so that the services do not import the tasks that call them.
EDITION_RENDER_TASK = "reporting.tasks.edition_render"


class ReportTextConflictError(Exception):
    """OCT's text was saved by someone else since the editor loaded it."""

    def __init__(self, current: CompiledReport) -> None:
        super().__init__(_("This text was changed by someone else while you were editing it."))
        self.current = current


def _require_compiler(actor: AbstractBaseUser) -> None:
    if not can_compile_reports(actor):
        raise PermissionDenied(_("Only the OCT secretariat compiles these reports."))


def _locked(report: CompiledReport) -> CompiledReport:
    return type(report).objects.select_for_update().get(pk=report.pk)


def _editable(report: CompiledReport) -> None:
    if report.state != type(report).State.IN_PREPARATION:
        raise ValidationError(
            _("This report is “%(state)s”: its text can no longer change.") % {"state": report.get_state_display()}
        )


# --- Starting a report ----------------------------------------------------------------------------


@transaction.atomic
def consolidated_report_start(*, period: ReportingPeriod, actor: AbstractBaseUser | None) -> ConsolidatedReport:
    """The round's consolidated report, started if there is none (OCT, or the scheduler with
    ``actor=None`` once the round's inputs are due)."""
    if actor is not None:
        _require_compiler(actor)
    report, created = ConsolidatedReport.objects.get_or_create(period=period)
    if created:
        audit_record(actor=actor, verb="reporting.consolidated_started", obj=report, after={"period": period.pk})
    return report


@transaction.atomic
def annual_report_start(*, year: int, actor: AbstractBaseUser | None) -> AnnualReport:
    if actor is not None:
        _require_compiler(actor)
        # By hand, a year that has begun; the scheduler starts the year whose end-of-year round fell due.
        if not 2018 <= year <= timezone.localdate().year:
            raise ValidationError({"year": _("Choose a year from 2018, when the Compact was signed, to this one.")})
    report, created = AnnualReport.objects.get_or_create(year=year)
    if created:
        audit_record(actor=actor, verb="reporting.annual_started", obj=report, after={"year": year})
    return report


# --- OCT's text -----------------------------------------------------------------------------------


@transaction.atomic
def report_text_save(
    *,
    report: CompiledReport,
    actor: AbstractBaseUser,
    base_revision: int,
    fields: dict[str, str],
    text_classification: str,
) -> CompiledReport:
    """Save OCT's own text (symbol, executive summary, observations). ``base_revision`` is the
    revision the editor loaded: if someone saved since, ReportTextConflictError carries the
    current text and nothing is written."""
    _require_compiler(actor)
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if text_classification not in Classification.values:
        raise ValidationError({"text_classification": _("Choose a classification.")})
    if not can_read_classification(actor, text_classification):
        raise ValidationError({"text_classification": _("You cannot mark a text above your own clearance.")})
    report = _locked(report)
    if not can_read_classification(actor, report.text_classification):
        raise PermissionDenied(_("This text is marked above your clearance."))
    _editable(report)
    if report.revision != base_revision:
        raise ReportTextConflictError(report)
    changes = {name: value.strip() for name, value in fields.items()}
    if len(changes.get("symbol", "")) > 64:
        raise ValidationError({"symbol": _("A document symbol has at most 64 characters.")})
    before = {name: getattr(report, name) for name in [*changes, "text_classification"]}
    type(report).objects.filter(pk=report.pk).update(
        **changes,
        text_classification=text_classification,
        revision=F("revision") + 1,
        updated_at=timezone.now(),
        updated_by=actor,
    )
    report.refresh_from_db()
    after = {name: getattr(report, name) for name in before}
    audit_changes(actor=actor, verb="reporting.report_text_saved", obj=report, before=before, after=after)
    return report


# --- Editions -----------------------------------------------------------------------------------


def contents_of(report: Document, *, today: datetime.date | None = None) -> Any:
    today = today or timezone.localdate()
    if isinstance(report, Meeting):
        return briefing_pack_contents(report, today=today)
    if isinstance(report, ConsolidatedReport):
        return consolidated_contents(report, today=today)
    return annual_contents(report, today=today)


def _report_field(report: Document) -> dict[str, Document]:
    if isinstance(report, Meeting):
        return {"meeting": report}
    return {"consolidated_report": report} if isinstance(report, ConsolidatedReport) else {"annual_report": report}


@transaction.atomic
def edition_request(*, report: Document, actor: AbstractBaseUser) -> ReportEdition:
    """Ask a worker to generate a new edition from the inputs as they are now and OCT's text
    (for a meeting: its briefing pack from the agenda as it is now). Refused if the report is
    final or the meeting's record closed, or if it would include inputs above the actor's
    clearance (they could not read the PDF they made). An approved annual report whose final
    edition failed may be asked for it again."""
    if isinstance(report, Meeting):
        report = _pack_meeting_checked(report, actor)
    else:
        _require_compiler(actor)
        report = _locked(report)
        if not final_edition_owed(report):
            _editable(report)
    level = briefing_pack_classification(report) if isinstance(report, Meeting) else contents_of(report).classification
    if not can_read_classification(actor, level):
        raise PermissionDenied(_("This report includes inputs above your clearance."))
    return _edition_queue(report, actor)


def _edition_queue(report: Document, actor: AbstractBaseUser) -> ReportEdition:
    """A new edition, queued for a worker after the commit (one at a time per document)."""
    editions = ReportEdition.objects.filter(**_report_field(report))
    if editions.filter(status__in=(Edition.QUEUED, Edition.RENDERING)).exists():
        raise ValidationError(_("An edition is being generated already; wait for it to finish."))
    number = (editions.aggregate(n=Max("number"))["n"] or 0) + 1
    edition = ReportEdition.objects.create(
        **_report_field(report),
        number=number,
        requested_by=actor,
        text_revision=getattr(report, "revision", 0),
        stage=_("Waiting for a worker"),
        lease_until=timezone.now() + QUEUED_LOST_AFTER,
    )
    audit_record(actor=actor, verb="reporting.edition_requested", obj=report, after={"edition": number})
    transaction.on_commit(lambda: _enqueue_render(edition.pk))
    return edition


def final_edition_owed(report: Document) -> bool:
    """An approved annual report without its final edition (being generated, or failed)."""
    return (
        isinstance(report, AnnualReport)
        and report.state == AnnualReport.State.FINAL
        and not report.editions.filter(is_final=True).exists()
    )


def _pack_meeting_checked(meeting: Meeting, actor: AbstractBaseUser) -> Meeting:
    """OCT prepares the briefing pack of a meeting whose record is open and whose agenda has
    something on it."""
    if not can_manage_meetings(actor):
        raise PermissionDenied(_("Only the OCT secretariat prepares the Committee's briefing packs."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == Meeting.State.MINUTES_APPROVED:
        raise ValidationError(_("The minutes of this meeting are approved: its record is closed."))
    if not meeting.agenda.exists():
        raise ValidationError(_("The agenda is empty: add its items before generating the briefing pack."))
    return meeting


def _enqueue_render(edition_id: int) -> None:
    """Hand the edition to a worker; a broker that is down must not fail the request nor hold
    it. What was not handed over is marked for the next minute's sweep at once."""
    handed = task_publish(
        app.signature(EDITION_RENDER_TASK), edition_id, what=f"edition {edition_id}", fallback="the next sweep will"
    )
    if not handed:
        ReportEdition.objects.filter(pk=edition_id, status=Edition.QUEUED).update(lease_until=timezone.now())


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.EDITION_LEASE_SECONDS)


def _held(edition_id: int, attempt: int) -> Any:
    """The edition, if this renderer's claim (its attempt number) still holds it."""
    return ReportEdition.objects.filter(pk=edition_id, status=Edition.RENDERING, attempts=attempt)


def _progress(edition_id: int, attempt: int, percent: int, stage: str) -> None:
    # Outside any transaction, so the page polling the edition sees it move.
    _held(edition_id, attempt).update(progress=percent, stage=stage, lease_until=timezone.now() + _lease())


@transaction.atomic
def _claim(edition_id: int) -> int | None:
    """Queued → rendering, once: a task delivered twice, or again after the sweep queued the
    edition anew, renders it once. Returns the attempt number, which every later write by this
    renderer is conditioned on (a renderer whose lease lapsed can no longer store anything)."""
    edition = ReportEdition.objects.select_for_update().filter(pk=edition_id, status=Edition.QUEUED).first()
    if edition is None:
        return None
    now = timezone.now()
    attempt = edition.attempts + 1
    ReportEdition.objects.filter(pk=edition_id).update(
        status=Edition.RENDERING,
        attempts=attempt,
        lease_until=now + _lease(),
        started_at=now,
        progress=5,
        stage=_("Gathering the inputs"),
        error="",
    )
    return attempt


def _lease_renewer(edition_id: int, attempt: int, stop: threading.Event) -> None:
    # A thread of its own, because WeasyPrint lays out a long document in one call.
    interval = settings.EDITION_LEASE_SECONDS / 3
    try:
        while not stop.wait(interval):
            if not _held(edition_id, attempt).update(lease_until=timezone.now() + _lease()):
                return  # the claim was taken back (the lease lapsed): storing will be refused
    finally:
        connections.close_all()  # this thread's own connection


@contextlib.contextmanager
def _lease_kept(edition_id: int, attempt: int) -> Iterator[None]:
    """Renew the lease while the body runs. Inside a caller's transaction (tests that render
    in-process) another connection would wait on the row the transaction locked, so the lease
    is left as the claim set it."""
    if transaction.get_connection().in_atomic_block:
        yield
        return
    stop = threading.Event()
    renewer = threading.Thread(
        target=_lease_renewer, args=(edition_id, attempt, stop), name=f"edition-{edition_id}-lease", daemon=True
    )
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()


def edition_render(*, edition_id: int) -> bool:
    """Render one requested edition (in a worker). Returns whether it was rendered here.
    A failure is recorded on the edition (shown to OCT) and logged, not swallowed."""
    attempt = _claim(edition_id)
    if attempt is None:
        return False
    edition = ReportEdition.objects.select_related("consolidated_report__period", "annual_report", "meeting").get(
        pk=edition_id
    )
    try:
        with _lease_kept(edition_id, attempt), translation.override(settings.LANGUAGE_CODE):
            rendered, level = _render(edition, attempt)
        return _store(edition, attempt, rendered.content, rendered.pages, level)
    except Exception as error:
        logger.exception("Generating edition %s of %s failed.", edition.number, edition.report)
        _held(edition.pk, attempt).update(
            status=Edition.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            lease_until=None,
        )
        return False


def _render(edition: ReportEdition, attempt: int) -> tuple[Any, str]:
    report = edition.report
    contents = contents_of(report)
    _progress(edition.pk, attempt, 30, _("Laying out the pages"))
    template = TEMPLATES[type(report)]
    context = {
        "contents": contents,
        "report": report,
        "edition": edition,
        "generated_at": timezone.now(),
        "classification": contents.classification,
        "classification_label": str(Classification(contents.classification).label).upper(),
    }
    html = render_to_string(f"reporting/pdf/{template}.html", context)
    css = render_to_string("reporting/pdf/print.css", context)
    rendered = pdf_render(html, stylesheets=[css])
    _progress(edition.pk, attempt, 90, _("Saving the file"))
    return rendered, contents.classification


@transaction.atomic
def _store(edition: ReportEdition, attempt: int, content: bytes, pages: int, level: str) -> bool:
    """Keep the file and its facts if this renderer's claim still holds; else throw it away
    (the sweep queued the edition again: the next renderer's file is the one kept)."""
    if _held(edition.pk, attempt).select_for_update().values_list("pk", flat=True).first() is None:
        logger.warning(
            "Edition %s of %s was taken back from this worker; its file is dropped.", edition.number, edition.report
        )
        return False
    edition.file.save(f"edition-{edition.number}.pdf", ContentFile(content), save=False)
    try:
        _held(edition.pk, attempt).update(
            file=edition.file.name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            pages=pages,
            classification=level,
            status=Edition.DONE,
            progress=100,
            stage=_("Ready"),
            finished_at=timezone.now(),
            lease_until=None,
            # An approved annual report's edition is its final one: it says so on its cover.
            is_final=final_edition_owed(edition.report),
        )
        audit_record(
            actor=edition.requested_by,
            verb="reporting.edition_generated",
            obj=edition.report,
            after={"edition": edition.number, "pages": pages, "classification": level, "attempt": attempt},
        )
    except BaseException:
        edition.file.storage.delete(edition.file.name)
        raise
    return True


def editions_requeue_lost(*, now: datetime.datetime | None = None) -> int:
    """Sweep: publish again the editions no worker took (the broker was down, the message was
    lost) and queue again those whose worker died (its lease ran out), each with a
    compare-and-swap, so that two sweeps at once move each edition once. One that lost its
    worker ``MAX_ATTEMPTS`` times fails instead. Returns how many were handed to the broker."""
    now = now or timezone.now()
    lapsed = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    lost = ReportEdition.objects.filter(lapsed, status__in=(Edition.QUEUED, Edition.RENDERING))
    count = 0
    for pk, status, attempts in lost.values_list("pk", "status", "attempts"):
        if _requeue_one(pk, status, attempts, now):
            _enqueue_render(pk)
            count += 1
    return count


@transaction.atomic
def _requeue_one(pk: int, status: str, attempts: int, now: datetime.datetime) -> bool:
    """One lost edition back to the queue (True), or failed for good (False); False too if
    someone moved it since the sweep looked."""
    lapsed = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    seen = ReportEdition.objects.filter(lapsed, pk=pk, status=status, attempts=attempts)
    if status == Edition.QUEUED:
        return bool(seen.update(lease_until=now + QUEUED_LOST_AFTER))
    edition = (
        seen.select_for_update(of=("self",)).select_related("annual_report", "consolidated_report", "meeting").first()
    )
    if edition is None:
        return False
    if attempts >= MAX_ATTEMPTS:
        _fail_for_good(edition, now)
        return False
    seen.update(status=Edition.QUEUED, lease_until=now + QUEUED_LOST_AFTER, progress=0, stage=_("Waiting for a worker"))
    audit_record(
        actor=None,
        verb="reporting.edition_requeued",
        obj=edition.report,
        after={"edition": edition.number, "attempts": attempts, "reason": "lease-expired"},
    )
    return True


def _fail_for_good(edition: ReportEdition, now: datetime.datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        error = _(
            "Failed after %(attempts)d attempts: the worker generating it stopped each time (for instance, "
            "stopped for lack of memory or time). Generate it again once the cause is known."
        ) % {"attempts": edition.attempts}
    ReportEdition.objects.filter(pk=edition.pk).update(
        status=Edition.FAILED, error=error, finished_at=now, lease_until=None
    )
    audit_record(
        actor=None,
        verb="reporting.edition_failed",
        obj=edition.report,
        after={"edition": edition.number, "attempts": edition.attempts},
        note=error,
    )


@transaction.atomic
def edition_mark_final(*, edition: ReportEdition, actor: AbstractBaseUser) -> ReportEdition:
    """OCT marks one edition of a consolidated report final: it and the report are frozen.
    (The annual report becomes final when the USG approves it.)"""
    _require_compiler(actor)
    if edition.meeting_id is not None:
        raise ValidationError(_("A briefing pack is a working paper for its meeting: it is never made final."))
    if edition.consolidated_report_id is None:
        raise ValidationError(_("The annual report becomes final when the USG approves it."))
    report = _locked(edition.consolidated_report)
    _editable(report)
    if edition.status != Edition.DONE:
        raise ValidationError(_("Only a generated edition can be made final."))
    latest = report.editions.filter(status=Edition.DONE).order_by("-number").first()
    if latest is None or latest.pk != edition.pk:
        raise ValidationError(_("Only the latest edition can be made final: it has everything accepted so far."))
    ReportEdition.objects.filter(pk=edition.pk).update(is_final=True)
    ConsolidatedReport.objects.filter(pk=report.pk).update(state=ConsolidatedReport.State.FINAL)
    audit_record(
        actor=actor,
        verb="reporting.edition_final",
        obj=report,
        before={"state": report.state},
        after={"state": ConsolidatedReport.State.FINAL, "edition": edition.number, "sha256": edition.sha256},
    )
    edition.refresh_from_db()
    return edition


# --- The annual report's approval ---------------------------------------------------------------

AR = AnnualReport.State
OCT, USG = "oct", "usg"

ANNUAL_TRANSITIONS = TransitionTable(
    [
        Transition(
            "submit",
            frozenset({AR.IN_PREPARATION}),
            AR.AWAITING_APPROVAL,
            by=OCT,
            label=gettext_lazy("Submit to the USG for approval"),
        ),
        # Four eyes: whoever submitted the report (someone may hold both roles) does not decide on it.
        Transition(
            "return",
            frozenset({AR.AWAITING_APPROVAL}),
            AR.IN_PREPARATION,
            by=USG,
            label=gettext_lazy("Return to OCT"),
            message="required",
            message_shared=True,
            four_eyes=True,
        ),
        Transition(
            "approve",
            frozenset({AR.AWAITING_APPROVAL}),
            AR.FINAL,
            by=USG,
            label=gettext_lazy("Approve"),
            four_eyes=True,
        ),
    ]
)
# Submitting and approving wait for the year's reporting rounds to close (or OCT's reason).
NEEDS_CLOSED_ROUNDS = frozenset({"submit", "approve"})
EARLY_REASON_MAX = 2000


def _latest_edition(report: AnnualReport) -> ReportEdition | None:
    return report.editions.filter(status=Edition.DONE).order_by("-number").first()


def _rounds_check(report: AnnualReport) -> None:
    """The report goes to the USG and is approved once the year's rounds are closed, or earlier
    if OCT recorded why it goes ahead before they are."""
    rounds = year_rounds(report.year)
    if report.early_reason or rounds.all_closed:
        return
    waiting = ", ".join(f"{one.label} ({_round_state(one)})" for one in rounds.outstanding)
    raise ValidationError(
        _(
            "The reporting rounds of %(year)s are not all closed yet: %(rounds)s. The annual report is "
            "approved once they are, or earlier if OCT records why it should go ahead now."
        )
        % {"year": report.year, "rounds": waiting}
    )


def _round_state(one: YearRound) -> str:
    if one.period is None:
        return _("not opened yet")
    return str(one.period.get_state_display()).lower()


@transaction.atomic
def annual_report_early_reason_record(*, report: AnnualReport, actor: AbstractBaseUser, reason: str) -> AnnualReport:
    """OCT records why the year's annual report should go ahead before the year's reporting
    rounds are closed (or replaces its reason), while the report is in preparation: the USG
    may then approve it, and its final edition prints the reason on the cover. Audited."""
    _require_compiler(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report should go ahead before the year's rounds close.")})
    if len(reason) > EARLY_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason to %(max)d characters.") % {"max": EARLY_REASON_MAX}})
    try:
        validate_free_text(reason)  # printed on the cover: nothing that reorders what follows it
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from error
    report = _locked(report)
    if not can_read_classification(actor, report.text_classification):
        raise PermissionDenied(_("This report's text is marked above your clearance."))
    if report.state != AR.IN_PREPARATION:
        raise ValidationError(_("Only a report in preparation can be given a reason: return it to OCT first."))
    rounds = year_rounds(report.year)
    if rounds.all_closed:
        raise ValidationError(
            _("Every reporting round of %(year)s is closed: no reason is needed.") % {"year": report.year}
        )
    before = {"early_reason": report.early_reason}
    AnnualReport.objects.filter(pk=report.pk).update(
        early_reason=reason, early_recorded_by=actor, early_recorded_at=timezone.now()
    )
    report.refresh_from_db()
    audit_record(
        actor=actor,
        verb="reporting.annual_early_reason",
        obj=report,
        before=before,
        after={"early_reason": reason, "rounds_open": [one.label for one in rounds.outstanding]},
    )
    return report


@transaction.atomic
def annual_report_act(*, report: AnnualReport, action: str, actor: AbstractBaseUser, comment: str = "") -> AnnualReport:
    """OCT submits the latest edition to the USG; the USG — not the person who submitted it —
    returns it (with a comment) or approves it. Submitting and approving need the year's
    rounds closed or OCT's recorded reason. Approval makes the report final and queues its
    final edition, rendered after approval with who approved it and when on the cover; the
    edition that was submitted stays as it was."""
    transition = ANNUAL_TRANSITIONS.get(action)
    if transition.by == OCT:
        _require_compiler(actor)
    elif not can_approve_annual_report(actor):
        raise PermissionDenied(_("Only the Under-Secretary-General approves the annual report."))
    report = _locked(report)
    transition = ANNUAL_TRANSITIONS.find(action, report.state, by=transition.by)
    ANNUAL_TRANSITIONS.separation_check(transition, actor=actor, proposer=report.submitted_by_id)
    comment = comment.strip()
    if transition.message == "required" and not comment:
        raise ValidationError({"comment": _("Write a comment for this step.")})
    if action in NEEDS_CLOSED_ROUNDS:
        _rounds_check(report)
    edition = _latest_edition(report)
    changes = _act_changes(report, action, actor, edition)
    moved = AnnualReport.objects.filter(pk=report.pk, state=report.state).update(state=transition.target, **changes)
    if not moved:
        raise StaleStateError(_("This report was changed by someone else meanwhile; reload it."))
    before = report.state
    report.refresh_from_db()
    after: dict[str, Any] = {"state": report.state, **({"edition": edition.number} if edition else {})}
    if action == "approve":
        after["final_edition"] = _edition_queue(report, actor).number
    audit_record(
        actor=actor, verb=f"reporting.annual_{action}", obj=report, before={"state": before}, after=after, note=comment
    )
    return report


def _act_changes(
    report: AnnualReport, action: str, actor: AbstractBaseUser, edition: ReportEdition | None
) -> dict[str, Any]:
    """What a step records besides the state: who submitted (four eyes), who approved."""
    if action == "submit":
        if edition is None or edition.text_revision != report.revision:
            raise ValidationError(_("Generate an edition with the current text first: that is what the USG approves."))
        if report.editions.filter(status__in=(Edition.QUEUED, Edition.RENDERING)).exists():
            # It would become the latest edition once done: the USG must read what was submitted.
            raise ValidationError(_("An edition is still being laid out: submit once it is ready."))
        return {"submitted_by": actor, "submitted_at": timezone.now()}
    if action == "approve":
        if edition is None or not can_read_classification(actor, edition.classification):
            raise PermissionDenied(_("Your clearance does not reach this report."))
        return {"approved_by": actor, "approved_at": timezone.now()}
    return {}
