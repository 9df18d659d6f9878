"""The six languages as people see them, in Debian's headless Chromium: for each language, a
visitor's sign-on form (from the browser's language alone), a chair's home page and report
editor and OCT's review queue (from their saved language) show no English word of our
templates, run right to left in Arabic, and never scroll sideways, on a desktop or a phone.

What people typed (isolated in <bdi> or dir="auto"), form values, codes and acronyms are
left out: the test reads what the product itself says. Set SCREENSHOTS_DIR to keep a
screenshot of every page in every language.
"""

from __future__ import annotations

import csv
import re
from functools import cache

import polib
import pytest
from django.conf import settings
from playwright.sync_api import Page

from compact.core.models import User
from compact.lib.languages import supported_language
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act, submission_save_draft
from tests.browser.test_pages_in_chromium import sign_in
from tests.browser.test_reporting_in_chromium import shoot
from workinggroups.models import WorkingGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "zh-hans": "zh_Hans", "ar": "ar"}
# What the page says, without what people wrote or typed, text set in its own direction (names,
# addresses) and text marked as in another language.
PRODUCT_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll(
    'bdi, [dir], input, textarea, code, kbd, script, style, noscript, [lang], .visually-hidden'
  ).forEach((node) => node.remove());
  return copy.innerText;
}"""
# The innermost elements that stick out of the window, to say what makes a page scroll sideways.
WIDEST = """() => [...document.body.querySelectorAll('*')]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(-4).map((e) => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40))"""
# Words the same in every language: the product's name, an acronym that is one, the names of
# the file formats a chair may attach.
SAME_EVERYWHERE = {"Compact", "Tracker", "UN-Habitat", "Word", "Excel", "docx", "xlsx"}
NON_LATIN = {"ru", "zh-hans", "ar"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


@cache
def _vocabulary(catalogue: str) -> tuple[frozenset[str], frozenset[str]]:
    """(words of our English strings, words of their translations) for one catalogue."""
    english, translated = set(), set()
    for entry in polib.pofile(str(settings.BASE_DIR / "locale" / catalogue / "LC_MESSAGES" / "django.po")):
        english.update(word.lower() for word in LATIN_WORD.findall(entry.msgid + " " + entry.msgid_plural))
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        translated.update(word.lower() for text in texts for word in LATIN_WORD.findall(text))
    return frozenset(english), frozenset(translated)


def english_words(text: str, language: str) -> list[str]:
    """Words of ``text`` that are English words of our templates and not of the language's own."""
    if language == "en":
        return []
    english, translated = _vocabulary(LANGUAGES[language])
    words = [w for w in LATIN_WORD.findall(text) if w not in SAME_EVERYWHERE and not w.isupper()]
    if language in NON_LATIN:
        return [w for w in words if w.lower() in english]
    # French and Spanish share words with English ("Documents", "Transport"): those are fine.
    return [w for w in words if w.lower() in english and w.lower() not in translated]


def check_page(page: Page, language: str, name: str) -> None:
    shoot(page, f"{language}-{name}")
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    text = page.evaluate(PRODUCT_TEXT)
    assert len(text) > 200, f"{name} in {language} is nearly empty"
    found = english_words(text, language)
    assert not found, f"{name} in {language} says English words: {found}"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (
            f"{name} in {language} scrolls sideways by {overflow}px at {width}px: {page.evaluate(WIDEST)}"
        )
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_checks_find_english_in_another_language() -> None:
    """The check itself: English of our templates is found in French and Arabic pages,
    acronyms, the product's name and the language's own words are not."""
    assert english_words("Save draft", "fr") == ["Save", "draft"]
    assert english_words("Enregistrer le brouillon · OCT · Compact Tracker", "fr") == []
    assert english_words("حفظ المسودة Submitted", "ar") == ["Submitted"]


@pytest.fixture
def queue(report_period, briefing_period, roster, chair):
    """WG 7's mid-year draft (for the chair's editor) and its Q3 briefing, submitted (for OCT's queue)."""
    # The groups' names in the six languages, as the reference data gives them.
    names: dict[int, dict] = {}
    with (settings.BASE_DIR / "data" / "reference" / "working_group_names.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            number = int(row["code"].rsplit("-", 1)[1])
            names.setdefault(number, {})[supported_language(row["language"])] = {
                "name": row["name"],
                "short_name": row["short_name"],
            }
    for group in WorkingGroup.objects.filter(number__in=names):
        group.name_translations = names[group.number]
        group.save(update_fields=["name_translations"])
    briefing = Submission.objects.get(period=briefing_period, working_group__number=7)
    briefing = submission_save_draft(
        submission=briefing,
        actor=chair,
        base_revision=briefing.revision,
        fields={"work_plan_progress": "Two workshops were held in Amman: «ورشتا عمل»."},
        classification=briefing.classification,
    )
    submission_act(submission=briefing, action="submit", actor=chair)
    return Submission.objects.get(period=report_period, working_group__number=7)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_speaks_the_readers_language(
    live_server,
    queue,
    chair,
    oct_officer,
    language,
    orm,
    browser,
):
    orm(lambda: User.objects.filter(pk__in=[chair.pk, oct_officer.pk]).update(language=language))

    visitor = browser.new_context(locale=language).new_page()
    visitor.goto(f"{live_server.url}/sign-on/")
    check_page(visitor, language, "signon-form")

    chair_page = browser.new_context(locale="en-US").new_page()
    sign_in(chair_page, live_server, "chair")
    check_page(chair_page, language, "chair-home")
    chair_page.goto(f"{live_server.url}/reporting/submissions/{queue.pk}/edit/")
    check_page(chair_page, language, "chair-editor")

    officer = browser.new_context(locale="en-US").new_page()
    sign_in(officer, live_server, "officer")
    officer.goto(f"{live_server.url}/reporting/")
    assert officer.locator("#review a").count() >= 1, "the submitted briefing awaits review"
    check_page(officer, language, "oct-review-queue")
    officer.goto(f"{live_server.url}/sign-on/review/")
    check_page(officer, language, "oct-signon-queue")
