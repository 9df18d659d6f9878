"""Who may do what with a reorganisation of the working groups. Every rule lives here.

- OCT drafts, previews, withdraws and records the adoption (four eyes: whoever changed the
  draft does not record its adoption).
- The Committee (the USG, Committee members, chairs and vice-chairs), who decide it, read the
  drafts and the withdrawn ones.
- Everyone who reads the working groups reads an adopted reorganisation: it is their structure.
- Anyone else: nothing (404).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.core.permissions import is_oct
from compact.registry.permissions import can_read_registry
from reporting.reorganisation.models import Reorganisation
from reporting.submissions.permissions import reads_for_committee

AnyUser = AbstractBaseUser | AnonymousUser


def can_manage_reorganisations(user: AnyUser) -> bool:
    return is_oct(user)


def can_read_reorganisation_drafts(user: AnyUser) -> bool:
    return is_oct(user) or reads_for_committee(user)


def can_read_reorganisations(user: AnyUser) -> bool:
    return can_read_registry(user)


def can_read_reorganisation(user: AnyUser, reorganisation: Reorganisation) -> bool:
    if reorganisation.state == Reorganisation.State.ADOPTED:
        return can_read_reorganisations(user)
    return can_read_reorganisation_drafts(user)
