# Django's Russian formats, but a day and month reads "6 декабря" (genitive), not "6 декабрь",
# and a time carries its zone (see en/formats.py).
from django.conf.locale.ru import formats as django_formats
from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"
TIME_FORMAT = f"{django_formats.TIME_FORMAT} T"
DATETIME_FORMAT = f"{django_formats.DATETIME_FORMAT} T"
SHORT_DATETIME_FORMAT = f"{django_formats.SHORT_DATETIME_FORMAT} T"
