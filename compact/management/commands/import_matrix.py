"""Import a project matrix file: the report's own matrix or the CSV/XLSX template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.reconciliation import reconciliation_rows


class Command(BaseCommand):
    help = (
        "Import the project matrix from FILE (the matrix as printed in A/72/840, or the CSV/XLSX "
        "template). Shows the dry run's figures and warnings; --dry-run stops there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument("--quiet-warnings", action="store_true", help="Print only the figures.")

    def handle(self, *args: Any, file: Path, dry_run: bool, quiet_warnings: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        preview = matrix_import_preview(data=data, file_name=file.name)
        self._report(preview, quiet_warnings)
        if not preview.ok:
            raise CommandError("Nothing was imported: " + " ".join(preview.errors))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            batch = matrix_import_commit(data=data, file_name=file.name, sha256=preview.sha256, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name}: {batch.created} created, {batch.updated} updated, {batch.unchanged} unchanged."
            )
        )

    def _report(self, preview: Any, quiet: bool) -> None:
        counts = preview.counts
        self.stdout.write(
            f"{file_label(preview)}: {len(preview.rows)} rows — {counts['create']} new, {counts['update']} changed, "
            f"{counts['unchanged']} unchanged, {counts['error']} with errors."
        )
        for pillar, declared in preview.declared.items():
            self.stdout.write(
                f"  Pillar {pillar}: {preview.found.get(pillar, 0)} rows (the heading declares {declared})."
            )
        for line in reconciliation_rows(preview.reconciliation):
            for sentence in line.explanations if line.differs else []:
                self.stdout.write(f"    {line.label}: {sentence}")
        if quiet:
            return
        for warning in preview.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        for row in preview.rows:
            for message in row.errors:
                self.stdout.write(self.style.ERROR(f"  {row.key} (line {row.line}): {message}"))
            for message in row.warnings:
                self.stdout.write(f"  {row.key} (line {row.line}): {message}")


def file_label(preview: Any) -> str:
    return f"{preview.file_name} ({preview.file_format or 'unreadable'})"
