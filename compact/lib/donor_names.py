"""Split a free-text list of donors ("Japan; EU, Qatar") and match its names to known donors,
keeping what matches nothing exactly as written. No ORM: the matrix's data migration and its
services pass the donors they know.

Only unambiguous matches count: a donor's exact name (any case), an alias of the European
Union, or a two-letter code written in capitals on its own ("NO", never "no" or "No"). Names are
split at ";", "," and new lines only — never at "and", which belongs to names ("Trinidad and
Tobago", "Bill and Melinda Gates Foundation") — and what is not matched is never rewritten: the
matched names are cut out with their separator, the rest stays character for character."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# A separator with the spaces around it (captured, so the text can be put back together).
SEPARATOR = re.compile(r"(\s*[;,\n][\s;,]*)")
ALIASES = {"european union": "EU", "the european union": "EU"}
TRIM = " .\t\r\n"


def _pieces(text: str) -> tuple[list[str], list[str]]:
    """The names of ``text`` as written and the separators between them."""
    pieces = SEPARATOR.split(text or "")
    return pieces[0::2], pieces[1::2]


def donor_names(text: str) -> list[str]:
    """The names in ``text``, trimmed, in their order, without repeats."""
    names = (name.strip(TRIM) for name in _pieces(text)[0])
    return list(dict.fromkeys(name for name in names if name))


def _code(name: str, by_name: Mapping[str, str], known: Mapping[str, str]) -> str | None:
    key = name.casefold()
    code = by_name.get(key) or ALIASES.get(key)
    if code is None and len(name) == 2 and name.isupper() and name.isalpha():
        code = name  # the code itself, in capitals, on its own
    return code if code in known else None


def match_donors(text: str, known: Mapping[str, str]) -> tuple[list[str], str]:
    """The codes of the donors ``text`` names (``known`` maps a code to a name) and the rest of
    the text: ``text`` without the matched names and their separators, otherwise unchanged."""
    by_name = {name.casefold(): code for code, name in known.items()}
    names, separators = _pieces(text)
    codes: list[str] = []
    rest: list[str] = []
    for index, name in enumerate(names):
        code = _code(name.strip(TRIM), by_name, known)
        if code is not None:
            codes.append(code)
        elif name.strip():
            if rest:
                rest.append(separators[index - 1])
            rest.append(name)
    return list(dict.fromkeys(codes)), "".join(rest).strip()


def donors_text(names: Iterable[str], note: str, *, limit: int = 500) -> str:
    """``note`` with the donors ``names`` put back in front ("Japan; Norway; <note>"), those it
    does not already name, as many as fit in ``limit`` characters; the note itself stays whole."""
    note = (note or "").strip()
    present = {name.casefold() for name in donor_names(note)}
    missing = [name for name in dict.fromkeys(names) if name.strip() and name.casefold() not in present]
    while missing:
        text = "; ".join([*missing, note] if note else missing)
        if len(text) <= limit:
            return text
        missing.pop()
    return note
