"""Who may do what in the Compact registry. Every rule lives here; views and the API ask."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from compact.models import Classification, Entity
from compact.roles import Role, user_has_role, user_roles

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


def is_oct(user: AnyUser) -> bool:
    """The OCT secretariat runs the Compact's processes. Being a site administrator
    (``is_superuser``) grants nothing here: every workflow right comes from a role."""
    return user.is_authenticated and user.is_active and user_has_role(user, Role.OCT)


def objects_permitted(user: AnyUser, permission: str, model: type[M]) -> QuerySet[M]:
    """The objects of ``model`` on which ``user`` holds ``permission`` (guardian), granted to
    them or to one of their groups.

    Neither ``is_superuser`` nor a model-wide permission counts: Django's ``has_perm`` answers
    True to any superuser, which let a site administrator act as every group's chair."""
    if not user.is_authenticated or not user.is_active:
        return model.objects.none()
    return get_objects_for_user(user, permission, klass=model, with_superuser=False, accept_global_perms=False)


def users_holding(permission: str, obj: Model) -> set[int]:
    """The ids of the users who hold ``permission`` on ``obj`` (themselves or through a group;
    being a superuser does not count)."""
    codename = permission.split(".")[-1]
    holders = get_users_with_perms(obj, only_with_perms_in=[codename], with_superusers=False, with_group_users=True)
    return set(holders.values_list("pk", flat=True))


def holds_object_permission(user: AnyUser, permission: str, obj: Model) -> bool:
    """Whether ``user`` holds ``permission`` on ``obj`` itself (see ``objects_permitted``)."""
    return objects_permitted(user, permission, type(obj)).filter(pk=obj.pk).exists()


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


def can_review_signon(user: AnyUser) -> bool:
    """Sign-on requests are reviewed and decided by the OCT secretariat alone."""
    return is_oct(user)


def can_view_audit(user: AnyUser) -> bool:
    return is_oct(user)


def user_clearance(user: AnyUser) -> str | None:
    """The highest classification ``user`` may read, or None for anonymous visitors. It is
    the clearance on their profile, whoever they are: a site administrator is not cleared by
    being one."""
    if not user.is_authenticated or not user.is_active:
        return None
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
