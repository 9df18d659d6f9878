# Django's Chinese formats, with thousands grouped by three and separated by "," as the
# Organization's Chinese documents write figures, and a time with its zone (see en/formats.py).
from django.conf.locale.zh_Hans import formats as django_formats
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
TIME_FORMAT = f"{django_formats.TIME_FORMAT} T"
DATETIME_FORMAT = f"{django_formats.DATETIME_FORMAT} T"
SHORT_DATETIME_FORMAT = f"{django_formats.SHORT_DATETIME_FORMAT} T"
