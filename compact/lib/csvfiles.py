"""Reading the reference data files: plain CSV parsing with clear errors, no database."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class ReferenceFileError(ValueError):
    """A reference file is missing, malformed, or has a bad value (message names file and line)."""


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def where(self) -> str:
        return f"{self.path.name}, line {self.line}"

    def date(self, column: str) -> datetime.date | None:
        """The column as an ISO date, or None when empty."""
        text = self.values[column]
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as error:
            raise ReferenceFileError(f"{self.where()}: {column} {text!r} is not a YYYY-MM-DD date") from error


def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[Row]:
    """Yield the rows of a UTF-8 CSV file that must have at least ``columns``.

    Cells are stripped; blank lines are skipped.
    """
    if not path.is_file():
        raise ReferenceFileError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise ReferenceFileError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for values in reader:
            cleaned = {key: (value or "").strip() for key, value in values.items() if key}
            if any(cleaned.values()):
                yield Row(path=path, line=reader.line_num, values=cleaned)
