"""The PDF editions of compiled reports and briefing packs: queued on commit, rendered by a
worker under a lease (a dead worker's edition is requeued, at most three attempts), made final."""

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
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from compact.core.audit import audit_record
from compact.core.categories import EmailCategory
from compact.core.models import Classification
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.languages import supported_language
from compact.lib.publish import task_publish
from config.celery import app
from reporting.committee.briefing_pack import briefing_pack_classification, briefing_pack_contents
from reporting.committee.models import Meeting
from reporting.committee.permissions import can_manage_meetings
from reporting.compiled.contents import annual_contents, consolidated_contents
from reporting.compiled.models import AnnualReport, ConsolidatedReport, ReportEdition
from reporting.compiled.services import _editable, _locked, _require_compiler
from reporting.compiled.workflow import CONSOLIDATED_TRANSITIONS, EDITION_TRANSITIONS, OCT, SWEEP, WORKER
from reporting.lib.pdf import RenderedPdf, pdf_render
from reporting.lib.word import WordFrame, word_from_html
from workinggroups.composition import committee_on

logger = logging.getLogger(__name__)


# What an edition can be of: a compiled report or a meeting (its briefing pack).
Document = ConsolidatedReport | AnnualReport | Meeting


TEMPLATES = {ConsolidatedReport: "consolidated", AnnualReport: "annual", Meeting: "briefing_pack"}


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
def edition_request(*, report: Document, actor: AbstractBaseUser, language: str | None = None) -> ReportEdition:
    """Ask a worker to generate a new edition from the inputs as they are now and OCT's text
    (for a meeting: its briefing pack from the agenda as it is now). Refused if the report is
    final or the meeting's record closed, or if it would include inputs above the actor's
    clearance (they could not read the PDF they made). An approved annual report whose final
    edition failed may be asked for it again. ``language`` is the language of the edition's
    fixed text (cover, headings, markings, page numbers; the site's when not given); what
    people wrote stays as they wrote it."""
    edition_language = supported_language(language) if language else settings.LANGUAGE_CODE
    if edition_language is None:
        raise ValidationError({"language": _("Choose one of the six official languages of the United Nations.")})
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
    return _edition_queue(report, actor, edition_language)


def _edition_queue(report: Document, actor: AbstractBaseUser, language: str) -> ReportEdition:
    """A new edition, queued for a worker after the commit (one at a time per document)."""
    editions = ReportEdition.objects.filter(**_report_field(report))
    if editions.filter(status__in=(Edition.QUEUED, Edition.RENDERING)).exists():
        raise ValidationError(_("An edition is being generated already; wait for it to finish."))
    number = (editions.aggregate(n=Max("number"))["n"] or 0) + 1
    edition = ReportEdition.objects.create(
        **_report_field(report),
        number=number,
        language=language,
        requested_by=actor,
        text_revision=getattr(report, "revision", 0),
        stage=gettext_noop("Waiting for a worker"),
        lease_until=timezone.now() + QUEUED_LOST_AFTER,
    )
    audit_record(
        actor=actor, verb="reporting.edition_requested", obj=report, after={"edition": number, "language": language}
    )
    transaction.on_commit(lambda: _enqueue_render(edition.pk))
    return edition


def _pack_ready_notify(edition: ReportEdition, *, pages: int, level: str) -> None:
    """The Committee's members are told their meeting's briefing pack is out, each in their
    language, if their clearance reaches its marking (they could not download it otherwise)."""
    meeting = edition.meeting
    people = [seat.person for seat in committee_on(meeting.date).seats if seat.person is not None]
    recipients = [p.email for p in people if p.is_active and p.email and can_read_classification(p, level)]
    edition.pages = pages
    email_queue(
        occasion=f"briefing-pack:{edition.pk}",
        recipients=recipients,
        template="briefing-pack-ready",
        category=EmailCategory.MEETINGS,
        context={
            "meeting": meeting,
            "edition": edition,
            "url": absolute_url(reverse("committee-meeting", args=[meeting.pk]) + "#briefing-pack"),
        },
        classification=level,
    )


