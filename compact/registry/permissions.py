"""Who reads the registry, manages an entity's profile, sees its people."""

from __future__ import annotations

from compact.core.permissions import AnyUser, holds_object_permission, is_oct
from compact.core.roles import Role, user_has_role, user_roles
from compact.registry.models import Entity


def can_read_registry(user: AnyUser) -> bool:
    """The registry (entities, working groups, the Committee) is unclassified but internal:
    any signed-in, active user may read it."""
    return user.is_authenticated and user.is_active


def can_manage_entity(user: AnyUser, entity: Entity) -> bool:
    """OCT, or a focal point granted the object permission on this entity."""
    if is_oct(user):
        return True
    return holds_object_permission(user, "compact.manage_entity_profile", entity)


def sits_on_committee(user: AnyUser, *, leads_a_group: bool) -> bool:
    """The USG, Committee members, and chairs and vice-chairs (who sit on it ex officio)."""
    roles = user_roles(user)
    return leads_a_group or bool(roles & {Role.USG, Role.COMMITTEE_MEMBER})


def is_focal_point(user: AnyUser) -> bool:
    profile = getattr(user, "profile", None)
    return user_has_role(user, Role.FOCAL_POINT) and profile is not None and profile.entity_id is not None


def can_see_entity_people(user: AnyUser, entity: Entity) -> bool:
    """Who works for an entity is for OCT and the entity's own focal points."""
    return can_manage_entity(user, entity)
