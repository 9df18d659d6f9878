"""The compact app's models, by subject: ``registry`` (entities, membership, people, audit),
``signon`` (sign-on requests, the e-mail outbox) and ``matrix`` (the project matrix),
``outreach`` (briefings to Member States) and ``review`` (the biennial review of the Compact).
Import them from here."""

from compact.accounts.models import PasswordResetRequest
from compact.core.models import (
    AuditEvent,
    AuditEventQuerySet,
    Classification,
    Heartbeat,
    OutboundEmail,
    User,
    WriteOnce,
)
from compact.matrix.models import (
    MatrixImport,
    OverlapReview,
    Project,
    ProjectCountry,
    ProjectPillar,
    ProjectRegion,
)
from compact.outreach.models import MemberStateBriefing, MemberStateBriefingStep
from compact.registry.models import PARTY_STATUSES, Entity, EntityAlias, Evidence, Membership, Pillar, Profile
from compact.signon.models import SignOnRequest, SignOnStep, _signon_letter_path
from reporting.review.models import BiennialReview, ReviewComment, ReviewStep

__all__ = [
    "PARTY_STATUSES",
    "AuditEvent",
    "AuditEventQuerySet",
    "BiennialReview",
    "Classification",
    "Entity",
    "EntityAlias",
    "Evidence",
    "Heartbeat",
    "MatrixImport",
    "MemberStateBriefing",
    "MemberStateBriefingStep",
    "Membership",
    "OutboundEmail",
    "OverlapReview",
    "PasswordResetRequest",
    "Pillar",
    "Profile",
    "Project",
    "ProjectCountry",
    "ProjectPillar",
    "ProjectRegion",
    "ReviewComment",
    "ReviewStep",
    "SignOnRequest",
    "SignOnStep",
    "User",
    "WriteOnce",
    "_signon_letter_path",
]
