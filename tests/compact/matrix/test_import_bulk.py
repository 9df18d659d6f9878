"""The bulk import (issue 19) writes exactly what the row-by-row import wrote: the same
projects, links, mentions, theme suggestions, warnings and audit rows; it refuses what it
refused, with the same messages; importing twice changes nothing; and its queries do not grow
with the rows of the file."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compact.core.audit import audit_record
from compact.core.models import AuditEvent
from compact.matrix.imports.files import TEMPLATE_HEADER
from compact.matrix.imports.lookups import ImportLookups
from compact.matrix.imports.mentions import project_mentions_sync
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.mentions import mention_resolve, scope_piece_read
from compact.matrix.models import (
    MatrixImport,
    NonEntityName,
    Project,
    ProjectMention,
    ProjectPillar,
    ThemeSuggestion,
)
from compact.matrix.services import project_save, project_state
from compact.matrix.themes import project_themes_suggest
from compact.registry.models import Entity, EntityAlias, Organization, OrganizationAlias
from tests.helpers import oct_person

SEED = Path(__file__).resolve().parents[3] / "data" / "seed" / "a72-840-ctitf-matrix.txt"


@pytest.fixture
def importer(registry):  # the real registry, with its aliases (UNCCT → UNOCT, MINUSMA → DPO …)
    return oct_person("importer", "strictly-confidential")


# --- The row-by-row import, as it was before issue 19: the reference ------------------------------


@transaction.atomic
def commit_row_by_row(*, data: bytes, file_name: str, actor: Any) -> MatrixImport:
    """The commit before issue 19: every row through ``project_save`` and
    ``project_mentions_sync``, then every project's theme suggestions one by one."""
    preview = matrix_import_preview(data=data, file_name=file_name, actor=actor)
    if not preview.ok:
        raise ValidationError(preview.errors)
    batch = MatrixImport.objects.create(
        file_name=file_name,
        sha256=preview.sha256,
        file_format=preview.file_format,
        imported_by=actor,
        reconciliation=preview.reconciliation,
    )
    existing = {p.source_key: p for p in Project.objects.filter(source_key__in=[r.key for r in preview.rows])}
    for row in preview.rows:
        if row.action == "unchanged":
            project_mentions_sync(project=existing[row.key], mentions=row.mentions)
            continue
        project = project_save(
            project=existing.get(row.key),
            actor=None,
            imported_by=actor,
            fields=row.fields,
            partner_entities=row.partners,
            themes=row.themes if preview.file_format != "report" else None,
            countries=row.countries,
            regions=row.regions,
            source={"source_key": row.key, "source_import": batch},
        )
        project_mentions_sync(project=project, mentions=row.mentions)
    for project in Project.objects.filter(source_key__in=[r.key for r in preview.rows]):
        project_themes_suggest(project=project)
    counts = preview.counts
    batch.created, batch.updated, batch.unchanged = counts["create"], counts["update"], counts["unchanged"]
    batch.warnings = preview.warnings + [f"{row.key}: {w}" for row in preview.rows for w in row.warnings]
    batch.save(update_fields=["created", "updated", "unchanged", "warnings"])
    audit_record(
        actor=actor, verb="matrix.imported", obj=batch, after={"file": file_name, "sha256": preview.sha256, **counts}
    )
    return batch


def commit_bulk(*, data: bytes, file_name: str, actor: Any) -> MatrixImport:
    preview = matrix_import_preview(data=data, file_name=file_name, actor=actor)
    return matrix_import_commit(data=data, file_name=file_name, sha256=preview.sha256, actor=actor)


def by_project(rows: Any) -> defaultdict[int, list[tuple[Any, ...]]]:
    """``rows`` (``values_list("project_id", ...)``) grouped by project, in their order."""
    grouped: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for project_id, *values in rows:
        grouped[project_id].append(tuple(values))
    return grouped


