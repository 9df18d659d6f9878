"""The Global Compact Coordination Committee, derived from the registry (Annex III, III.b).

Never stored: its chair is the USG for Counter-Terrorism (head of UNOCT), CTED has a seat,
and the rest are the chairs and vice-chairs of the working groups active on the day asked.
Change a working group's chair and the Committee changes with it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.roles import Role
from compact.registry.models import Entity
from compact.registry.selectors import entity_resolve
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.selectors import assignments_in_force

User = get_user_model()


SECRETARIAT_ACRONYM = "UNOCT"


CTED_ACRONYM = "CTED"


class SeatKind(TextChoices):
    CHAIR = "chair", _("Chair (Under-Secretary-General for Counter-Terrorism)")
    CTED = "cted", _("Seat of the Counter-Terrorism Committee Executive Directorate")
    GROUP_CHAIR = "group-chair", _("Working-group chair")
    GROUP_VICE_CHAIR = "group-vice-chair", _("Working-group vice-chair")


@dataclass(frozen=True)
class Seat:
    kind: SeatKind
    entity: Entity | None
    person: AbstractBaseUser | None
    working_group: WorkingGroup | None = None
    since: datetime.date | None = None
    evidence: str = ""

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass(frozen=True)
class Committee:
    on: datetime.date
    seats: list[Seat]

    @property
    def entities(self) -> list[Entity]:
        """Distinct entities with at least one seat, by acronym."""
        unique = {seat.entity.pk: seat.entity for seat in self.seats if seat.entity is not None}
        return sorted(unique.values(), key=lambda entity: entity.acronym.lower())

    @property
    def chair(self) -> Seat:
        return self.seats[0]


def _holder_of(role: Role, entity: Entity | None) -> AbstractBaseUser | None:
    """The active person holding ``role`` for ``entity``; the current holder (not dated)."""
    people = User.objects.filter(is_active=True, groups__name=role.value).select_related("profile")
    if entity is not None:
        people = people.filter(profile__entity=entity)
    return people.order_by("pk").first()


def _group_seat(assignment: RoleAssignment) -> Seat:
    kind = SeatKind.GROUP_CHAIR if assignment.role == RoleAssignment.Role.CHAIR else SeatKind.GROUP_VICE_CHAIR
    return Seat(
        kind=kind,
        entity=assignment.entity,
        person=assignment.person,
        working_group=assignment.working_group,
        since=assignment.starts_on,
        evidence=assignment.evidence,
    )


def committee_on(day: datetime.date | None = None) -> Committee:
    """The Committee as it stood on ``day`` (today by default)."""
    day = day or timezone.localdate()
    secretariat = entity_resolve(SECRETARIAT_ACRONYM)
    cted = entity_resolve(CTED_ACRONYM)
    seats = [
        Seat(kind=SeatKind.CHAIR, entity=secretariat, person=_holder_of(Role.USG, secretariat)),
        Seat(kind=SeatKind.CTED, entity=cted, person=_holder_of(Role.COMMITTEE_MEMBER, cted)),
    ]
    leading = (
        assignments_in_force(on=day, groups=WorkingGroup.objects.active_on(day))
        .leading()
        .order_by("working_group__number", "role", "entity__acronym")
    )
    seats.extend(_group_seat(assignment) for assignment in leading)
    return Committee(on=day, seats=seats)
