"""The six languages are complete: every string people read is marked for translation, and
each of the five catalogues translates every one of them (nothing empty, nothing fuzzy, the
same placeholders and markup as the English).

The catalogue test refreshes a copy of the catalogues from the code as ``make messages``
does, so a string added without running ``make messages`` and translating it fails here.
"""

from __future__ import annotations

import collections
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.helpers import untranslated_template_text

LANGUAGES = ("ar", "es", "fr", "ru", "zh_Hans")
PLURAL_FORMS = {"ar": 6, "es": 3, "fr": 2, "ru": 3, "zh_Hans": 1}
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdif]|%%|\{[A-Za-z_][\w.]*\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogues, refreshed from today's code into a copy (``make messages``)."""
    locale = tmp_path_factory.mktemp("locale")
    shutil.copytree(settings.BASE_DIR / "locale", locale, dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.BASE_DIR)
        patch.setattr(settings, "LOCALE_PATHS", [locale])
        call_command(
            "makemessages",
            locale=list(LANGUAGES),
            ignore_patterns=[".venv/*", "var/*", "tests/*", "bench/*", "node_modules/*"],
            verbosity=0,
        )
    return locale


def _entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def _bag(pattern: re.Pattern[str], text: str) -> collections.Counter[str]:
    return collections.Counter(m.group(1).lower() if pattern is TAG else m.group(0) for m in pattern.finditer(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_of_the_code_is_translated(refreshed_catalogues: Path, language: str) -> None:
    entries = _entries(refreshed_catalogues / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 2000, "the catalogue lost its strings"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    missing = [e.msgid for e in entries if not (e.msgstr_plural if e.msgid_plural else e.msgstr.strip())]
    missing += [e.msgid for e in entries if e.msgid_plural and not all(v.strip() for v in e.msgstr_plural.values())]
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language} (run `make messages` and translate): {fuzzy[:5]}"
    assert not missing, f"{len(missing)} untranslated in {language} (run `make messages`): {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language: str) -> None:
    entries = _entries(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po")
    wrong = []
    for entry in entries:
        if entry.msgid_plural:
            allowed = set(_bag(PLACEHOLDER, entry.msgid_plural)) | set(_bag(PLACEHOLDER, entry.msgid))
            assert len(entry.msgstr_plural) == PLURAL_FORMS[language], entry.msgid
            # A singular form may leave the number out ("تقرير واحد"), never bring a name in.
            wrong += [entry.msgid for form in entry.msgstr_plural.values() if set(_bag(PLACEHOLDER, form)) - allowed]
        elif entry.msgstr:
            if _bag(PLACEHOLDER, entry.msgid) != _bag(PLACEHOLDER, entry.msgstr):
                wrong.append(entry.msgid)
            if _bag(TAG, entry.msgid) != _bag(TAG, entry.msgstr):
                wrong.append(entry.msgid)
    assert not wrong, f"{language}: placeholders or tags differ in {wrong[:5]}"


def test_plural_rules_are_the_languages_own() -> None:
    """Arabic has six plural forms, Russian three (one, few, many), and the rules pick them."""
    ru = polib.pofile(str(settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    ar = polib.pofile(str(settings.BASE_DIR / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    assert ru.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert ar.metadata["Plural-Forms"].startswith("nplurals=6;")
    singular, plural = " and %(n)d observer.", " and %(n)d observers."
    with translation.override("ru"):
        ru_forms = [translation.ngettext(singular, plural, n) % {"n": n} for n in (1, 3, 5, 21)]
    with translation.override("ar"):
        ar_forms = {translation.ngettext(singular, plural, n).replace("%(n)d", "N") for n in (0, 1, 2, 3, 11, 100)}
    # 1 and 21 take one form, 3 another, 5 a third.
    assert [form.replace(str(n), "N") for form, n in zip(ru_forms, (1, 3, 5, 21), strict=True)][0::3] == [
        ru_forms[0].replace("1", "N")
    ] * 2
    assert len({ru_forms[0].replace("1", "N"), ru_forms[1].replace("3", "N"), ru_forms[2].replace("5", "N")}) == 3
    assert len(ar_forms) == 6, ar_forms


def test_every_template_string_is_marked_for_translation() -> None:
    unmarked = {
        str(path.relative_to(settings.BASE_DIR)): found
        for path in sorted((settings.BASE_DIR / "templates").rglob("*"))
        if path.suffix in {".html", ".txt"} and (found := untranslated_template_text(path.read_text()))
    }
    assert not unmarked, f"text outside {{% translate %}}: {unmarked}"


def test_the_check_finds_unmarked_text() -> None:
    """The template check itself: plain words and a title attribute are found, marked text,
    template variables and code-like values are not."""
    source = (
        '{% load i18n %}<p title="Open me">Hello <b>{{ name }}</b></p>'
        '<p>{% translate "Fine" %} {% blocktranslate %}Also {{ x }} fine{% endblocktranslate %}</p>'
        '{% comment %}A note for developers{% endcomment %}<tr{% if a %} class="odd"{% endif %}><td>CSV</td></tr>'
    )
    assert untranslated_template_text(source) == ["@title=Open me", "Hello"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_translated(language: str, tmp_path: Path) -> None:
    """The .mo file Django reads says what the .po file says (``make messages`` compiles it)."""
    folder = settings.BASE_DIR / "locale" / language / "LC_MESSAGES"
    polib.pofile(str(folder / "django.po")).save_as_mofile(str(tmp_path / "fresh.mo"))

    def messages(path: Path) -> dict[tuple[str | None, str], object]:
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
            for entry in polib.mofile(str(path))
            if entry.msgid
        }

    assert messages(folder / "django.mo") == messages(tmp_path / "fresh.mo"), "run `make messages`"
