"""The six languages are complete: every string people read is marked for translation, and
each of the five catalogues translates every one of them (nothing empty, nothing fuzzy, the
same placeholders and markup as the English).

The catalogue test extracts the strings of today's code as ``make messages`` does (Django's
makemessages: xgettext over the code and templates) and looks each one up in the committed
catalogues as msgmerge would (by context and text, with its plural), so a string added or
changed without running ``make messages`` and translating it fails here. It extracts them into a
folder of its own: the committed catalogues are not touched, and the five msgmerge runs of
``make messages`` (most of its time) are not needed to find what is missing.
"""

from __future__ import annotations

import collections
import re
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages
from django.utils import translation

from tests.helpers import untranslated_template_text

LANGUAGES = ("ar", "es", "fr", "ru", "zh_Hans")
PLURAL_FORMS = {"ar": 6, "es": 3, "fr": 2, "ru": 3, "zh_Hans": 1}
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdif]|%%|\{[A-Za-z_][\w.]*\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


class _ExtractOnly(makemessages.Command):
    """``makemessages`` that writes the code's strings to ``<pot_folder>/django.pot`` and stops
    there. (Run from the project's folder, makemessages puts the .pot next to the committed
    catalogues in locale/ and msgmerges them in place; here every file's strings go to the
    test's own folder, and no catalogue is merged.)"""

    pot_folder = ""

    def find_files(self, root: str) -> list:
        return [self.translatable_file_class(f.dirpath, f.file, self.pot_folder) for f in super().find_files(root)]

    def write_po_file(self, potfile: str, locale: str) -> None:
        """Nothing: the catalogues are compared with the .pot by the tests, not merged."""


def code_messages() -> dict[tuple[str | None, str], polib.POEntry]:
    """The strings of today's code and templates (``make messages``' extraction), by context and text."""
    with tempfile.TemporaryDirectory() as folder:
        command = _ExtractOnly()
        command.pot_folder = folder
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(settings.BASE_DIR)
            call_command(
                command,
                locale=[LANGUAGES[0]],
                keep_pot=True,
                ignore_patterns=[".venv/*", "var/*", "tests/*", "bench/*", "node_modules/*"],
                verbosity=0,
            )
        entries = _entries(Path(folder) / "django.pot")
    return {(entry.msgctxt, entry.msgid): entry for entry in entries if entry.msgid}


def _entries(path: Path) -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def _bag(pattern: re.Pattern[str], text: str) -> collections.Counter[str]:
    return collections.Counter(m.group(1).lower() if pattern is TAG else m.group(0) for m in pattern.finditer(text))


def test_every_string_of_the_code_is_translated() -> None:
    """One test for the five catalogues, so that the code is read once (a parallel run would
    otherwise extract the strings again in every worker that gets one language)."""
    wanted = code_messages()
    assert len(wanted) > 2000, "the code lost its strings (or the extraction found none)"
    problems = []
    for language in LANGUAGES:
        missing, fuzzy = _not_translated(wanted, _catalogue(language))
        if fuzzy:
            problems.append(f"{len(fuzzy)} fuzzy in {language} (run `make messages` and translate): {fuzzy[:5]}")
        if missing:
            problems.append(f"{len(missing)} untranslated in {language} (run `make messages`): {missing[:5]}")
    assert not problems, "\n".join(problems)


def _not_translated(wanted: dict, catalogue: dict) -> tuple[list[str], list[str]]:
    """The strings of ``wanted`` (the code's) that ``catalogue`` does not translate, as msgmerge
    would leave them: (missing — new, changed, or with an empty translation; fuzzy)."""
    missing, fuzzy = [], []
    for key, string in wanted.items():
        entry = catalogue.get(key)
        if entry is None or (entry.msgid_plural or "") != (string.msgid_plural or ""):
            missing.append(string.msgid)  # new, or its English changed: msgmerge adds it empty or fuzzy
        elif "fuzzy" in entry.flags:
            fuzzy.append(entry.msgid)
        elif not _translated(entry):
            missing.append(entry.msgid)
    return missing, fuzzy


def _catalogue(language: str) -> dict[tuple[str | None, str], polib.POEntry]:
    """The committed catalogue of ``language``, by context and text (obsolete entries left out)."""
    path = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    return {(entry.msgctxt, entry.msgid): entry for entry in _entries(path)}


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(form.strip() for form in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


def test_the_extraction_finds_a_new_string_and_the_check_a_stale_one(tmp_path: Path) -> None:
    """The check itself: a string in the code that no catalogue has is extracted (and so reported
    as untranslated), a plural whose English changed no longer matches, and a fuzzy entry is not
    taken for a translation."""
    source = tmp_path / "app"
    source.mkdir()
    (source / "views.py").write_text(
        "from django.utils.translation import gettext as _, ngettext, pgettext\n"
        "A = _('A sentence no catalogue has yet.')\n"
        "B = pgettext('month', 'May')\n"
        "C = ngettext('%(n)d report', '%(n)d reports', 2)\n"
    )
    (source / "page.html").write_text("{% load i18n %}<p>{% translate 'Shown on a page' %}</p>")
    command = _ExtractOnly()
    command.pot_folder = str(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(source)
        call_command(command, locale=[LANGUAGES[0]], keep_pot=True, verbosity=0)
    found = {(entry.msgctxt, entry.msgid): entry for entry in _entries(tmp_path / "django.pot") if entry.msgid}
    assert set(found) == {
        (None, "A sentence no catalogue has yet."),
        ("month", "May"),
        (None, "%(n)d report"),
        (None, "Shown on a page"),
    }
    assert not (source / "locale").exists() and not (tmp_path / LANGUAGES[0]).exists()  # no catalogue written
    assert found[(None, "%(n)d report")].msgid_plural == "%(n)d reports"

    catalogue = {
        ("month", "May"): polib.POEntry(msgctxt="month", msgid="May", msgstr="Mai", flags=["fuzzy"]),
        (None, "%(n)d report"): polib.POEntry(
            msgid="%(n)d report", msgid_plural="%(n)d report(s)", msgstr_plural={0: "%(n)d rapport", 1: "%(n)d rapps"}
        ),
        (None, "Shown on a page"): polib.POEntry(msgid="Shown on a page", msgstr="Affiché sur une page"),
    }
    missing, fuzzy = _not_translated(found, catalogue)
    assert (sorted(missing), fuzzy) == (["%(n)d report", "A sentence no catalogue has yet."], ["May"])
    assert not _translated(polib.POEntry(msgid="a", msgid_plural="b", msgstr_plural={0: "x", 1: " "}))


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
