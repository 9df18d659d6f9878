"""Who records, shares, follows up and reads CTED's country visits.

CTED's people are those whose profile names the CTED entity (set by OCT in the administration
site; nobody sets their own). OCT is the secretariat role. Everyone else signed in sees the
visits within their clearance, never an assessment.
"""

from __future__ import annotations

from compact.core.permissions import AnyUser, can_read_classification, is_oct

CTED_ACRONYM = "CTED"


def is_cted(user: AnyUser) -> bool:
    """A person of CTED: their profile's entity is CTED (roles say nothing about it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    profile = getattr(user, "profile", None)
    entity = getattr(profile, "entity", None) if profile is not None else None
    return entity is not None and entity.acronym.upper() == CTED_ACRONYM


def can_read_visits(user: AnyUser) -> bool:
    """The visits' pages are for signed-in users; each visit is limited by its classification."""
    return user.is_authenticated and user.is_active


def can_record_visits(user: AnyUser) -> bool:
    """CTED records its visits, tells OCT, and shares or keeps its assessments."""
    return is_cted(user)


def can_follow_up_visits(user: AnyUser) -> bool:
    """OCT records the consultation after a visit and the projects it led to."""
    return is_oct(user)


def can_read_assessment(user: AnyUser, visit: object) -> bool:
    """CTED reads its own assessment; OCT only once it was shared (never when the Member State
    asked for confidentiality); nobody above their clearance; nobody else."""
    if not can_read_classification(user, visit.classification) or not visit.assessment:
        return False
    if is_cted(user):
        return True
    return is_oct(user) and visit.assessment_shared and not visit.confidentiality_requested
