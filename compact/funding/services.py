"""Writes of the Trust Fund: donors and their contributions, each with its audit row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from compact.core.audit import audit_changes, audit_record, snapshot
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.funding.models import Contribution, Donor, Earmark
from compact.funding.permissions import can_manage_trust_fund
from compact.funding.selectors import sees_every_level
from compact.registry.models import Evidence


@transaction.atomic
def donor_ensure(
    *, code: str, name: str, kind: str, evidence: str, source: str, actor: AbstractBaseUser | None
) -> tuple[Donor, bool]:
    """The donor with ISO code ``code``, created if missing (an existing one is left as the
    secretariat keeps it); whether it was created."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValidationError({"code": _("Give the ISO 3166-1 alpha-2 code (EU for the European Union).")})
    if kind not in Donor.Kind.values or evidence not in Evidence.values or not source.strip():
        raise ValidationError(_("A donor needs a known kind, an evidence mark and a source."))
    donor = Donor.objects.filter(code=code).first()
    if donor is not None:
        return donor, False
    donor = Donor.objects.create(code=code, name=name.strip(), kind=kind, evidence=evidence, source=source.strip())
    audit_record(actor=actor, verb="funding.donor_added", obj=donor, after=snapshot(donor, ["code", "name", "kind"]))
    return donor, True


@transaction.atomic
def contribution_record(
    *,
    donor: Donor,
    year: int,
    evidence: str,
    source: str,
    actor: AbstractBaseUser | None,
    rank: int | None = None,
    amount_usd: Decimal | None = None,
    classification: str = Classification.UNCLASSIFIED,
) -> tuple[Contribution, bool]:
    """The donor's contribution for ``year``, recorded if missing (one per donor and year);
    whether it was recorded."""
    errors = {}
    if not 1990 <= year <= 2100:
        errors["year"] = _("Give a year from 1990 to 2100.")
    if rank is not None and rank < 1:
        errors["rank"] = _("A rank starts at 1.")
    if amount_usd is not None and amount_usd < 0:
        errors["amount_usd"] = _("An amount cannot be negative.")
    if evidence not in Evidence.values or not source.strip():
        errors["source"] = _("Say where the contribution is stated, and how sure it is.")
    if errors:
        raise ValidationError(errors)
    existing = Contribution.objects.filter(donor=donor, year=year).first()
    if existing is not None:
        return existing, False
    if rank is not None and Contribution.objects.filter(year=year, rank=rank).exists():
        raise ValidationError({"rank": _("Another contribution of that year has this rank.")})
    contribution = Contribution.objects.create(
        donor=donor,
        year=year,
        rank=rank,
        amount_usd=amount_usd,
        classification=classification,
        evidence=evidence,
        source=source.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="funding.contribution_recorded",
        obj=contribution,
        after=snapshot(contribution, ["donor", "year", "rank", "amount_usd", "evidence"]),
        classification=classification,
    )
    return contribution, True


# --- Contributions recorded by OCT, and their earmarks ------------------------------------------

# The columns hold 14 digits, 2 after the point.
MAX_AMOUNT = Decimal("999999999999.99")
CONTRIBUTION_FIELDS = ["donor", "year", "amount_usd", "received_usd", "classification", "evidence", "source"]


ONE_PER_DONOR_AND_YEAR = "contribution_one_per_donor_and_year"


def _recorded(donor: Donor, year: int) -> bool:
    return Contribution.objects.filter(donor=donor, year=year).exists()


def _already_recorded() -> ValidationError:
    return ValidationError(
        {"year": _("This donor's contribution for that year is already recorded: change it instead.")}
    )


def _require_manager(actor: AbstractBaseUser) -> None:
    if not can_manage_trust_fund(actor):
        raise PermissionDenied(_("Only the OCT secretariat records contributions and earmarks."))