def final_edition_queue(report: AnnualReport, actor: AbstractBaseUser) -> ReportEdition:
    """The approved annual report's final edition, in the language of the edition the USG
    approved (the one OCT chose), English if there was none."""
    latest = report.editions.order_by("-number").values_list("language", flat=True).first()
    return _edition_queue(report, actor, latest or settings.LANGUAGE_CODE)


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
    # Outside any transaction, so the page polling the edition sees it move. ``stage`` is an
    # untranslated message, translated for whoever reads it (the edition may be in Arabic and
    # the officer following it read French).
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
    Move.start(table=EDITION_TRANSITIONS, obj=edition, action="claim", by=WORKER).swap(
        stale=_("This edition was taken by another worker."),
        attempts=attempt,
        lease_until=now + _lease(),
        started_at=now,
        progress=5,
        stage=gettext_noop("Gathering the inputs"),
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
        with _lease_kept(edition_id, attempt), translation.override(edition.language):
            rendered, word, level = _render(edition, attempt)
        return _store(edition, attempt, rendered, word, level)
    except Exception as error:
        logger.exception("Generating edition %s of %s failed.", edition.number, edition.report)
        # Recorded only while this worker's claim holds: a worker whose lease lapsed records nothing.
        Move.start(table=EDITION_TRANSITIONS, obj=edition, action="fail", by=WORKER).try_swap(
            condition=Q(attempts=attempt),
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            lease_until=None,
        )
        return False


def edition_layout(edition: ReportEdition, contents: Any) -> tuple[str, str]:
    """The HTML and the print CSS of ``edition`` from ``contents``, in the active language
    (the worker activates the edition's): right to left when that language is."""
    context = {
        "contents": contents,
        "report": edition.report,
        "edition": edition,
        "generated_at": timezone.now(),
        "classification": contents.classification,
        "classification_label": str(Classification(contents.classification).label).upper(),
        "LANGUAGE_BIDI": translation.get_language_bidi(),
        # The Compact's reports are written in English: every edition says so on its cover.
        "original_language": settings.LANGUAGE_CODE,
    }
    html = render_to_string(f"reporting/pdf/{TEMPLATES[type(edition.report)]}.html", context)
    return html, render_to_string("reporting/pdf/print.css", context)


def edition_word_frame(edition: ReportEdition, level: str) -> WordFrame:
    """What every page of an edition's Word file says around its text, in the active language."""
    report = edition.report
    return WordFrame(
        title=str(report),
        marking=str(Classification(level).label).upper(),
        symbol=getattr(report, "symbol", "") or "",
        language=edition.language,
        right_to_left=translation.get_language_bidi(),
        contents_heading=_("Contents"),
        contents_hint=_("Word fills in the table of contents when it opens the file; else, update this field."),
        author=_("United Nations Office of Counter-Terrorism"),
    )


def _render(edition: ReportEdition, attempt: int) -> tuple[RenderedPdf, bytes, str]:
    """The edition's PDF and, from the same HTML, its Word file (issue 21)."""
    report = edition.report
    contents = contents_of(report)
    _progress(edition.pk, attempt, 30, gettext_noop("Laying out the pages"))
    html, css = edition_layout(edition, contents)
    rendered = pdf_render(html, stylesheets=[css])
    _progress(edition.pk, attempt, 80, gettext_noop("Writing the Word file"))
    word = word_from_html(html, edition_word_frame(edition, contents.classification))
    _progress(edition.pk, attempt, 90, gettext_noop("Saving the file"))
    return rendered, word, contents.classification


@transaction.atomic
def _store(edition: ReportEdition, attempt: int, rendered: RenderedPdf, word: bytes, level: str) -> bool:
    """Keep the file and its facts if this renderer's claim still holds; else throw it away
    (the sweep queued the edition again: the next renderer's file is the one kept)."""
    if _held(edition.pk, attempt).select_for_update().values_list("pk", flat=True).first() is None:
        logger.warning(
            "Edition %s of %s was taken back from this worker; its file is dropped.", edition.number, edition.report
        )
        return False
    content, pages = rendered.content, rendered.pages
    edition.file.save(f"edition-{edition.number}.pdf", ContentFile(content), save=False)
    edition.word_file.save(f"edition-{edition.number}.docx", ContentFile(word), save=False)
    try:
        Move.start(table=EDITION_TRANSITIONS, obj=edition, action="store", by=WORKER).swap(
            stale=_("This edition was taken back from this worker."),
            condition=Q(attempts=attempt),
            file=edition.file.name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            pages=pages,
            word_file=edition.word_file.name,
            word_sha256=hashlib.sha256(word).hexdigest(),
            word_size=len(word),
            classification=level,
            progress=100,
            stage=gettext_noop("Ready"),
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
        if edition.meeting_id:
            _pack_ready_notify(edition, pages=pages, level=level)
    except BaseException:
        edition.file.storage.delete(edition.file.name)
        edition.word_file.storage.delete(edition.word_file.name)
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
    Move.start(table=EDITION_TRANSITIONS, obj=edition, action="requeue", by=SWEEP).swap(
        stale=_("This edition was moved meanwhile."),
        condition=lapsed & Q(attempts=attempts),
        lease_until=now + QUEUED_LOST_AFTER,
        progress=0,
        stage=gettext_noop("Waiting for a worker"),
    )
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
    Move.start(table=EDITION_TRANSITIONS, obj=edition, action="give_up", by=SWEEP).swap(
        stale=_("This edition was moved meanwhile."), error=error, finished_at=now, lease_until=None
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
    move = Move.start(
        table=CONSOLIDATED_TRANSITIONS, obj=report, action="make_final", by=OCT, actor=actor, state_field="state"
    )
    move.swap(stale=_("This report was changed by someone else meanwhile; reload it."))
    ReportEdition.objects.filter(pk=edition.pk).update(is_final=True)
    move.record(
        actor=actor, verb="reporting.edition_final", after={"edition": edition.number, "sha256": edition.sha256}
    )
    edition.refresh_from_db()
    return edition
