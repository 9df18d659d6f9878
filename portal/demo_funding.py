"""The demo's Trust Fund: a few of this year's pledges (made up, marked as the secretariat's),
earmarks to demo projects and a working group, and a project in the Financing step with its
budget, so that the donor pages, the project pages and the resource-mobilisation view show
something (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from compact.core.models import Classification
from compact.funding.models import Contribution, Donor
from compact.funding.services import contribution_add, earmark_add
from compact.matrix.lifecycle import project_stage_move
from compact.matrix.models import Project
from compact.matrix.services import project_save
from compact.registry.models import Evidence
from workinggroups.models import WorkingGroup

SOURCE = "Demonstration: OCT's record of the pledge letter"
# Donor code, pledged, received, classification (made-up figures).
DEMO_PLEDGES = [
    ("SA", "2000000", "2000000", Classification.UNCLASSIFIED),
    ("NO", "750000", "500000", Classification.UNCLASSIFIED),
    ("JP", "400000", None, Classification.CONFIDENTIAL),
]


def demo_funding(people: dict[str, object]) -> None:
    officer = people["oct.officer"]
    year = timezone.localdate().year
    if Contribution.objects.filter(year=year, source=SOURCE).exists():
        return
    donors = {donor.code: donor for donor in Donor.objects.filter(code__in=[row[0] for row in DEMO_PLEDGES])}
    pledges = {}
    for code, pledged, received, level in DEMO_PLEDGES:
        if code not in donors or Contribution.objects.filter(donor=donors[code], year=year).exists():
            continue
        pledges[code] = contribution_add(
            donor=donors[code],
            year=year,
            pledged_usd=Decimal(pledged),
            received_usd=Decimal(received) if received else None,
            evidence=Evidence.SECRETARIAT,
            source=SOURCE,
            classification=level,
            actor=officer,
        )
    projects = list(Project.objects.filter(source_key__startswith="a72-840:", stage="").order_by("pk")[:2])
    if len(projects) < 2 or "SA" not in pledges:
        return
    financing, funded = projects
    project_save(project=financing, actor=officer, fields={"budget_usd": Decimal("1200000")}, funders=[donors["SA"]])
    project_stage_move(project=financing, action="place-financing", actor=officer, reached_on=timezone.localdate())
    earmark_add(contribution=pledges["SA"], amount_usd=Decimal("450000"), project=financing, actor=officer)
    earmark_add(contribution=pledges["SA"], amount_usd=Decimal("300000"), project=funded, actor=officer)
    group = WorkingGroup.objects.filter(retired_on__isnull=True, number=7).first()
    if group is not None and "NO" in pledges:
        earmark_add(
            contribution=pledges["NO"],
            amount_usd=Decimal("250000"),
            working_group=group,
            actor=officer,
            note="Demonstration: regional workshops on human-rights due diligence",
        )
