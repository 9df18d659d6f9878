"""Dates and numbers as each language writes them (config/formats): UN English day-month-year,
Russian months in the genitive, Chinese year-month-day, Arabic with Western digits; every time
with its zone, a date alone without."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format

from compact.lib.languages import date_span, supported_language

DAY = datetime.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("language", "long", "month_day"),
    [
        ("en", "6 December 2026", "6 December"),
        ("fr", "6 décembre 2026", "6 décembre"),
        ("es", "6 de diciembre de 2026", "6 de diciembre"),
        ("ru", "6 декабря 2026 г.", "6 декабря"),
        ("zh-hans", "2026年12月6日", "12月6日"),
        ("ar", "6 ديسمبر 2026", "6 ديسمبر"),
    ],
)
def test_a_date_reads_as_the_language_writes_it(language, long, month_day):
    with translation.override(language):
        assert date_format(DAY) == long
        assert date_format(DAY, "MONTH_DAY_FORMAT") == month_day


def test_arabic_keeps_western_digits_and_un_separators():
    with translation.override("ar"):
        assert number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1,234,567.5"
        assert date_span(datetime.date(2026, 1, 1), DAY) == "1\u200f/1\u200f/2026–6\u200f/12\u200f/2026"
    with translation.override("fr"):
        assert number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1\xa0234\xa0567,5"


@pytest.mark.parametrize(
    ("code", "language"),
    [("fr-CH", "fr"), ("zh_Hans", "zh-hans"), ("ZH-HANS", "zh-hans"), ("ar-EG", "ar"), ("de", None), ("", None)],
)
def test_a_code_names_one_of_the_six_languages_or_none(code, language):
    assert supported_language(code) == language


# A winter afternoon in New York: 19:05 UTC.
MOMENT = datetime.datetime(2026, 12, 6, 19, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "6 December 2026 14:05 EST", "6 Dec 2026 14:05 EST"),
        ("fr", "6 décembre 2026 14:05 EST", "06/12/2026 14:05 EST"),
        ("es", "6 de diciembre de 2026 a las 14:05 EST", "06/12/2026 14:05 EST"),
        ("ru", "6 декабря 2026 г. 14:05 EST", "06.12.2026 14:05 EST"),
        ("zh-hans", "2026年12月6日 14:05 EST", "2026年12月6日 14:05 EST"),
        ("ar", "6 ديسمبر 2026 14:05 \u2066EST\u2069", "6\u200f/12\u200f/2026 14:05 \u2066EST\u2069"),
    ],
)
def test_a_time_carries_its_zone_in_every_language(language, long, short):
    with translation.override(language), timezone.override("America/New_York"):
        local = timezone.localtime(MOMENT)
        assert date_format(local, "DATETIME_FORMAT") == long
        assert date_format(local, "SHORT_DATETIME_FORMAT") == short
        assert date_format(local, "TIME_FORMAT").endswith("EST\u2069" if language == "ar" else "14:05 EST")
        # A date alone stays a date.
        assert "EST" not in date_format(local.date(), "DATE_FORMAT")


def test_the_zone_is_the_active_one_and_an_offset_where_it_has_no_abbreviation():
    with translation.override("en"):
        with timezone.override("Asia/Dubai"):
            assert date_format(timezone.localtime(MOMENT), "DATETIME_FORMAT") == "6 December 2026 23:05 +04"
        with timezone.override("UTC"):
            assert date_format(timezone.localtime(MOMENT), "TIME_FORMAT") == "19:05 UTC"
    with translation.override("ar"), timezone.override("Asia/Dubai"):
        # Isolated left-to-right, so that in Arabic text the offset does not read "04+".
        assert date_format(timezone.localtime(MOMENT), "TIME_FORMAT") == "23:05 \u2066+04\u2069"


def test_a_template_shows_the_zone_with_a_time_and_not_with_a_date():
    template = Template('{{ moment|date:"SHORT_DATETIME_FORMAT" }} / {{ moment }} / {{ moment|date:"DATE_FORMAT" }}')
    with translation.override("en"), timezone.override("Europe/Vienna"):
        assert (
            template.render(Context({"moment": MOMENT}))
            == "6 Dec 2026 20:05 CET / 6 December 2026 20:05 CET / 6 December 2026"
        )


# Formats for machines (a <time datetime=…> or an <input type=date> value), not for people.
MACHINE_FORMATS = {"c", "Y-m-d"}
TEMPLATE_DATE = re.compile(r"""\|date:["']([^"']*)["']""")
PYTHON_DATE = re.compile(r"""date_format\([^)]*["']([^"']*)["']\)""")
# Format characters of a time of day: shown without "T", a time would have no zone.
TIME_CHARACTERS = re.compile(r"(?<!\\)[aAfgGhHisuPT]")


def test_templates_show_dates_and_times_only_through_named_formats():
    """Pages, e-mails and PDFs: a time is shown only through the named formats, which carry
    its zone; a raw "H:i" would not."""
    found = {}
    for path in (settings.BASE_DIR / "templates").rglob("*"):
        if path.suffix in (".html", ".txt"):
            for fmt in TEMPLATE_DATE.findall(path.read_text()):
                if not fmt.endswith("_FORMAT") and fmt not in MACHINE_FORMATS:
                    found[str(path)] = fmt
    assert not found


def test_code_formats_no_time_of_day_without_its_zone():
    found = {}
    for app in ("compact", "reporting", "workinggroups", "portal"):
        for path in (settings.BASE_DIR / app).rglob("*.py"):
            for fmt in PYTHON_DATE.findall(path.read_text()):
                if not fmt.endswith("_FORMAT") and TIME_CHARACTERS.search(fmt):
                    found[str(path)] = fmt
    assert not found
