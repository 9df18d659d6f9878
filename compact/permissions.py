"""Who may do what in the Compact registry. Every rule lives here; views and the API ask."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.models import Classification, Entity
from compact.roles import Role, user_has_role, user_roles

AnyUser = AbstractBaseUser | AnonymousUser


def is_oct(user: AnyUser) -> bool:
    """The OCT secretariat (and site administrators) run the Compact's processes."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user_has_role(user, Role.OCT))


def can_read_registry(user: AnyUser) -> bool:
    """The registry (entities, working groups, the Committee) is unclassified but internal:
    any signed-in, active user may read it."""
    return user.is_authenticated and user.is_active


def can_manage_entity(user: AnyUser, entity: Entity) -> bool:
    """OCT, or a focal point granted the object permission on this entity."""
    if is_oct(user):
        return True
    return user.is_authenticated and user.is_active and user.has_perm("compact.manage_entity_profile", entity)


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


def can_review_signon(user: AnyUser) -> bool:
    """Sign-on requests are reviewed and decided by the OCT secretariat alone."""
    return is_oct(user)


def can_view_audit(user: AnyUser) -> bool:
    return is_oct(user)


def user_clearance(user: AnyUser) -> str | None:
    """The highest classification ``user`` may read, or None for anonymous visitors."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Classification.STRICTLY_CONFIDENTIAL
    profile = getattr(user, "profile", None)
    return profile.clearance if profile else Classification.UNCLASSIFIED


def can_read_classification(user: AnyUser, level: str) -> bool:
    clearance = user_clearance(user)
    return clearance is not None and Classification.rank(clearance) >= Classification.rank(level)


def can_read_projects(user: AnyUser) -> bool:
    """The matrix is for signed-in users; each project is further limited by its classification."""
    return user.is_authenticated and user.is_active


def can_manage_matrix(user: AnyUser) -> bool:
    """OCT keeps the matrix: imports, every project, overlap reviews."""
    return is_oct(user)


def can_edit_project(user: AnyUser, project: object) -> bool:
    """OCT, or a focal point of the project's lead or partner entity (within their clearance)."""
    if not can_read_classification(user, project.classification):
        return False
    if is_oct(user):
        return True
    entities = [project.lead_entity, *project.partner_entities.all()]
    return any(entity is not None and can_manage_entity(user, entity) for entity in entities)


def can_manage_briefings(user: AnyUser) -> bool:
    """The OCT secretariat records the USG's briefings to Member States and publishes their
    summaries; nobody else sees these pages."""
    return is_oct(user)
