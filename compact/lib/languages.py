"""The six UN languages: which one a code names, and which one a person reads.

Codes arrive in several spellings ("fr-CH" from a browser, "zh-hans" from Django, "zh_Hans"
from a catalogue folder); everything we store is the code of ``settings.LANGUAGES``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.lib.text import validate_name


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


def date_span(start: datetime.date, end: datetime.date) -> str:
    """ "1 Jan 2026–30 Jun 2026" in the active language's short date format."""
    return f"{date_format(start, 'SHORT_DATE_FORMAT')}–{date_format(end, 'SHORT_DATE_FORMAT')}"


def translated(translations: dict[str, dict[str, str]] | None, field: str, english: str) -> str:
    """``field`` of a record in the active language from its ``translations`` ({"fr": {"name":
    "…"}}), or ``english`` (the record's own value) when it has none in that language."""
    return _in_active_language(translations, field) or english


def has_translation(translations: dict[str, dict[str, str]] | None, field: str) -> bool:
    """Whether the record has ``field`` in the active language (English always has it)."""
    return _active_language() == settings.LANGUAGE_CODE or bool(_in_active_language(translations, field))


def _active_language() -> str:
    return supported_language(translation.get_language()) or settings.LANGUAGE_CODE


def _in_active_language(translations: dict[str, dict[str, str]] | None, field: str) -> str:
    return ((translations or {}).get(_active_language()) or {}).get(field) or ""


def translations_clean(value: object, fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``value`` as stored translations: {language: {field: text}} for the languages other than
    the site's, each text stripped and checked as a name (``validate_name``: no markup, no
    direction controls). Raises ValidationError on ``name_translations`` saying what is wrong."""
    if not isinstance(value, dict):
        raise _translations_error(_("Give the names as a mapping of language to fields."))
    cleaned: dict[str, dict[str, str]] = {}
    for code, texts in value.items():
        language = supported_language(str(code))
        if language is None or language == settings.LANGUAGE_CODE:
            raise _translations_error(
                _("Not a language to translate a name into: %(code)s.") % {"code": str(code)[:20]}
            )
        if not isinstance(texts, dict) or set(texts) - set(fields):
            raise _translations_error(
                _("A name in another language gives only: %(fields)s.") % {"fields": ", ".join(fields)}
            )
        kept = {field: str(text).strip() for field, text in texts.items() if str(text).strip()}
        for text in kept.values():
            validate_name(text)
        if kept:
            cleaned[language] = kept
    return cleaned


def _translations_error(message: str) -> ValidationError:
    return ValidationError({"name_translations": message})
