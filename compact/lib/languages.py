"""The six UN languages: which one a code names, and which one a person reads.

Codes arrive in several spellings ("fr-CH" from a browser, "zh-hans" from Django, "zh_Hans"
from a catalogue folder); everything we store is the code of ``settings.LANGUAGES``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format


def supported_language(code: str | None) -> str | None:
    """The code in ``settings.LANGUAGES`` that ``code`` names ("fr-CH" → "fr"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.replace("_", "-").lower())
    except LookupError:
        return None


def language_name(code: str) -> str:
    """The language's own name for itself ("français", "العربيّة"), for menus and covers."""
    return translation.get_language_info(code)["name_local"]


def is_default_language(code: str | None) -> bool:
    return (supported_language(code) or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def date_span(start: datetime.date, end: datetime.date) -> str:
    """ "1 Jan 2026–30 Jun 2026" in the active language's short date format."""
    return f"{date_format(start, 'SHORT_DATE_FORMAT')}–{date_format(end, 'SHORT_DATE_FORMAT')}"
