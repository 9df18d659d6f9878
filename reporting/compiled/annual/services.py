"""The annual report's approval: OCT submits it, the USG approves or returns it, once the year's
rounds are closed or OCT has recorded why it goes early; the final edition follows approval."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record
from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification
from compact.core.roles import Role, role_emails
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.text import validate_free_text
from reporting.compiled.editions import Edition, final_edition_queue
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.compiled.selectors import YearRound, year_rounds
from reporting.compiled.services import _locked, _require_compiler
from reporting.compiled.workflow import ANNUAL_TRANSITIONS, AR, OCT
from reporting.submissions.permissions import can_approve_annual_report

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
    move = Move.start(
        table=ANNUAL_TRANSITIONS,
        obj=report,
        action=action,
        by=transition.by,
        actor=actor,
        proposer=report.submitted_by_id,
        state_field="state",
    )
    comment = comment.strip()
    if transition.message == "required" and not comment:
        raise ValidationError({"comment": _("Write a comment for this step.")})
    if action in NEEDS_CLOSED_ROUNDS:
        _rounds_check(report)
    edition = _latest_edition(report)
    changes = _act_changes(report, action, actor, edition)
    move.swap(stale=_("This report was changed by someone else meanwhile; reload it."), **changes)
    after: dict[str, Any] = {"edition": edition.number} if edition else {}
    if action == "approve":
        after["final_edition"] = final_edition_queue(report, actor).number
    move.record(actor=actor, verb=f"reporting.annual_{action}", after=after, note=comment)
    _annual_notify(report, action, edition=edition, comment=comment)
    return report


def _annual_notify(report: AnnualReport, action: str, *, edition: ReportEdition | None, comment: str) -> None:
    """Whoever the step leaves waiting is told: the USG when OCT submits; the officer who
    submitted it and the secretariat's address when the USG approves or returns it."""
    url = absolute_url(reverse("reporting-annual", args=[report.pk]))
    occasion = f"annual:{report.pk}:{action}:{timezone.now().isoformat()}"
    context = {"report": report, "edition": edition, "comment": comment, "url": url}
    if action == "submit":
        email_queue(
            occasion=occasion,
            recipients=role_emails(Role.USG),
            template="annual-submitted",
            context=context,
            category=EmailCategory.APPROVALS,
        )
    elif action in ("approve", "return"):
        submitter = report.submitted_by.email if report.submitted_by else ""
        email_queue(
            occasion=occasion,
            recipients=[submitter, settings.OCT_SECRETARIAT_EMAIL],
            template="annual-decided",
            category=EmailCategory.APPROVALS,
            context={**context, "approved": action == "approve"},
        )


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
