"""Small helpers shared by tests (set-up data lives in factories.py, personas in conftest.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from compact.models import User


def fresh(user: User) -> User:
    """The user reloaded: drops Django's and guardian's permission caches and cached roles."""
    return User.objects.get(pk=user.pk)


def user_change_form(user: User, **overrides: Any) -> dict[str, Any]:
    """The POST data of the admin's change form for ``user`` with its profile inline, as it
    stands; ``overrides`` replace fields (e.g. ``groups=[...]``, ``**{"profile-0-entity": "3"}``)."""
    joined = timezone.localtime(user.date_joined)
    profile = user.profile
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S.%f"),
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(user.pk),
        "profile-0-entity": str(profile.entity_id or ""),
        "profile-0-title": profile.title,
        "profile-0-clearance": profile.clearance,
    }
    return {**data, **overrides}
