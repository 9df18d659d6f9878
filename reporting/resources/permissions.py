"""Who reads the resource-mobilisation view: OCT, which mobilises resources for the Compact
(objective IV(h)), and the USG who leads it. Every line is further limited by classification."""

from __future__ import annotations

from compact.core.permissions import AnyUser, is_oct, is_usg


def can_read_resources(user: AnyUser) -> bool:
    return is_oct(user) or is_usg(user)