def world() -> dict[str, Any]:
    """Everything an import writes, without ids or times: projects by key with their state,
    links, mentions and suggestions; the imports; every audit row, its object by key. Each
    project's state is read by ``project_state``, one project at a time (the reference the
    bulk import's ``project_states`` answers like); its pillars, mentions and suggestions are
    read for all the projects at once (three queries, not three a project)."""
    keys = dict(Project.objects.values_list("pk", "source_key"))
    pillars = by_project(ProjectPillar.objects.values_list("project_id", "pillar"))
    mentions = by_project(
        ProjectMention.objects.order_by("project_id", "position").values_list(
            "project_id", "position", "name", "entity_id", "organization_id", "not_an_entity"
        )
    )
    suggestions = by_project(
        ThemeSuggestion.objects.values_list("project_id", "working_group__code", "score", "reasons", "fallback")
    )
    projects = {}
    for project in Project.objects.select_related("source_import", "updated_by"):
        projects[project.source_key] = {
            **project_state(project),
            "pillar_rows": sorted(pillar for (pillar,) in pillars[project.pk]),
            "source_import": project.source_import.sha256 if project.source_import else None,
            "updated_by": project.updated_by_id,
            "themes_confirmed_at": project.themes_confirmed_at,
            "mentions": mentions[project.pk],
            "suggestions": sorted(suggestions[project.pk], key=repr),
        }
    imports = list(
        MatrixImport.objects.order_by("id").values_list(
            "file_name", "sha256", "file_format", "imported_by", "created", "updated", "unchanged", "warnings"
        )
    )
    audit = sorted(
        (
            (
                e.verb,
                e.actor_id,
                e.actor_label,
                e.classification,
                e.content_type_id,
                keys.get(int(e.object_id)) if e.verb.startswith("project.") else e.object_repr,
                e.object_repr,
                e.before,
                e.after,
                e.note,
            )
            for e in AuditEvent.objects.all()
        ),
        key=repr,
    )
    return {"projects": projects, "imports": imports, "audit": audit}