def _amount(value: Decimal | None, field: str, *, required: bool = False, positive: bool = False) -> Decimal | None:
    """``value`` to the cent, or a message naming ``field``: a finite amount, not negative (not
    zero where ``positive``), at most what the column holds."""
    if value is None:
        if required:
            raise ValidationError({field: _("Give an amount in US dollars.")})
        return None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("Give an amount in US dollars, digits only.")})
    if value < 0 or (positive and value == 0):
        message = _("An amount must be more than zero.") if positive else _("An amount cannot be negative.")
        raise ValidationError({field: message})
    if value > MAX_AMOUNT:
        raise ValidationError({field: _("An amount cannot exceed 999,999,999,999.99 USD.")})
    return value.quantize(Decimal("0.01"))


def _contribution_checks(
    *, year: int, classification: str, evidence: str, source: str, actor: AbstractBaseUser
) -> None:
    errors = {}
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        errors["year"] = _("Give a year from 1990 to 2100.")
    if classification not in Classification.values:
        errors["classification"] = _("Choose a classification.")
    elif not can_read_classification(actor, classification):
        errors["classification"] = _("You cannot mark a contribution above your own clearance.")
    if evidence not in Evidence.values or not (source or "").strip():
        errors["source"] = _("Say where the contribution is stated, and how sure it is.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contribution_add(
    *,
    donor: Donor,
    year: int,
    pledged_usd: Decimal | None,
    received_usd: Decimal | None,
    evidence: str,
    source: str,
    actor: AbstractBaseUser,
    classification: str = Classification.UNCLASSIFIED,
) -> Contribution:
    """OCT records a donor's contribution for a year: pledged and received amounts, source and
    evidence mark, classification. One per donor and year: a second is refused (change the first)."""
    _require_manager(actor)
    _contribution_checks(year=year, classification=classification, evidence=evidence, source=source, actor=actor)
    pledged = _amount(pledged_usd, "pledged_usd")
    received = _amount(received_usd, "received_usd")
    if _recorded(donor, year):
        raise _already_recorded()
    try:
        with transaction.atomic():  # a savepoint: the same contribution recorded at the same moment
            contribution = Contribution.objects.create(
                donor=donor,
                year=year,
                amount_usd=pledged,
                received_usd=received,
                classification=classification,
                evidence=evidence,
                source=source.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) != ONE_PER_DONOR_AND_YEAR:
            raise
        raise _already_recorded() from error
    audit_record(
        actor=actor,
        verb="funding.contribution_recorded",
        obj=contribution,
        after=snapshot(contribution, CONTRIBUTION_FIELDS),
        classification=classification,
    )
    return contribution


def _earmarked(contribution: Contribution) -> Decimal:
    return contribution.earmarks.aggregate(total=Sum("amount_usd"))["total"] or Decimal(0)


def contribution_values(contribution: Contribution) -> dict[str, Any]:
    """What ``contribution_update`` takes, as ``contribution`` holds it now (a form's initial values)."""
    return {
        "pledged_usd": contribution.amount_usd,
        "received_usd": contribution.received_usd,
        "classification": contribution.classification,
        "evidence": contribution.evidence,
        "source": contribution.source,
    }


# A value ``contribution_update`` was not given: the contribution keeps its own (``None`` is an
# amount's real value, "not known").
UNCHANGED: Any = object()


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    actor: AbstractBaseUser,
    pledged_usd: Decimal | None = UNCHANGED,
    received_usd: Decimal | None = UNCHANGED,
    evidence: str = UNCHANGED,
    source: str = UNCHANGED,
    classification: str = UNCHANGED,
) -> Contribution:
    """OCT changes a contribution's amounts, classification and source; the pledge never drops
    below what is already earmarked from it. What is not given stays as the locked row holds it,
    so two edits of different fields at once do not undo each other."""
    _require_manager(actor)
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not can_read_classification(actor, contribution.classification):
        raise PermissionDenied(_("You cannot change this contribution."))
    given = {
        "pledged_usd": pledged_usd,
        "received_usd": received_usd,
        "classification": classification,
        "evidence": evidence,
        "source": source,
    }
    current = contribution_values(contribution)
    values = {name: current[name] if value is UNCHANGED else value for name, value in given.items()}
    pledged_usd, received_usd = values["pledged_usd"], values["received_usd"]
    classification, evidence, source = values["classification"], values["evidence"], values["source"]
    _contribution_checks(
        year=contribution.year, classification=classification, evidence=evidence, source=source, actor=actor
    )
    pledged = _amount(pledged_usd, "pledged_usd")
    received = _amount(received_usd, "received_usd")
    earmarked = _earmarked(contribution)
    if earmarked and (pledged is None or pledged < earmarked):
        raise ValidationError({"pledged_usd": _("The pledge cannot be less than what is already earmarked from it.")})
    before = snapshot(contribution, CONTRIBUTION_FIELDS)
    contribution.amount_usd, contribution.received_usd = pledged, received
    contribution.classification, contribution.evidence, contribution.source = classification, evidence, source.strip()
    contribution.save(update_fields=["amount_usd", "received_usd", "classification", "evidence", "source"])
    audit_changes(
        actor=actor,
        verb="funding.contribution_updated",
        obj=contribution,
        before=before,
        after=snapshot(contribution, CONTRIBUTION_FIELDS),
    )
    return contribution


