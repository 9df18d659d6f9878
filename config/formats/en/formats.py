# United Nations English: day before month, 24-hour clock ("6 December 2026", "6 Dec 2026 14:05 EST").
# Every time carries its zone ("T": "EST", "CET", "UTC", or an offset such as "+04" where the zone
# has no abbreviation): readers sit in many zones, and the time is shown in the active one.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = "j F Y H:i T"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i T"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
