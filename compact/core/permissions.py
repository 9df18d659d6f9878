"""Who may do what, from roles and object permissions (never from is_superuser), and who may read
which classification."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from guardian.shortcuts import get_objects_for_user, get_users_with_perms

from compact.core.models import Classification
from compact.core.roles import Role, user_has_role

AnyUser = AbstractBaseUser | AnonymousUser


M = TypeVar("M", bound=Model)


def is_oct(user: AnyUser) -> bool:
    """The OCT secretariat runs the Compact's processes. Being a site administrator
    (``is_superuser``) grants nothing here: every workflow right comes from a role."""
    return user.is_authenticated and user.is_active and user_has_role(user, Role.OCT)


def is_usg(user: AnyUser) -> bool:
    """The Under-Secretary-General, who chairs the Committee and leads the Compact (a role, as OCT's)."""
    return user.is_authenticated and user.is_active and user_has_role(user, Role.USG)


def objects_permitted(user: AnyUser, permission: str, model: type[M]) -> QuerySet[M]:
    """The objects of ``model`` on which ``user`` holds ``permission`` (guardian), granted to
    them or to one of their groups.

    Neither ``is_superuser`` nor a model-wide permission counts: Django's ``has_perm`` answers
    True to any superuser, which let a site administrator act as every group's chair."""
    if not user.is_authenticated or not user.is_active:
        return model.objects.none()
    # Building guardian's query costs more than running it, and a page asks for the same one
    # many times (the menu's count of tasks alone asked six times for a chair). The query is
    # lazy — it reads the permission tables when it runs — so a copy of the one built earlier
    # for this user object is never stale: a grant made since is seen.
    built: dict[tuple[str, type], QuerySet] = user.__dict__.setdefault("_compact_objects_permitted", {})
    if (permission, model) not in built:
        built[permission, model] = get_objects_for_user(
            user, permission, klass=model, with_superuser=False, accept_global_perms=False
        )
    return built[permission, model].all()


def users_holding(permission: str, obj: Model) -> set[int]:
    """The ids of the users who hold ``permission`` on ``obj`` (themselves or through a group;
    being a superuser does not count)."""
    codename = permission.split(".")[-1]
    holders = get_users_with_perms(obj, only_with_perms_in=[codename], with_superusers=False, with_group_users=True)
    return set(holders.values_list("pk", flat=True))


def holds_object_permission(user: AnyUser, permission: str, obj: Model) -> bool:
    """Whether ``user`` holds ``permission`` on ``obj`` itself (see ``objects_permitted``)."""
    return objects_permitted(user, permission, type(obj)).filter(pk=obj.pk).exists()


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


def readable_levels(user: AnyUser) -> list[str]:
    """The classifications ``user`` may read (none for a visitor), for ``classification__in``."""
    return [level for level in Classification.values if can_read_classification(user, level)]
