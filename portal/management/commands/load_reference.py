from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from compact.lib.csvfiles import ReferenceFileError
from portal.reference import DEFAULT_DATA_DIR, reference_load


class Command(BaseCommand):
    help = "Load the Compact's roster (entities, aliases, membership, working groups, chairs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also overwrite entities and groups whose values in the files changed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = reference_load(data_dir=options["data_dir"], update=options["update"])
        except ReferenceFileError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(f"  {line}")
        verdict = f"{report.changed} change(s)" if report.changed else "nothing to change"
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {verdict}."))
