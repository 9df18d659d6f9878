"""Pages: ``registry`` (home, entities, Committee, audit, system status) and ``signon`` (the
public sign-on form, the applicant's status page and OCT's review queue)."""

from compact.views.registry import (
    audit_log,
    committee,
    entity_detail,
    entity_edit,
    entity_focal_point_dismiss,
    entity_focal_point_invite,
    entity_list,
    healthz,
    home,
    system_status,
)

__all__ = [
    "audit_log",
    "committee",
    "entity_detail",
    "entity_edit",
    "entity_focal_point_dismiss",
    "entity_focal_point_invite",
    "entity_list",
    "healthz",
    "home",
    "system_status",
]
