"""Django's list of the compact app's models, defined in their domains: ``core`` (people, the
audit log, heartbeats, the e-mail outbox), ``accounts`` (password resets), ``registry``
(entities, membership, profiles), ``signon``, ``matrix``, ``outreach``, and the biennial review
(``reporting.review``, whose tables keep this app's label).

Code imports a model from its domain's ``models`` module, never from here: this module reaches
every domain, so importing it would cross the layers (docs/architecture.md)."""

from compact.accounts.models import PasswordResetRequest
from compact.core.models import (
    AuditEvent,
    AuditEventQuerySet,
    Classification,
    Heartbeat,
    Notification,
    OutboundEmail,
    User,
    WriteOnce,
)
from compact.funding.models import Contribution, Donor, Earmark
from compact.matrix.models import (
    HrddpAssessment,
    MatrixImport,
    OverlapReview,
    Project,
    ProjectCountry,
    ProjectPillar,
    ProjectRegion,
    ProjectStageStep,
    ThemeSuggestion,
)
from compact.outreach.models import BriefingCadence, MemberStateBriefing, MemberStateBriefingStep
from compact.registry.models import PARTY_STATUSES, Entity, EntityAlias, Evidence, Membership, Pillar, Profile
from compact.signon.models import SignOnRequest, SignOnStep, _signon_letter_path
from compact.visits.models import CountryVisit, CountryVisitStep
from reporting.review.models import BiennialReview, ReviewComment, ReviewStep

__all__ = [
    "PARTY_STATUSES",
    "AuditEvent",
    "AuditEventQuerySet",
    "BiennialReview",
    "BriefingCadence",
    "Classification",
    "Contribution",
    "CountryVisit",
    "CountryVisitStep",
    "Donor",
    "Earmark",
    "Entity",
    "EntityAlias",
    "Evidence",
    "Heartbeat",
    "HrddpAssessment",
    "MatrixImport",
    "MemberStateBriefing",
    "MemberStateBriefingStep",
    "Membership",
    "Notification",
    "OutboundEmail",
    "OverlapReview",
    "PasswordResetRequest",
    "Pillar",
    "Profile",
    "Project",
    "ProjectCountry",
    "ProjectPillar",
    "ProjectRegion",
    "ProjectStageStep",
    "ReviewComment",
    "ReviewStep",
    "SignOnRequest",
    "SignOnStep",
    "ThemeSuggestion",
    "User",
    "WriteOnce",
    "_signon_letter_path",
]
