"""Writes of the Trust Fund: donors and their contributions, each with its audit row."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.core.models import Classification
from compact.funding.models import Contribution, Donor
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
