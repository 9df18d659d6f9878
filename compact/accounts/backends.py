"""The user of a request, read with their profile.

Every page and API call asks what the reader's clearance is (``compact.core.permissions
.user_clearance``) — the clearance lives on the profile — and which entity they belong to.
Django's ``ModelBackend`` reads the user alone, so the first of those checks cost a second
query on every request; this backend reads both in one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    """``ModelBackend`` (passwords, model permissions), whose ``get_user`` — the one call that
    turns a session into its user — joins the profile. Sign-in itself is unchanged."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("profile")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
