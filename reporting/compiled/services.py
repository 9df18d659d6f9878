"""OCT's compiled documents: the consolidated progress report of a round and the USG's annual
report, their text, and their PDF editions; and a Committee meeting's briefing pack (its
agenda with the linked briefings), generated the same way.

OCT's text is saved on the report with optimistic locking, apart from the groups' inputs, so
a new edition after a late input is accepted keeps it. An edition is requested in a web
request and rendered by a worker (``edition_render``), never in the request: the page polls
its progress. A consolidated report becomes final when OCT marks one edition final; the
annual report when the USG approves it (``ANNUAL_TRANSITIONS``). Final editions and final
reports never change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_changes, audit_record
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.workflow import revision_check
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.permissions import can_compile_reports

CompiledReport = ConsolidatedReport | AnnualReport


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


TEXT_FIELDS = ("symbol", "executive_summary", "observations")


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
    revision the editor loaded: if someone saved since, EditConflictError carries the
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
    revision_check(report, base_revision, _("This text was changed by someone else while you were editing it."))
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
