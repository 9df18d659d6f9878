"""Editions in the language OCT chooses: the fixed text of the consolidated report (cover,
contents, headings, running header, "Page X of Y", markings and handling notice, table
headers, dates) is in that language, Arabic mirrors the page, and what chairs wrote stays as
they wrote it. Read back from the PDF the worker stores."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from pypdf import PdfReader

from compact.core.models import AuditEvent, Classification
from compact.registry.models import Profile
from reporting.compiled.editions import contents_of, edition_layout, edition_render, edition_request
from reporting.compiled.models import ConsolidatedReport, ReportEdition
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import fresh
from tests.reporting import pdf_fixtures as fx

pytestmark = pytest.mark.django_db

ARABIC_INPUT = fx.ARABIC_PARAGRAPHS[0]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def report(report_period, roster, chair, oct_officer) -> ConsolidatedReport:
    """A round with WG 7's input accepted (in English, with a paragraph in Arabic), marked
    confidential so that every page carries a marking and the cover its handling notice."""
    Profile.objects.filter(user=chair).update(clearance=Classification.CONFIDENTIAL)
    chair = fresh(chair)
    wg7 = report_period.submissions.get(working_group=roster.group)
    submission_save_draft(
        submission=wg7,
        actor=chair,
        base_revision=wg7.revision,
        fields={"summary": f"The guidance note was published in May.\n\n{ARABIC_INPUT}"},
        classification=Classification.CONFIDENTIAL,
    )
    submission_act(submission=wg7, action="submit", actor=chair)
    submission_act(submission=wg7, action="accept", actor=oct_officer)
    return ConsolidatedReport.objects.create(period=report_period, symbol="OCT/CC/2026/2")


def generate(report: ConsolidatedReport, actor, language: str) -> tuple[ReportEdition, list[str]]:
    edition = edition_request(report=report, actor=actor, language=language)
    assert edition_render(edition_id=edition.pk)
    edition.refresh_from_db()
    with edition.file.open("rb") as handle:
        pages = [fx.flat(page.extract_text()) for page in PdfReader(io.BytesIO(handle.read())).pages]
    return edition, pages


def page_numbering(language: str, page: int, pages: int) -> str:
    """ "Page 2 of 5" as the language's catalogue says it."""
    with translation.override(language):
        pattern = gettext('Page <span class="page-number"></span> of <span class="page-count"></span>')
    return re.sub(r"\s+", " ", pattern.replace('<span class="page-number"></span>', str(page), 1)).replace(
        '<span class="page-count"></span>', str(pages)
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def in_language(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [gettext(message) for message in messages]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_an_edition_in_arabic_or_french_has_its_fixed_text_in_that_language(report, oct_officer, language):
    edition, pages = generate(report, oct_officer, language)
    document = " ".join(pages)
    assert edition.language == language and edition.pages == len(pages)

    contents, executive_summary, language_row = in_language(
        language, "Contents", "Executive summary", "Language of this edition"
    )
    with translation.override(language):
        marking = str(Classification(Classification.CONFIDENTIAL).label).upper()
        english_name = str(translation.get_language_info("en")["name_translated"])
        own_name = str(translation.get_language_info(language)["name_translated"])
        original = gettext("Original: %(language)s") % {"language": english_name}
        month = date_format(edition.requested_at.date(), "F")
    # pypdf drops some spaces around Arabic runs and table cells: compare without them.
    document = squash(document)
    for text in (contents, executive_summary, language_row, own_name):
        assert squash(text) in document, f"{text!r} is not in the {language} edition"
    # "Original: English": pypdf gives an Arabic line with a colon in visual order, so word by word.
    assert all(squash(word) in squash(pages[0]) for word in original.split(":")), original
    assert squash(month) in squash(pages[0]), "the cover's date names the month in the edition's language"
    for number, page in enumerate(pages, start=1):
        assert squash(page_numbering(language, number, len(pages))) in squash(page), f"page {number}: {page[-100:]}"
        assert page.count(marking) >= 2, f"page {number} is not marked {marking} above and below"
    # The English words of these headings are gone; what the chair wrote is as written.
    assert "Executivesummary" not in document and "Page1of" not in document
    assert squash("The guidance note was published in May.") in document
    assert squash(ARABIC_INPUT)[:40] in document


def test_an_arabic_edition_runs_right_to_left_and_an_english_one_says_it_is_the_original(report, oct_officer):
    arabic, _ = generate(report, oct_officer, "ar")
    english, pages = generate(report, oct_officer, "en")
    assert english.language == "en" and "Original: English" in pages[0]
    html = edition_html(arabic)
    assert '<html lang="ar" dir="rtl">' in html
    # The chair's English paragraph keeps its own direction inside the Arabic edition.
    assert '<p dir="ltr">The guidance note was published in May.</p>' in html
    assert re.search(r'<p dir="rtl">' + re.escape(ARABIC_INPUT[:20]), html)


def edition_html(edition: ReportEdition) -> str:
    """The HTML the worker lays out for ``edition``, in its language."""
    with translation.override(edition.language):
        return edition_layout(edition, contents_of(edition.report))[0]


def test_a_language_that_is_not_one_of_the_six_is_refused_and_nothing_is_queued(report, oct_officer):
    for bad in ("de", "xx", "en'; DROP TABLE", "../../etc"):
        with pytest.raises(ValidationError) as refused:
            edition_request(report=report, actor=oct_officer, language=bad)
        assert "language" in refused.value.message_dict
    assert not ReportEdition.objects.exists()
    assert not AuditEvent.objects.filter(verb="reporting.edition_requested").exists()


def test_the_edition_records_its_language_in_the_audit_trail(report, oct_officer):
    edition = edition_request(report=report, actor=oct_officer, language="zh-hans")
    event = AuditEvent.objects.get(verb="reporting.edition_requested")
    assert edition.language == "zh-hans" and event.after == {"edition": 1, "language": "zh-hans"}
