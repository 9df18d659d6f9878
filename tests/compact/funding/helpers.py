"""Rows the Trust Fund's tests build: donors, contributions, projects."""

from __future__ import annotations

from decimal import Decimal

from compact.core.models import Classification
from compact.funding.models import Contribution, Donor
from compact.funding.services import contribution_add, donor_ensure
from compact.matrix.models import Project
from compact.registry.models import Evidence


def donor(code: str = "NO", name: str = "Norway") -> Donor:
    return donor_ensure(
        code=code, name=name, kind=Donor.Kind.MEMBER_STATE, evidence=Evidence.PUBLIC, source="OCT", actor=None
    )[0]


def contribution(
    actor,
    *,
    code: str = "NO",
    year: int = 2026,
    pledged: str | None = "100000",
    received: str | None = None,
    classification: str = Classification.UNCLASSIFIED,
) -> Contribution:
    return contribution_add(
        donor=donor(code, {"NO": "Norway", "JP": "Japan", "EU": "European Union"}.get(code, code)),
        year=year,
        pledged_usd=Decimal(pledged) if pledged is not None else None,
        received_usd=Decimal(received) if received is not None else None,
        evidence=Evidence.SECRETARIAT,
        source="Pledge letter MK-SRC",
        classification=classification,
        actor=actor,
    )


def project(title: str = "Border project MK-P", **fields) -> Project:
    fields.setdefault("status", Project.Status.ONGOING)
    return Project.objects.create(title=title, **fields)
