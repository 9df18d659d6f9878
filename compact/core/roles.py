"""The roles people hold in the Compact, kept as Django groups.

Group names are the stable keys; the labels are what users see. A data migration creates
the groups, and ``roles_ensure_groups`` repairs them if someone deletes one in the admin.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OCT = "OCT secretariat", _("OCT secretariat")
    USG = "USG", _("Under-Secretary-General (Committee chair)")
    COMMITTEE_MEMBER = "Committee member", _("Coordination Committee member")
    CHAIR = "Working-group chair", _("Working-group chair or vice-chair")
    FOCAL_POINT = "Entity focal point", _("Entity focal point")


def roles_ensure_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The roles a user holds, read once per user object (a request's user is reused)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_compact_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._compact_roles = cached
    return cached


def user_has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)


def role_emails(role: Role) -> list[str]:
    """The addresses of the active people who hold ``role``, for an e-mail to everyone in it."""
    people = get_user_model().objects.filter(is_active=True, groups__name=role.value).exclude(email="")
    return list(dict.fromkeys(people.order_by("pk").values_list("email", flat=True)))


def user_roles_forget(user: AbstractBaseUser) -> None:
    """Drop the cached roles after a service changed the user's groups."""
    user.__dict__.pop("_compact_roles", None)


def user_roles_stored(user: AbstractBaseUser) -> set[Role]:
    """The roles stored for ``user`` right now, read from the database (no cache)."""
    names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
    return {Role(name) for name in names}
