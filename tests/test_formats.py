"""Dates and numbers as each language writes them (config/formats): UN English day-month-year,
Russian months in the genitive, Chinese year-month-day, Arabic with Western digits."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
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
