"""Loading the Compact's starting roster from the data files in ``data/reference/``.

The files are a starting point that the secretariat corrects in the product, so by default
the loader only adds what is missing and never overwrites a record; ``update=True`` applies
changed values from the files to entities and groups. Running it twice changes nothing and
writes no audit rows. Names in the files resolve through entity aliases (DPI → DGC).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from compact.core.roles import roles_ensure_groups
from compact.funding.services import contribution_record, donor_ensure
from compact.lib.csvfiles import ReferenceFileError, Row, read_rows
from compact.lib.languages import supported_language
from compact.registry.models import Entity, Evidence, Organization
from compact.registry.selectors import entity_resolve, organization_resolve
from compact.registry.services import (
    entity_alias_add,
    entity_create,
    entity_update,
    membership_record,
    organization_alias_add,
    organization_create,
)
from reporting.reorganisation.services import reorganisation_load
from workinggroups.models import RoleAssignment, WorkingGroup
from workinggroups.services import role_assign, workinggroup_create, workinggroup_update

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "data" / "reference"


@dataclass
class LoadReport:
    """What a load did, per kind of record: created / updated / unchanged, plus warnings."""

    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind} {outcome}"] += 1

    @property
    def changed(self) -> int:
        return sum(n for key, n in self.counts.items() if not key.endswith("unchanged"))

    def lines(self) -> list[str]:
        return [f"{key}: {n}" for key, n in sorted(self.counts.items())] + [f"warning: {w}" for w in self.warnings]


def _evidence(row: Row) -> str:
    value = row["evidence"] or Evidence.UNVERIFIED
    if value not in Evidence.values:
        raise ReferenceFileError(f"{row.where()}: unknown evidence {value!r}")
    return value


def _translations(path: Path, key: str, fields: tuple[str, ...], keep: str | None = None) -> dict[str, dict]:
    """{key: {language: {field: text}}} from a names file (entity_names.csv, working_group_names.csv);
    with ``keep``, only the rows whose ``keep`` column says "yes" (official names). A file that
    is not there gives none: the names stay English."""
    names: dict[str, dict] = {}
    if not path.is_file():
        return names
    for row in read_rows(path, (key, "language", *fields)):
        language = supported_language(row["language"])
        if language is None:
            raise ReferenceFileError(f"{row.where()}: unknown language {row['language']!r}")
        if keep and row[keep].lower() != "yes":
            continue
        texts = {field: row[field] for field in fields if row[field]}
        if texts:
            names.setdefault(row[key].lower(), {})[language] = texts
    return names


def _names_merged(current: dict, loaded: dict, update: bool) -> dict:
    # An update takes the file's names; otherwise only languages the record has none in are added,
    # so a name OCT corrected in the product is kept.
    return {**current, **loaded} if update else {**loaded, **current}


def _load_entities(data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None, update: bool) -> None:
    official = _translations(data_dir / "entity_names.csv", "acronym", ("name",), keep="official")
    for row in read_rows(data_dir / "entities.csv", ("acronym", "name", "kind", "evidence", "note")):
        if row["kind"] not in Entity.Kind.values:
            raise ReferenceFileError(f"{row.where()}: unknown kind {row['kind']!r}")
        values = {"name": row["name"], "kind": row["kind"], "evidence": _evidence(row), "note": row["note"]}
        names = official.get(row["acronym"].lower(), {})
        entity = entity_resolve(row["acronym"])
        if entity is None:
            entity_create(acronym=row["acronym"], actor=actor, name_translations=names, **values)
            report.count("entities", "created")
            continue
        merged = _names_merged(entity.name_translations, names, update)
        changes = {**values, "name_translations": merged} if update else {"name_translations": merged}
        if entity_update(entity=entity, actor=actor, **changes):
            report.count("entities", "updated")
        else:
            report.count("entities", "unchanged")


def _entity_or_warn(row: Row, column: str, report: LoadReport) -> Entity | None:
    entity = entity_resolve(row[column])
    if entity is None:
        report.warnings.append(f"{row.where()}: unknown entity {row[column]!r}, row skipped")
    return entity


def _load_aliases(data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None) -> None:
    for row in read_rows(data_dir / "entity_aliases.csv", ("entity", "alias", "kind", "used_until", "note")):
        entity = _entity_or_warn(row, "entity", report)
        if entity is None:
            continue
        existing = entity_resolve(row["alias"])
        if existing == entity:
            report.count("aliases", "unchanged")
        elif existing is not None:
            report.warnings.append(f"{row.where()}: {row['alias']!r} already names {existing}, row skipped")
        else:
            entity_alias_add(
                entity=entity,
                name=row["alias"],
                kind=row["kind"],
                used_until=row.date("used_until"),
                note=row["note"],
                actor=actor,
            )
            report.count("aliases", "created")


def _load_organizations(data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None) -> None:
    """Bodies the matrix names that are not party to the Compact (organizations.csv, with a
    source for each): added when missing, with their other names; never members."""
    path = data_dir / "organizations.csv"
    if not path.is_file():
        return
    for row in read_rows(path, ("acronym", "name", "kind", "aliases", "source")):
        if row["kind"] not in Organization.Kind.values:
            raise ReferenceFileError(f"{row.where()}: unknown kind {row['kind']!r}")
        organization = organization_resolve(row["acronym"])
        if organization is None:
            if entity_resolve(row["acronym"]) is not None:
                report.warnings.append(f"{row.where()}: {row['acronym']!r} is a Compact entity, row skipped")
                continue
            organization = organization_create(
                acronym=row["acronym"], name=row["name"], kind=row["kind"], source=row["source"], actor=actor
            )
            report.count("organizations", "created")
        else:
            report.count("organizations", "unchanged")
        for alias in filter(None, (a.strip() for a in row["aliases"].split(";"))):
            if organization_resolve(alias) is None and entity_resolve(alias) is None:
                organization_alias_add(organization=organization, name=alias, actor=actor)
                report.count("organization aliases", "created")


def _load_memberships(data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None) -> None:
    columns = ("entity", "status", "effective_from", "signed_on", "evidence", "source_note")
    for row in read_rows(data_dir / "memberships.csv", columns):
        entity = _entity_or_warn(row, "entity", report)
        if entity is None:
            continue
        if entity.memberships.filter(effective_from=row.date("effective_from")).exists():
            report.count("membership entries", "unchanged")
            continue
        membership_record(
            entity=entity,
            status=row["status"],
            effective_from=row.date("effective_from"),
            signed_on=row.date("signed_on"),
            evidence=_evidence(row),
            source_note=row["source_note"],
            actor=actor,
        )
        report.count("membership entries", "created")


def _find_group(code: str, name: str) -> WorkingGroup | None:
    """The group a file row describes: by its stable code, whatever it was renamed or
    renumbered to since; else a group of that name that no import has claimed yet."""
    group = WorkingGroup.objects.filter(code=code).first()
    if group is None:
        unclaimed = WorkingGroup.objects.filter(code__isnull=True).annotate(lname=Lower("name"))
        group = unclaimed.filter(lname=name.lower()).first()
    return group


def _load_groups(
    data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None, update: bool
) -> dict[int, WorkingGroup]:
    """Create or match each group in the file; returns them by their number in the file."""
    loaded: dict[int, WorkingGroup] = {}
    translated_names = _translations(data_dir / "working_group_names.csv", "code", ("name", "short_name"))
    for row in read_rows(
        data_dir / "working_groups.csv", ("number", "name", "short_name", "established_on", "evidence")
    ):
        number = int(row["number"])
        values = {
            "short_name": row["short_name"],
            "established_on": row.date("established_on"),
            "evidence": _evidence(row),
        }
        names = translated_names.get(row["code"].lower(), {})
        group = _find_group(row["code"], row["name"])
        if group is None:
            try:
                group = workinggroup_create(
                    code=row["code"], number=number, name=row["name"], actor=actor, name_translations=names, **values
                )
            except ValidationError as error:
                report.warnings.append(f"{row.where()}: {'; '.join(error.messages)} Row skipped.")
                continue
            report.count("working groups", "created")
        else:
            merged = _names_merged(group.name_translations, names, update)
            changes = {**values, "name_translations": merged} if update else {"name_translations": merged}
            if workinggroup_update(group=group, actor=actor, **changes):
                report.count("working groups", "updated")
            else:
                report.count("working groups", "unchanged")
        loaded[number] = group
    return loaded


def _load_roles(
    data_dir: Path, groups: dict[int, WorkingGroup], report: LoadReport, actor: AbstractBaseUser | None
) -> None:
    columns = ("working_group", "entity", "role", "starts_on", "evidence", "note")
    for row in read_rows(data_dir / "working_group_roles.csv", columns):
        if row["role"] not in RoleAssignment.Role.values:
            raise ReferenceFileError(f"{row.where()}: unknown role {row['role']!r}")
        entity = _entity_or_warn(row, "entity", report)
        group = groups.get(int(row["working_group"]))
        if entity is None or group is None:
            if group is None:
                report.warnings.append(f"{row.where()}: no working group {row['working_group']}, row skipped")
            continue
        if group.assignments.filter(entity=entity, role=row["role"]).exists():
            report.count("role assignments", "unchanged")
            continue
        try:
            role_assign(
                group=group,
                entity=entity,
                role=row["role"],
                starts_on=row.date("starts_on"),
                evidence=_evidence(row),
                note=row["note"][:255],
                actor=actor,
            )
        except ValidationError as error:
            report.warnings.append(f"{row.where()}: {'; '.join(error.messages)} Row skipped.")
            continue
        report.count("role assignments", "created")


def _load_trust_fund(data_dir: Path, report: LoadReport, actor: AbstractBaseUser | None) -> None:
    """The Trust Fund's contributors (trust_fund_contributors.csv: A/72/840, Annex V, ranked
    largest first without amounts), each with its source and evidence mark."""
    path = data_dir / "trust_fund_contributors.csv"
    if not path.is_file():
        return
    for row in read_rows(path, ("rank", "donor", "code", "kind", "year", "evidence", "source")):
        if not (row["rank"].isdigit() and row["year"].isdigit()):
            raise ReferenceFileError(f"{row.where()}: rank and year must be whole numbers")
        try:
            donor, created = donor_ensure(
                code=row["code"],
                name=row["donor"],
                kind=row["kind"],
                evidence=_evidence(row),
                source=row["source"],
                actor=actor,
            )
            report.count("trust fund donors", "created" if created else "unchanged")
            _, recorded = contribution_record(
                donor=donor,
                year=int(row["year"]),
                rank=int(row["rank"]),
                evidence=_evidence(row),
                source=row["source"],
                actor=actor,
            )
        except ValidationError as error:
            raise ReferenceFileError(f"{row.where()}: {'; '.join(error.messages)}") from error
        report.count("trust fund contributions", "created" if recorded else "unchanged")


def _load_reorganisations(data_dir: Path, report: LoadReport) -> None:
    """Reorganisations known from sources (reorganisations.csv, with their new groups in
    reorganisation_groups.csv and their lines in reorganisation_mappings.csv), loaded as drafts
    for OCT to check and adopt: every fact keeps its source and evidence mark, and what no
    source confirms is marked unverified (and badged on the page)."""
    path = data_dir / "reorganisations.csv"
    if not path.is_file():
        return
    groups: dict[str, list[dict]] = {}
    for row in read_rows(
        data_dir / "reorganisation_groups.csv", ("reorganisation", "number", "name", "short_name", "evidence", "source")
    ):
        if not row["number"].isdigit() or not row["source"]:
            raise ReferenceFileError(f"{row.where()}: a new group needs its number and a source")
        groups.setdefault(row["reorganisation"], []).append(
            {
                "number": int(row["number"]),
                "name": row["name"],
                "short_name": row["short_name"],
                "evidence": _evidence(row),
            }
        )
    lines: dict[str, list[dict]] = {}
    missing: dict[str, str] = {}
    for row in read_rows(
        data_dir / "reorganisation_mappings.csv", ("reorganisation", "old_group", "new_groups", "evidence", "source")
    ):
        numbers = [int(n) for n in row["new_groups"].split(";") if n.strip().isdigit()]
        if not row["source"]:
            raise ReferenceFileError(f"{row.where()}: a line needs a source")
        source = WorkingGroup.objects.filter(code=row["old_group"]).first()
        if source is None:
            # The roster here is not the reference one (the secretariat changed it): the line,
            # and so its reorganisation, cannot be placed.
            missing.setdefault(row["reorganisation"], row["old_group"])
            continue
        lines.setdefault(row["reorganisation"], []).append(
            {"source": source, "numbers": numbers, "evidence": _evidence(row), "note": row["source"]}
        )
    for row in read_rows(path, ("key", "title", "effective_on", "evidence", "source", "rationale")):
        if row["key"] in missing:
            code = missing[row["key"]]
            report.warnings.append(f"reorganisation {row['key']!r} not loaded: no working group has the code {code!r}")
            continue
        try:
            _, created = reorganisation_load(
                key=row["key"],
                title=row["title"],
                effective_on=datetime.date.fromisoformat(row["effective_on"]),
                evidence=_evidence(row),
                source=row["source"],
                rationale=row["rationale"],
                groups=groups.get(row["key"], []),
                mappings=lines.get(row["key"], []),
            )
        except (ValueError, ValidationError) as error:
            raise ReferenceFileError(f"{row.where()}: {error}") from error
        report.count("reorganisations (drafts)", "created" if created else "unchanged")


@transaction.atomic
def reference_load(
    *, data_dir: Path = DEFAULT_DATA_DIR, actor: AbstractBaseUser | None = None, update: bool = False
) -> LoadReport:
    """Load the roster in one transaction: a bad file loads nothing."""
    report = LoadReport()
    roles_ensure_groups()
    _load_entities(data_dir, report, actor, update)
    _load_aliases(data_dir, report, actor)
    _load_organizations(data_dir, report, actor)
    _load_memberships(data_dir, report, actor)
    groups = _load_groups(data_dir, report, actor, update)
    _load_roles(data_dir, groups, report, actor)
    _load_trust_fund(data_dir, report, actor)
    _load_reorganisations(data_dir, report)
    return report
