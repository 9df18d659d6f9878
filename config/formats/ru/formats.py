# Django's Russian formats, but a day and month reads "6 декабря" (genitive), not "6 декабрь".
from django.conf.locale.ru.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "j E"
