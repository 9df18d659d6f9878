"""Dates of the Compact every domain bounds its date inputs by."""

from __future__ import annotations

import datetime

# The Compact was signed in February 2018; there is no Committee to show before 2018.
EARLIEST_DAY = datetime.date(2018, 1, 1)
