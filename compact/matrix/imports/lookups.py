"""What the names of a matrix file resolve to, looked up once per file.

A file of 10,000 rows names the same forty entities, a few organizations and working groups,
and the same countries again and again; resolving each row's names with its own queries made
the dry run cost some thirty queries a row. An ``ImportLookups`` lives for one reading of one
file (the preview, or the commit's second reading): it reads the registry's names (entities,
organizations, their aliases, the names OCT said are no entity) in five queries the first time
a name is asked, and answers every name from them as ``mention_resolve`` answers it (same
order of precedence, same case-insensitive, whitespace-tolerant matching, the first row in the
models' order when two match); scope pieces, places and working groups are asked once each.
It is not shared between files or requests, so an alias OCT adds is seen by the next file.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

from django.db.models import Model, QuerySet

from compact.lib.places import PlaceResult, not_a_place, places_resolve
from compact.lib.places import regions as known_regions
from compact.matrix.mentions import Mention, ScopePiece
from compact.matrix.models import NonEntityName
from compact.registry.models import Entity, EntityAlias, Organization, OrganizationAlias
from workinggroups.models import WorkingGroup


def _key(name: str) -> str:
    """A name as ``__iexact`` compares it (PostgreSQL's UPPER on both sides), its spaces
    collapsed as the resolvers collapse them."""
    return " ".join(name.split()).upper()


def _in_first_order(queryset: QuerySet) -> QuerySet:
    """The rows in the order ``.first()`` takes them: the model's ordering, else the id."""
    return queryset if queryset.ordered else queryset.order_by("pk")


def _first_by(rows: QuerySet, *names: str) -> dict[str, Model]:
    """Each key of ``names``' values to the first row (in ``.first()``'s order) having it."""
    found: dict[str, Model] = {}
    for row in _in_first_order(rows):
        for name in names:
            found.setdefault(_key(str(getattr(row, name))), row)
    return found


class RegistryNames:
    """The registry's names in dicts: ``entity_resolve``, ``organization_resolve`` and the
    "not an entity" check of ``mention_resolve`` without a query a name."""

    def __init__(self) -> None:
        self.entity_acronyms = _first_by(Entity.objects.all(), "acronym")
        self.entity_aliases = {
            key: alias.entity for key, alias in _first_by(EntityAlias.objects.select_related("entity"), "name").items()
        }
        self.entity_names = _first_by(Entity.objects.all(), "name")
        self.organizations = _first_by(Organization.objects.all(), "acronym", "name")
        self.organization_aliases = {
            key: alias.organization
            for key, alias in _first_by(OrganizationAlias.objects.select_related("organization"), "name").items()
        }
        self.not_entities = {_key(name) for name in NonEntityName.objects.values_list("name", flat=True)}

    def mention(self, name: str) -> Mention:
        """``mention_resolve(name)``: entities first (acronym, alias, name), then
        organizations (acronym or name, alias), else whether OCT said it is no entity."""
        key = _key(name)
        if not key:  # the resolvers match no entity or organization to an empty name
            return Mention(name, not_an_entity=key in self.not_entities)
        entity = self.entity_acronyms.get(key) or self.entity_aliases.get(key) or self.entity_names.get(key)
        if entity is not None:
            return Mention(name, entity=entity)
        organization = self.organizations.get(key) or self.organization_aliases.get(key)
        if organization is not None:
            return Mention(name, organization=organization)
        return Mention(name, not_an_entity=key in self.not_entities)


class ImportLookups:
    """The answers of one file's lookups, by the text as the file writes it."""

    def __init__(self) -> None:
        self._mentions: dict[str, Mention] = {}
        self._scope_pieces: dict[str, ScopePiece] = {}
        self._places: dict[str, PlaceResult] = {}
        self._groups: dict[str, WorkingGroup | None] = {}
        self._choices: dict[type, tuple[frozenset[str], dict[str, str]]] = {}

    @cached_property
    def registry(self) -> RegistryNames:
        return RegistryNames()

    def mention(self, name: str) -> Mention:
        """``mention_resolve(name)``; a copy, so that no row shares another row's mention."""
        if name not in self._mentions:
            self._mentions[name] = self.registry.mention(name)
        return dataclasses.replace(self._mentions[name])

    def scope_piece(self, text: str) -> ScopePiece:
        """``scope_piece_read(text)`` (a piece of scope text the place reader did not know)."""
        if text not in self._scope_pieces:
            mention = self.registry.mention(text)
            self._scope_pieces[text] = ScopePiece(text, mention, None if mention.is_linked else not_a_place(text))
        piece = self._scope_pieces[text]
        return dataclasses.replace(piece, mention=dataclasses.replace(piece.mention))

    def places(self, text: str) -> PlaceResult:
        """``places_resolve(text)``: pure, but it scans the text, and files repeat their scopes."""
        if text not in self._places:
            self._places[text] = places_resolve(text)
        return self._places[text]

    def working_group(self, value: str) -> WorkingGroup | None:
        """The working group a theme cell names: its reference code, else the number of an
        active group."""
        if value not in self._groups:
            group = WorkingGroup.objects.filter(code=value).first()
            if group is None and value.isdigit():
                group = WorkingGroup.objects.filter(number=int(value), retired_on__isnull=True).first()
            self._groups[value] = group
        return self._groups[value]

    def choice_codes(self, choices: type) -> tuple[frozenset[str], dict[str, str]]:
        """A choices class's codes, and its labels (lower case, in the reader's language) to
        its codes: a cell may give either ("ongoing", "Ongoing", "En cours")."""
        if choices not in self._choices:
            labels = {str(label).lower(): code for code, label in choices.choices}
            self._choices[choices] = (frozenset(choices.values), labels)
        return self._choices[choices]

    @cached_property
    def country_codes(self) -> set[str]:
        from django_countries import countries

        return set(dict(countries))

    @cached_property
    def country_names(self) -> dict[str, str]:
        """English (or current-language) country names, lower case, to their codes."""
        from django_countries import countries

        return {str(name).lower(): code for code, name in dict(countries).items()}

    @cached_property
    def region_codes(self) -> set[str]:
        return {region.code for region in known_regions()}
