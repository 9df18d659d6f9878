"""Who reads and who keeps the Trust Fund's donors, contributions and earmarks."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct


def can_read_trust_fund(user: AnyUser) -> bool:
    """Everyone signed in: the contributors are public facts; each contribution and earmark is
    further limited by its classification."""
    return user.is_authenticated and user.is_active


def can_manage_trust_fund(user: AnyUser) -> bool:
    """OCT records contributions (pledged and received) and earmarks them."""
    return is_oct(user)
