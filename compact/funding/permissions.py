"""Who reads the Trust Fund's donors and contributions."""

from __future__ import annotations

from compact.core.permissions import AnyUser


def can_read_trust_fund(user: AnyUser) -> bool:
    """Everyone signed in: the contributors are public facts; each contribution is further
    limited by its classification."""
    return user.is_authenticated and user.is_active
