"""What a person may type: names (strict) and free text (lenient). Pure, no ORM.

Names (an organisation's name and acronym, a person's names and title, a working group's name)
are shown in lists, e-mails, PDFs and the admin next to other names, so anything that hides or
reorders characters there is a spoof: control characters, the bidirectional controls (an
U+202E override makes "UNOCT" show as "TCONU"), invisible format characters, and markup
(``<``, ``>`` and HTML character references such as ``&lt;``), which no real name needs.

Two invisible characters are part of real names: the zero-width non-joiner (U+200C) and joiner
(U+200D) shape Persian, Urdu and Indic words ("علی‌اکبر", "ශ්‍රී"). They are allowed only where
RFC 5892 (the IDNA contextual rules, ``idna.core.valid_contextj``) says they do something:
after a virama, or a non-joiner between two Arabic-script letters that would otherwise join. In
a Latin name ("UN‌ODC") they do nothing but make one name look like another.

Free text (a mandate, a note, a message) keeps ``<`` (it is escaped on output), newlines and
tabs, the bidirectional *marks* (U+200E, U+200F, U+061C) that right-to-left writing needs
around Latin words, and joiners (emoji), but not the other control characters nor the
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what follows
them ("Trojan Source").
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from idna.core import valid_contextj

ZWNJ, ZWJ = "\u200c", "\u200d"

# The bidirectional controls that start or end a run displayed in another order.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks: they only set the direction of neighbouring neutral characters.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")
FREE_TEXT_CONTROLS_ALLOWED = frozenset("\n\r\t")

# Characters described by name in messages (the code point is always given too).
CHARACTER_NAMES: dict[str, Promise] = {
    "\u202a": _("a left-to-right embedding character"),
    "\u202b": _("a right-to-left embedding character"),
    "\u202c": _("a pop directional formatting character"),
    "\u202d": _("a left-to-right override character"),
    "\u202e": _("a right-to-left override character"),
    "\u2066": _("a left-to-right isolate character"),
    "\u2067": _("a right-to-left isolate character"),
    "\u2068": _("a first strong isolate character"),
    "\u2069": _("a pop directional isolate character"),
    "\u200e": _("a left-to-right mark"),
    "\u200f": _("a right-to-left mark"),
    "\u061c": _("an Arabic letter mark"),
    "\u200b": _("a zero-width space"),
    ZWNJ: _("a zero-width non-joiner that joins nothing here"),
    ZWJ: _("a zero-width joiner that joins nothing here"),
    "\u2060": _("a word joiner"),
    "\ufeff": _("a zero-width no-break space (byte order mark)"),
    "\u00ad": _("a soft hyphen"),
    "\n": _("a line break"),
    "\r": _("a carriage return"),
    "\t": _("a tab"),
    "\x00": _("a null character"),
}
CATEGORY_NAMES: dict[str, Promise] = {
    "Cc": _("a control character"),
    "Cf": _("an invisible formatting character"),
    "Co": _("a private-use character"),
    "Cn": _("an unassigned character"),
    "Cs": _("a lone surrogate"),
    "Zl": _("a line separator"),
    "Zp": _("a paragraph separator"),
}
NAME_REFUSED_CATEGORIES = frozenset(CATEGORY_NAMES)

MARKUP = frozenset("<>")
# Named (&lt;) and numeric (&#60; &#x3c, with or without the semicolon) character references.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{1,31};)")
# Control characters other than tab, line feed and carriage return; lone surrogates; the
# bidirectional embeddings, overrides and isolates. A short class, so a long text is searched
# in one pass in C.
FREE_TEXT_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# Characters XML 1.0 cannot carry (a control character pasted from another program): the IATI
# file and the Word files drop them, or lxml and python-docx would refuse the whole document.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# No name is this long (the longest field takes 255); a longer value is refused before its
# characters are examined one by one.
NAME_MAX_CHECKED = 1000
# The joiner rules look this far either side (a real name is far shorter).
JOINER_CONTEXT = 64


def character_description(char: str) -> str:
    """ "a right-to-left override character (U+202E)", in the active language."""
    label = CHARACTER_NAMES.get(char) or CATEGORY_NAMES.get(unicodedata.category(char), _("a character"))
    return f"{label} (U+{ord(char):04X})"


def _joiner_does_something(value: str, position: int) -> bool:
    start = max(position - JOINER_CONTEXT, 0)
    window = value[start : position + JOINER_CONTEXT + 1]
    try:
        return valid_contextj(window, position - start)
    except ValueError:  # a neighbour unknown to Unicode: refused on its own account anyway
        return False


def _refused_in_name(value: str, char: str, position: int) -> bool:
    if char in MARKUP:
        return True
    if char in (ZWNJ, ZWJ):
        return not _joiner_does_something(value, position)
    return unicodedata.category(char) in NAME_REFUSED_CATEGORIES


def validate_name(value: str) -> None:
    """Refuse control, bidirectional and invisible format characters and markup in a name.

    Raises ``ValidationError`` (code ``name_character``) naming the first such character."""
    if not isinstance(value, str) or not value:
        return
    if len(value) > NAME_MAX_CHECKED:
        raise ValidationError(
            _("A name has at most %(limit)s characters."), code="name_length", params={"limit": NAME_MAX_CHECKED}
        )
    reference = CHARACTER_REFERENCE.search(value)
    hit = next(((char, i) for i, char in enumerate(value) if _refused_in_name(value, char, i)), None)
    if reference and (hit is None or reference.start() < hit[1]):
        raise ValidationError(
            _("Contains the HTML character reference “%(reference)s”, which is not allowed in names."),
            code="name_markup",
            params={"reference": reference.group()},
        )
    if hit is None:
        return
    char = hit[0]
    if char in MARKUP:
        raise ValidationError(
            _("Contains “%(character)s”, which is not allowed in names (no markup)."),
            code="name_markup",
            params={"character": char},
        )
    raise ValidationError(
        _("Contains %(character)s, which is not allowed in names."),
        code="name_character",
        params={"character": character_description(char)},
    )


def validate_free_text(value: str) -> None:
    """Refuse control characters (other than line breaks and tabs) and the bidirectional
    embeddings, overrides and isolates in free text; markup is allowed (escaped on output)."""
    if not isinstance(value, str) or not value:
        return
    hit = FREE_TEXT_REFUSED.search(value)
    if hit is None:
        return
    raise ValidationError(
        _("Contains %(character)s, which is not allowed in this text."),
        code="text_character",
        params={"character": character_description(hit.group())},
    )


def xml_text(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return NOT_IN_XML.sub("", text or "")