def both_ways(*, base: bytes | None, data: bytes, actor: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the world after the row-by-row commit of ``data``, after the bulk commit), each from
    the same state: ``base`` imported first."""
    if base is not None:
        commit_bulk(data=base, file_name="base.csv", actor=actor)
    savepoint = transaction.savepoint()
    commit_row_by_row(data=data, file_name="file.csv", actor=actor)
    expected = world()
    transaction.savepoint_rollback(savepoint)
    commit_bulk(data=data, file_name="file.csv", actor=actor)
    return expected, world()


def template(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def row(key: str, **values: str) -> dict[str, str]:
    return {"key": key, "title": f"Project {key}", "status": "ongoing", **values}


BASE = [
    row("k-upd", lead_entity="UNODC", partner_entities="CTED", countries="JO", pillars="I", themes="1"),
    row("k-same", lead_entity="UNOCT", countries="TN;MA", regions="sahel", pillars="II", donors="EU"),
    row("k-secret", lead_entity="UNODC", classification="confidential", pillars="III"),
]

VARIED = [
    # Updated: another title, places, partners (one by an alias), themes.
    row(
        "k-upd",
        title="Border security training for prison staff",
        lead_entity="UNODC",
        partner_entities="UNCCT;INTERPOL;Some Office",
        countries="JO;Tunisia",
        pillars="I;III",
        themes="2",
    ),
    BASE[1],  # unchanged
    row("k-secret", lead_entity="UNODC", classification="strictly-confidential", pillars="III", budget_usd="250000"),
    # New ones: every column, names by alias, unknown names, organizations, lead named twice.
    row(
        "k-new-1",
        title="Countering the financing of terrorism: youth dialogue",
        main_activities="Training of prosecutors; community policing; rehabilitation.",
        lead_entity="unodc",
        partner_entities="UNODC;CTED;UNCCT;EU;Nobody Known",
        partner_organizations="LAS",
        stage="planning",
        start="2024-03",
        end="2026",
        pillars="IV;I",
        themes="1;2",
        countries="jo;Iraq",
        regions="sahel",
        classification="confidential",
        gender_marker="yes",
        hrdd_assessed="no",
        budget_usd="1,200,000.5",
        donors="Japan",
    ),
    row("k-new-2", lead_entity="Nobody Known", scope="global", pillars="II"),
    row("k-new-3", status="completed", lead_entity="DPO", partner_entities="MINUSMA", countries="ML", pillars="III"),
    row("k-new-4", title="Aviation security", lead_entity="", pillars=""),
]


def test_bulk_gives_the_same_rows_links_warnings_and_audit_as_row_by_row(importer):
    expected, actual = both_ways(base=template(BASE), data=template(VARIED), actor=importer)
    assert actual == expected
    assert actual["imports"][-1][4:7] == (4, 2, 1)  # created, updated, unchanged: a varied file indeed
    created = [a for a in actual["audit"] if a[0] == "project.created" and a[5] == "k-new-1"]
    assert len(created) == 1 and created[0][3] == "confidential" and created[0][2] == "importer"
    assert created[0][8]["partner_entities"] == ["CTED", "UNOCT"] and created[0][8]["budget_usd"] == "1200000.50"


@pytest.mark.long
def test_bulk_gives_the_same_as_row_by_row_for_the_seed_by_the_command(importer):
    """The real report matrix (317 rows, aliases, unknown names, scope text), as
    ``import_matrix`` runs it (``actor=None``: the audit rows say "system")."""
    expected, actual = both_ways(base=None, data=SEED.read_bytes(), actor=None)
    assert actual == expected
    assert len(actual["projects"]) == 317 and len(actual["imports"][0][7]) > 50  # warnings kept


@pytest.mark.long
def test_a_corrected_seed_updates_the_same_way(importer):
    seed = SEED.read_text(encoding="utf-8")
    corrected = seed.replace("Jordan, Kazakhstan, Morocco, Tunisia", "Jordan, Morocco, Mali").encode()
    expected, actual = both_ways(base=None, data=corrected, actor=importer)
    assert actual == expected
    commit_bulk(data=seed.encode(), file_name="seed.txt", actor=importer)
    preview = matrix_import_preview(data=corrected, file_name="seed.txt")
    assert preview.counts == {"create": 0, "update": 1, "unchanged": 316, "error": 0}
    batch = matrix_import_commit(data=corrected, file_name="seed.txt", sha256=preview.sha256, actor=importer)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 316)
    project = Project.objects.get(source_key="a72-840:I:18")
    assert sorted(project.country_rows.values_list("country", flat=True)) == ["JO", "MA", "ML"]


def test_importing_the_same_file_twice_changes_nothing_and_says_so(importer):
    data = template(VARIED)
    first = commit_bulk(data=data, file_name="t.csv", actor=importer)
    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    before = world()
    preview = matrix_import_preview(data=data, file_name="t.csv")
    assert preview.counts == {"create": 0, "update": 0, "unchanged": 7, "error": 0}
    again = matrix_import_commit(data=data, file_name="t.csv", sha256=preview.sha256, actor=importer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    after = world()
    assert after["projects"] == before["projects"]
    new_rows = [a for a in after["audit"] if a not in before["audit"]]
    assert [a[0] for a in new_rows] == ["matrix.imported"]
    assert new_rows[0][8] == {"file": "t.csv", "sha256": preview.sha256, **preview.counts}


# --- Refusals: the same messages, nothing saved -------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row("k-bad", start="2026", end="2024"), "The project cannot end before it starts."),
        (row("k-bad", title="x" * 1001), "at most 1000 characters"),
        (row("k-bad", donors="d" * 501), "at most 500 characters"),
    ],
)
def test_a_row_the_service_refuses_fails_the_whole_file_with_the_same_message(importer, bad, message):
    data = template([VARIED[3], bad])
    assert matrix_import_preview(data=data, file_name="t.csv").ok  # only the save finds these
    with pytest.raises(ValidationError) as row_by_row:
        commit_row_by_row(data=data, file_name="t.csv", actor=importer)
    with pytest.raises(ValidationError) as bulk:
        commit_bulk(data=data, file_name="t.csv", actor=importer)
    assert bulk.value.messages == row_by_row.value.messages and message in " ".join(bulk.value.messages)
    assert not Project.objects.exists() and not MatrixImport.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="project.").exists()


def test_a_file_with_invalid_rows_saves_nothing_and_says_why(importer):
    commit_bulk(data=template(BASE), file_name="base.csv", actor=importer)
    before = world()
    data = template([*VARIED, row("k-bad", lead_entity="UNODC", pillars="V", start="2026-13", themes="999")])
    preview = matrix_import_preview(data=data, file_name="t.csv")
    bad = next(r for r in preview.rows if r.key == "k-bad")
    assert bad.errors == [
        "start: “2026-13” is out of range.",
        "pillars: unknown pillar “V”.",
        "themes: no working group “999”.",
    ]
    assert preview.errors == ["1 row has errors; correct it and upload the file again."]
    with pytest.raises(ValidationError) as refused:
        matrix_import_commit(data=data, file_name="t.csv", sha256=preview.sha256, actor=importer)
    assert refused.value.messages == preview.errors
    assert world() == before


def test_the_commit_still_refuses_a_file_other_than_the_one_previewed(importer):
    preview = matrix_import_preview(data=template(VARIED), file_name="t.csv")
    with pytest.raises(ValidationError, match="not the one previewed"):
        matrix_import_commit(data=template(BASE), file_name="t.csv", sha256=preview.sha256, actor=importer)
    assert not Project.objects.exists()


# --- Queries: constant in the rows -------------------------------------------------------------


def generated(count: int, first: int = 0) -> bytes:
    """``count`` new projects naming the same entities, groups and places over and over."""
    leads = ["UNODC", "UNOCT", "CTED", "DPO", "UNDP", "UNCCT"]
    return template(
        [
            row(
                f"g-{number:05d}",
                title=f"Generated {number}: border security and prison staff",
                lead_entity=leads[number % len(leads)],
                partner_entities=";".join(leads[(number + 1) % len(leads) :][:2]),
                partner_organizations="EU" if number % 3 else "",
                countries=["JO;TN", "Iraq", "ML;NE", ""][number % 4],
                regions="sahel" if number % 5 == 0 else "",
                pillars=["I", "II;III", "IV"][number % 3],
                themes=["1", "", "2;1"][number % 3],
                start=str(2010 + number % 15),
                budget_usd=str(1000 * number) if number % 2 else "",
            )
            for number in range(first, first + count)
        ]
    )


def queries(step: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        step()
    return len(captured.captured_queries)


def test_the_commit_does_not_query_a_row(importer):
    counts = {}
    for size in (50, 500):
        data = generated(size)
        preview = matrix_import_preview(data=data, file_name=f"{size}.csv")
        assert preview.ok and preview.counts["create"] == size
        savepoint = transaction.savepoint()
        counts[size] = queries(
            lambda: matrix_import_commit(data=data, file_name="g.csv", sha256=preview.sha256, actor=importer)  # noqa: B023
        )
        assert Project.objects.count() == size
        transaction.savepoint_rollback(savepoint)
    # Inserts go in batches of 1,000 rows: 500 projects' countries or suggestions take two.
    assert counts[500] <= counts[50] + 5, counts
    assert counts[50] < 60, counts


def test_the_preview_does_not_query_a_row_and_neither_does_an_unchanged_reimport(importer):
    for size in (50, 500):
        commit_bulk(data=generated(size, first=10_000 * size), file_name="g.csv", actor=importer)
    small, large = generated(50, first=500_000), generated(500, first=5_000_000)
    assert queries(lambda: matrix_import_preview(data=large, file_name="g.csv")) == queries(
        lambda: matrix_import_preview(data=small, file_name="g.csv")
    )
    again_small, again_large = generated(50, first=500_000), generated(500, first=5_000_000)
    for data in (again_small, again_large):
        commit_bulk(data=data, file_name="g.csv", actor=importer)
    unchanged = {
        size: queries(lambda d=data: commit_bulk(data=d, file_name="g.csv", actor=importer))
        for size, data in ((50, again_small), (500, again_large))
    }
    assert unchanged[500] <= unchanged[50] + 5, unchanged


# --- The lookups answer as the resolvers ----------------------------------------------------------


def test_the_lookups_resolve_every_name_as_the_resolvers_do(importer):
    NonEntityName.objects.create(name="The Programme")
    names = ["", "  ", "Nobody Known", "the programme", "THE  PROGRAMME", "Jordan", "missions with a police component"]
    for entity in Entity.objects.all():
        names += [entity.acronym, entity.acronym.lower(), f" {entity.name.upper()} ", entity.name]
    names += list(EntityAlias.objects.values_list("name", flat=True))
    for organization in Organization.objects.all():
        names += [organization.acronym, organization.name.lower()]
    names += [name.swapcase() for name in OrganizationAlias.objects.values_list("name", flat=True)]
    lookups = ImportLookups()
    assert len(names) > 100
    for name in names:
        assert lookups.mention(name) == mention_resolve(name), name
        assert lookups.scope_piece(name) == scope_piece_read(name), name


def test_rows_do_not_share_a_mention(importer):
    lookups = ImportLookups()
    first, second = lookups.mention("UNCCT"), lookups.mention("UNCCT")
    assert first == second and first is not second
