"""The demo's country visits of CTED (A/72/840, Annex IV, C.2), recorded by cted.rep: one to
Tunisia whose assessment CTED shared and OCT followed up, linking projects of the matrix there;
one to Mali whose assessment stays with CTED (the Member State asked), waiting for OCT's
follow-up; and one to Kenya planned for next month, OCT not told yet."""

from __future__ import annotations

import datetime

from django.utils import timezone

from compact.core.models import Classification
from compact.matrix.models import Project
from compact.matrix.selectors import in_country
from compact.visits.models import CountryVisit
from compact.visits.services import visit_act, visit_create


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _carried_out(cted: object, country: str, *, start: int, informed: int, confidential: bool) -> CountryVisit:
    visit = visit_create(
        actor=cted,
        country=country,
        starts_on=_days(start),
        ends_on=_days(start + 4),
        confidentiality_requested=confidential,
        classification=Classification.CONFIDENTIAL,
    )
    visit_act(visit=visit, action="inform-oct", actor=cted, oct_informed_on=_days(informed))
    return visit_act(visit=visit, action="carry-out", actor=cted)


def demo_visits(people: dict[str, object]) -> None:
    if CountryVisit.objects.exists():
        return
    cted, officer = people["cted.rep"], people["oct.officer"]
    tunisia = _carried_out(cted, "TN", start=-120, informed=-140, confidential=False)
    visit_act(
        visit=tunisia,
        action="share",
        actor=cted,
        assessment=(
            "Demonstration: recommendations on border management and on the investigation of terrorist "
            "financing; training needs of the financial intelligence unit."
        ),
    )
    projects = Project.objects.filter(in_country("TN"), classification=Classification.UNCLASSIFIED)
    visit_act(
        visit=tunisia,
        action="follow-up",
        actor=officer,
        followup_on=_days(-90),
        followup_support="Demonstration: technical assistance to the financial intelligence unit; a regional workshop.",
        projects=list(projects.order_by("id")[:2]),
    )
    mali = _carried_out(cted, "ML", start=-60, informed=-75, confidential=True)
    visit_act(
        visit=mali,
        action="withhold",
        actor=cted,
        assessment="Demonstration: an assessment the Member State asked CTED to keep confidential.",
    )
    visit_create(
        actor=cted,
        country="KE",
        starts_on=_days(30),
        ends_on=_days(34),
        classification=Classification.UNCLASSIFIED,
    )
