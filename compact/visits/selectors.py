"""Permission-scoped reads of CTED's country visits.

Every read goes through ``visits_visible_to``: signed-in users, and only the visits whose
classification their clearance reaches (CTED's own people included). Whether the reader may see
a visit's assessment is ``compact.visits.permissions.can_read_assessment``; the pages and the
API ask it for each visit, and the list reads never load the text at all.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from compact.core.permissions import AnyUser, readable_levels
from compact.matrix.models import Project
from compact.matrix.selectors import projects_visible_to
from compact.visits.models import CountryVisit
from compact.visits.permissions import can_follow_up_visits, can_read_visits, can_record_visits


def visits_visible_to(user: AnyUser) -> QuerySet[CountryVisit]:
    """The visits ``user`` may know of, newest first, without their assessment's text (each
    reader who may read it gets it from ``get_visit_for_user_or_404``)."""
    if not can_read_visits(user):
        return CountryVisit.objects.none()
    visits = CountryVisit.objects.filter(classification__in=readable_levels(user))
    return visits.defer("assessment").order_by("-starts_on", "-id")


def visits_in_country(user: AnyUser, code: str) -> QuerySet[CountryVisit]:
    """The visits to one Member State ``user`` may know of (for the matrix's country page)."""
    return visits_visible_to(user).filter(country=code.upper())


def get_visit_for_user_or_404(user: AnyUser, pk: int) -> CountryVisit:
    """One visit; the same 404 whether it is missing or above the reader's clearance."""
    if not can_read_visits(user):
        raise Http404("No such visit.")
    visit = CountryVisit.objects.filter(pk=pk, classification__in=readable_levels(user)).first()
    if visit is None:
        raise Http404("No such visit.")
    return visit


def visit_projects_for(user: AnyUser, visit: CountryVisit) -> QuerySet[Project]:
    """The projects the visit led to that ``user`` may read (a linked project may be marked
    higher than the visit)."""
    return projects_visible_to(user).filter(country_visits=visit).order_by("title", "id")


def linkable_projects(user: AnyUser) -> QuerySet[Project]:
    """The projects ``user`` may link to a visit's follow-up: those they may read."""
    return projects_visible_to(user).order_by("title", "id")


# How soon before its first day a planned visit of which OCT was not told waits on CTED.
TELL_OCT_BEFORE = datetime.timedelta(days=30)


def visits_awaiting_follow_up(user: AnyUser) -> QuerySet[CountryVisit]:
    """For OCT: the visits whose assessment CTED shared or kept, waiting for the consultation."""
    if not can_follow_up_visits(user):
        return CountryVisit.objects.none()
    return visits_visible_to(user).filter(state__in=[CountryVisit.State.SHARED, CountryVisit.State.WITHHELD])


def visits_awaiting_cted(user: AnyUser, *, today: datetime.date) -> QuerySet[CountryVisit]:
    """For CTED: the visits carried out without an assessment yet, and those planned within
    ``TELL_OCT_BEFORE`` (or begun) of which OCT was not told."""
    if not can_record_visits(user):
        return CountryVisit.objects.none()
    unannounced = Q(state=CountryVisit.State.PLANNED, starts_on__lte=today + TELL_OCT_BEFORE)
    return visits_visible_to(user).filter(unannounced | Q(state=CountryVisit.State.CARRIED_OUT))
