"""The compact app's models, by subject: ``registry`` (entities, membership, people, audit),
``signon`` (sign-on requests, the e-mail outbox) and ``matrix`` (the project matrix),
``outreach`` (briefings to Member States) and ``review`` (the biennial review of the Compact).
Import them from here."""

from compact.models.matrix import (
    MatrixImport,
    OverlapReview,
    Project,
    ProjectCountry,
    ProjectPillar,
    ProjectRegion,
)
from compact.models.outreach import MemberStateBriefing, MemberStateBriefingStep
from compact.models.registry import (
    PARTY_STATUSES,
    AuditEvent,
    AuditEventQuerySet,
    Classification,
    Entity,
    EntityAlias,
    Evidence,
    Heartbeat,
    Membership,
    Pillar,
    Profile,
    User,
    WriteOnce,
)
from compact.models.review import BiennialReview, ReviewComment, ReviewStep
from compact.models.security import PasswordResetRequest
from compact.models.signon import OutboundEmail, SignOnRequest, SignOnStep, _signon_letter_path

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
