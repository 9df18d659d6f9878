"""Who may do what with the programme of work and the M&E framework. Every rule lives here.

The programme is the Committee's: everyone who reads the Committee's meetings (OCT, the USG,
Committee members, every chair and vice-chair) reads it; OCT drafts it and records its
adoption. A group's indicator values are reported by whoever may edit the group's progress
report, inside that report.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.core.permissions import is_oct
from reporting.committee.permissions import can_read_meetings
from reporting.programme.models import ProgrammeOfWork

AnyUser = AbstractBaseUser | AnonymousUser


def can_read_programme(user: AnyUser) -> bool:
    return can_read_meetings(user)


def can_manage_programme(user: AnyUser) -> bool:
    """OCT drafts the programme and the M&E framework and records the Committee's adoption."""
    return is_oct(user)


def programme_drafter_ids(programme: ProgrammeOfWork) -> set[int]:
    """Who changed the working copy since its last adoption: they put it forward, so another
    officer records the Committee's adoption (four eyes)."""
    return set(programme.drafters.values_list("pk", flat=True))


def may_record_adoption(user: AnyUser, programme: ProgrammeOfWork) -> bool:
    """OCT records the adoption, unless this officer changed the working copy since the last one."""
    return can_manage_programme(user) and user.pk not in programme_drafter_ids(programme)
