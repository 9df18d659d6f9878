"""Who reads the resource-mobilisation view: OCT, which mobilises resources for the Compact
(objective IV(h)), and the USG who leads it. Every line is further limited by classification."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct
from compact.core.roles import Role, user_has_role


def can_read_resources(user: AnyUser) -> bool:
    return is_oct(user) or (user.is_authenticated and user.is_active and user_has_role(user, Role.USG))
