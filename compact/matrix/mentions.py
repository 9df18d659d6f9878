"""How a name the matrix gives for an implementer, or a piece of its scope column, is read:
a Compact entity (directly, or through a unit or alias: "MINUSMA" → DPO), an organization not
party to the Compact ("PAM" → WFP, "EU"), a name OCT said is no entity, or unresolved.
Used by the import (``compact.matrix.imports.files``) and the data-quality figures."""

from __future__ import annotations

from dataclasses import dataclass

from compact.lib.places import not_a_place
from compact.matrix.models import NonEntityName
from compact.registry.models import Entity, Organization
from compact.registry.selectors import entity_resolve, organization_resolve


@dataclass
class Mention:
    name: str  # as written
    entity: Entity | None = None
    organization: Organization | None = None
    not_an_entity: bool = False

    @property
    def is_linked(self) -> bool:
        return self.entity is not None or self.organization is not None

    @property
    def is_settled(self) -> bool:
        """Linked, or consciously left unlinked by OCT."""
        return self.is_linked or self.not_an_entity


def mention_resolve(name: str) -> Mention:
    """What a name as written refers to; entities first (a unit resolves to its parent)."""
    entity = entity_resolve(name)
    if entity is not None:
        return Mention(name, entity=entity)
    organization = organization_resolve(name)
    if organization is not None:
        return Mention(name, organization=organization)
    return Mention(name, not_an_entity=NonEntityName.objects.filter(name__iexact=" ".join(name.split())).exists())


@dataclass
class ScopePiece:
    """A piece of the scope column the place reader did not recognise, and what it is."""

    text: str
    mention: Mention
    not_a_place_reason: str | None

    @property
    def is_settled(self) -> bool:
        return self.mention.is_linked or self.not_a_place_reason is not None


def scope_piece_read(text: str) -> ScopePiece:
    """ "APG", "OSCE": an organization (a partner, not a place); "missions with a police
    component": consciously not a place; anything else stays unresolved."""
    mention = mention_resolve(text)
    return ScopePiece(text, mention, None if mention.is_linked else not_a_place(text))
