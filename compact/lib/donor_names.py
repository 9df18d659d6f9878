"""Split a free-text list of donors ("Japan; EU, Qatar and Norway") and match its names to known
donors, keeping what matches nothing as written. No ORM: the matrix's data migration and its
services pass the donors they know."""

from __future__ import annotations

import re
from collections.abc import Mapping

SEPARATORS = re.compile(r"[;,\n]+|\s+and\s+", re.IGNORECASE)
ALIASES = {"european union": "EU", "the european union": "EU", "eu": "EU"}


def donor_names(text: str) -> list[str]:
    """The names in ``text``, trimmed, in their order, without repeats."""
    names = (part.strip(" .\t\r") for part in SEPARATORS.split(text or ""))
    return list(dict.fromkeys(name for name in names if name))


def match_donors(text: str, known: Mapping[str, str]) -> tuple[list[str], str]:
    """The codes of the donors ``text`` names (``known`` maps a code to a name) and the rest of
    the text, the names that match none, joined by "; "."""
    by_name = {name.casefold(): code for code, name in known.items()}
    codes: list[str] = []
    rest: list[str] = []
    for name in donor_names(text):
        key = name.casefold()
        code = by_name.get(key) or ALIASES.get(key) or (name.upper() if name.upper() in known else None)
        if code in known:
            codes.append(code)
        else:
            rest.append(name)
    return list(dict.fromkeys(codes)), "; ".join(rest)
