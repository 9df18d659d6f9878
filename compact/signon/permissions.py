"""Who reviews sign-on requests."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct


def can_review_signon(user: AnyUser) -> bool:
    """Sign-on requests are reviewed and decided by the OCT secretariat alone."""
    return is_oct(user)
