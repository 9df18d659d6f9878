"""Print the matrix's data-quality figures (those of OCT's data-quality page)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from compact.matrix.quality import quality_figures


class Command(BaseCommand):
    help = (
        "Print the project matrix's data-quality figures: share of entity mentions linked, of place "
        "strings resolved, of regional projects on their countries' pages …, each with its target "
        "and the strings still short of it. Import the matrix first (manage.py import_matrix)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gaps", type=int, default=20, help="How many gaps to list per figure (default 20).")

    def handle(self, *args: Any, gaps: int, **options: Any) -> None:
        for figure in quality_figures():
            target = f" (target {figure.target:.0%})" if figure.target is not None else ""
            line = f"{figure.label}: {figure.done}/{figure.total} = {figure.share:.1%}{target}"
            self.stdout.write(self.style.SUCCESS(line) if figure.meets_target else self.style.WARNING(line))
            for what, count, _ids in figure.gaps[:gaps]:
                self.stdout.write(f"  {count:>4}  {what}")
            if len(figure.gaps) > gaps:
                self.stdout.write(f"  … and {len(figure.gaps) - gaps} more")
