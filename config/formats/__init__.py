"""Date and number formats where Django's defaults differ from United Nations usage
(``FORMAT_MODULE_PATH``); each language not here keeps Django's own formats.

Templates name formats ("DATE_FORMAT", "SHORT_DATE_FORMAT", …), never patterns, so a date
reads "6 December 2026", "6 décembre 2026", "2026年12月6日" or the Russian one as the
reader's language writes it. Digits stay Western (0–9) in every language, Arabic included,
as in the Organization's Arabic documents.
"""
