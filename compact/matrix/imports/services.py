"""Importing matrix files: the report's own matrix (as printed in A/72/840) or our CSV/XLSX
template. Always in two steps: a preview (dry run) that shows every row with its parsed fields
and warnings, then a commit that re-reads the same file and writes it in one transaction.
Reading and checking the file and its rows is ``compact.matrix.imports.files``.

Both readings resolve each distinct name, place and working group of the file once
(``compact.matrix.imports.lookups``) and compare the file with the projects it names in a few
queries; the commit creates the new projects in batches (``projects_create``: their links and
one audit row each, as ``project_save`` writes them) and sends only the rows that change an
existing project through ``project_save``. A file of 10,000 new projects costs about a
hundred queries on PostgreSQL (preview and commit), not 30 a row (``bench/imports.py``).

Rows are matched by a source key (``a72-840:I:18`` for the report, the ``key`` column in the
template), so importing the same file again changes nothing and a corrected file updates the
rows it corrects. Unknown entity names are reported and kept as partner organisations; places
the resolver does not know are reported; nothing is mapped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compact.core.audit import audit_record, json_safe
from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from compact.lib.matrix import matrix_parse, matrix_reconcile
from compact.matrix.imports.files import (
    TEMPLATE_HEADER,
    MatrixPreview,
    PreviewRow,
    _report_row,
    _template_rows,
    matrix_file_decode,
)
from compact.matrix.imports.lookups import ImportLookups
from compact.matrix.imports.mentions import projects_mentions_sync
from compact.matrix.models import MatrixImport, Project
from compact.matrix.permissions import can_manage_matrix
from compact.matrix.reconciliation import found_only
from compact.matrix.services import ProjectDraft, project_save, project_states, projects_create
from compact.matrix.themes import projects_themes_suggest
from compact.registry.models import Pillar

# --- Preview and commit ---------------------------------------------------------------------------


def _proposed_state(row: PreviewRow, file_format: str) -> dict[str, Any]:
    """What the row would set, in ``project_state``'s shape, to tell "unchanged" from "update".
    Only what the file gives: fields OCT added later (donors, themes for the report) stay."""

    state = {name: json_safe(value) for name, value in row.fields.items()}
    if "pillars" in state:  # stored in the Strategy's order, whatever the file's ("IV;I")
        state["pillars"] = [pillar for pillar in Pillar.values if pillar in set(state["pillars"] or ())]
    state["partner_entities"] = sorted(e.acronym for e in row.partners if e != row.fields.get("lead_entity"))
    state["countries"], state["regions"] = sorted(row.countries), sorted(row.regions)
    if file_format != "report":
        state["themes"] = sorted(g.number for g in row.themes)
    return state


def _decide(rows: list[PreviewRow], preview: MatrixPreview, actor: AbstractBaseUser | None) -> None:
    keys: dict[str, int] = {}
    wanted = [r.key for r in rows if r.key]
    existing = {p.source_key: p for p in Project.objects.filter(source_key__in=wanted)}
    states = project_states(list(existing.values()))
    for row in rows:
        if row.key and row.key in keys:
            row.errors.append(
                _("The key “%(key)s” is also on line %(line)s.") % {"key": row.key, "line": keys[row.key]}
            )
        keys.setdefault(row.key, row.line)
        project = existing.get(row.key)
        if project is not None and row.suggested_countries:
            _keep_accepted_suggestions(row, states[project.pk]["countries"])
        if actor is not None:
            _check_clearance(row, project, actor)
        if row.errors:
            row.action = "error"
            continue
        if project is None:
            row.action = "create"
        else:
            proposed = _proposed_state(row, preview.file_format)
            current = states[project.pk]
            row.action = "unchanged" if all(current.get(k) == v for k, v in proposed.items()) else "update"
    errors = sum(row.action == "error" for row in rows)
    if errors:
        preview.errors.append(
            ngettext(
                "%(count)s row has errors; correct it and upload the file again.",
                "%(count)s rows have errors; correct them and upload the file again.",
                errors,
            )
            % {"count": errors}
        )


def _keep_accepted_suggestions(row: PreviewRow, current: list[str]) -> None:
    """A country the title names that OCT added to the project (its ``current`` countries:
    OCT accepted the suggestion) stays on it when the file is imported again."""
    accepted = [code for code in row.suggested_countries if code in current]
    if accepted:
        row.countries = sorted(set(row.countries) | set(accepted))
        row.suggested_countries = [code for code in row.suggested_countries if code not in accepted]


def _check_clearance(row: PreviewRow, project: Project | None, actor: AbstractBaseUser) -> None:
    """An importer reads and writes only what their clearance reaches: a key of a project
    above it is refused (without saying what is there), and so is a row classified above it."""
    if project is not None and not can_read_classification(actor, project.classification):
        row.errors.append(_("The key “%(key)s” is already used by another project.") % {"key": row.key})
    level = row.fields.get("classification", Classification.UNCLASSIFIED)
    if not can_read_classification(actor, level):
        row.errors.append(_("This row is classified above your clearance."))


def matrix_import_preview(*, data: bytes, file_name: str, actor: AbstractBaseUser | None = None) -> MatrixPreview:
    """The dry run: every row as it would be imported, with its warnings; nothing is written.
    ``actor`` is the importer (None for the ``import_matrix`` command, which sees everything)."""
    preview = MatrixPreview(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), file_format="")
    try:
        file_format, payload = matrix_file_decode(data)
    except ValidationError as error:
        preview.errors.extend(error.messages)
        return preview
    preview.file_format = file_format
    lookups = ImportLookups()
    if file_format == "report":
        parsed = matrix_parse(payload)
        preview.warnings.extend(parsed.warnings)
        preview.declared, preview.found = parsed.declared, parsed.found()
        preview.reconciliation = [line.as_dict() for line in matrix_reconcile(parsed)]
        rows = [_report_row(row, lookups) for row in parsed.rows]
        if not rows:
            preview.errors.append(_("No matrix rows were found in this file."))
    else:
        rows = _template_rows(payload, preview, lookups)
        preview.reconciliation = found_only(row.fields.get("pillars") or [] for row in rows)
    preview.rows = rows
    _decide(rows, preview, actor)
    return preview


@transaction.atomic
def matrix_import_commit(*, data: bytes, file_name: str, sha256: str, actor: AbstractBaseUser | None) -> MatrixImport:
    """Import the previewed file in one transaction. The file is read and checked again; if it
    is not the one previewed, or has errors, nothing is written. ``actor=None`` is the
    ``import_matrix`` command, run by an operator."""
    if actor is not None and not can_manage_matrix(actor):
        raise PermissionDenied(_("Only the OCT secretariat imports the matrix."))
    preview = matrix_import_preview(data=data, file_name=file_name, actor=actor)
    if preview.sha256 != sha256:
        raise ValidationError(_("The file is not the one previewed; upload it again."))
    if not preview.ok:
        raise ValidationError(preview.errors)
    batch = MatrixImport.objects.create(
        file_name=file_name[:255],
        sha256=preview.sha256,
        file_format=preview.file_format,
        imported_by=actor,
        reconciliation=preview.reconciliation,
    )
    projects = _projects_write(preview, batch, actor)
    projects_mentions_sync(mentions={projects[row.key]: row.mentions for row in preview.rows})
    # Unchanged rows too, so a change to the rules reaches every project; confirmations stay.
    # (New projects got theirs from ``projects_create``.)
    others = [row.key for row in preview.rows if row.action != "create"]
    projects_themes_suggest(projects=Project.objects.filter(source_key__in=others))
    counts = preview.counts
    batch.created, batch.updated, batch.unchanged = counts["create"], counts["update"], counts["unchanged"]
    batch.warnings = preview.warnings + [f"{row.key}: {w}" for row in preview.rows for w in row.warnings]
    batch.save(update_fields=["created", "updated", "unchanged", "warnings"])
    audit_record(
        actor=actor,
        verb="matrix.imported",
        obj=batch,
        after={"file": file_name, "sha256": preview.sha256, **counts},
    )
    return batch


def _projects_write(preview: MatrixPreview, batch: MatrixImport, actor: AbstractBaseUser | None) -> dict[str, int]:
    """Create the new projects in bulk and update the changed ones through ``project_save``;
    the id of every project of the file by its key (unchanged ones are not loaded)."""
    rows = preview.rows
    ids = dict(Project.objects.filter(source_key__in=[r.key for r in rows]).values_list("source_key", "pk"))
    new = [row for row in rows if row.action == "create"]
    created = projects_create(drafts=[_draft(row, preview.file_format, batch) for row in new], imported_by=actor)
    ids.update((row.key, project.pk) for row, project in zip(new, created, strict=True))
    changed = [row for row in rows if row.action == "update"]
    existing = Project.objects.in_bulk([row.key for row in changed], field_name="source_key")
    for row in changed:
        project_save(
            project=existing[row.key], actor=None, imported_by=actor, **_save_arguments(row, preview.file_format, batch)
        )
    return ids


def _save_arguments(row: PreviewRow, file_format: str, batch: MatrixImport) -> dict[str, Any]:
    """``project_save``'s arguments for a row. The report's matrix names no themes (OCT gives
    them): ``themes=None`` leaves a project's as they are."""
    return {
        "fields": row.fields,
        "partner_entities": row.partners,
        "themes": row.themes if file_format != "report" else None,
        "countries": row.countries,
        "regions": row.regions,
        "source": {"source_key": row.key, "source_import": batch},
    }


def _draft(row: PreviewRow, file_format: str, batch: MatrixImport) -> ProjectDraft:
    return ProjectDraft(**_save_arguments(row, file_format, batch))


def matrix_template_csv() -> str:
    """An empty CSV template with its header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        [
            "unodc-2026-001",
            "Example: support to prison administrations",
            "Training of prison staff.",
            "UNODC",
            "UNOCT;CTED",
            "EU",
            "ongoing",
            "implementation",
            "2026-01",
            "2027-12",
            "I;III",
            "",
            "",
            "JO;TN",
            "",
            "unclassified",
            "yes",
            "yes",
            "",
            "European Union",
        ]
    )
    return buffer.getvalue()
