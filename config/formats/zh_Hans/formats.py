# Django's Chinese formats, with thousands grouped by three and separated by "," as the
# Organization's Chinese documents write figures.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
