"""Who prepares briefings to Member States."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct


def can_manage_briefings(user: AnyUser) -> bool:
    """The OCT secretariat records the USG's briefings to Member States and publishes their
    summaries; nobody else sees these pages."""
    return is_oct(user)