@transaction.atomic
def earmark_add(
    *,
    contribution: Contribution,
    amount_usd: Decimal | None,
    actor: AbstractBaseUser,
    project: Model | None = None,
    working_group: Model | None = None,
    note: str = "",
) -> Earmark:
    """OCT sets part of a contribution aside for one project of the matrix or one working group.

    The contribution is locked (``select_for_update``) while its earmarks are added up, so two
    earmarks made at the same moment can never together exceed the pledge. The earmark is
    classified as the strictest of the contribution and the project."""
    _require_manager(actor)
    if (project is None) == (working_group is None):
        raise ValidationError({"project": _("Earmark to one project or to one working group.")})
    amount = _amount(amount_usd, "amount_usd", required=True, positive=True)
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    levels = [contribution.classification, getattr(project, "classification", Classification.UNCLASSIFIED)]
    if not all(can_read_classification(actor, level) for level in levels):
        raise PermissionDenied(_("You cannot earmark this contribution to this project."))
    if working_group is not None and working_group.retired_on is not None:
        raise ValidationError({"working_group": _("This working group has retired.")})
    if contribution.amount_usd is None:
        raise ValidationError({"amount_usd": _("Record the amount pledged before earmarking the contribution.")})
    remaining = contribution.amount_usd - _earmarked(contribution)
    if amount > remaining:
        if sees_every_level(actor):
            message = _("Only %(remaining)s USD of this contribution is not yet earmarked.") % {
                "remaining": number_format(remaining, decimal_pos=2, use_l10n=True, force_grouping=True)
            }
        else:
            # Earmarks beyond the actor's clearance count too, but their amounts are not told.
            message = _("The earmarks would add up to more than the contribution.")
        raise ValidationError({"amount_usd": message})
    earmark = Earmark.objects.create(
        contribution=contribution,
        project=project,
        working_group=working_group,
        amount_usd=amount,
        note=(note or "").strip()[:500],
        classification=Classification.highest(levels),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb="funding.earmark_added",
        obj=contribution,
        after={**snapshot(earmark, ["project", "working_group", "amount_usd", "note"])},
        classification=earmark.classification,
    )
    return earmark


@transaction.atomic
def earmark_remove(*, earmark: Earmark, actor: AbstractBaseUser) -> None:
    """OCT removes an earmark: its amount is free to earmark again."""
    _require_manager(actor)
    earmark = Earmark.objects.select_related("contribution").select_for_update().get(pk=earmark.pk)
    if not can_read_classification(actor, earmark.classification):
        raise PermissionDenied(_("You cannot remove this earmark."))
    before = snapshot(earmark, ["project", "working_group", "amount_usd", "note"])
    contribution = earmark.contribution
    # Marked as the earmark and as its project is now (the contribution's own marking comes
    # with the row's object): a project raised since the earmark was made raises the row too.
    project_level = earmark.project.classification if earmark.project_id else Classification.UNCLASSIFIED
    earmark.delete()
    audit_record(
        actor=actor,
        verb="funding.earmark_removed",
        obj=contribution,
        before=before,
        classification=Classification.highest([earmark.classification, project_level]),
    )
