# Django's French formats, with a time carrying its zone (see en/formats.py).
from django.conf.locale.fr import formats as django_formats
from django.conf.locale.fr.formats import *  # noqa: F403

TIME_FORMAT = f"{django_formats.TIME_FORMAT} T"
DATETIME_FORMAT = f"{django_formats.DATETIME_FORMAT} T"
SHORT_DATETIME_FORMAT = f"{django_formats.SHORT_DATETIME_FORMAT} T"
