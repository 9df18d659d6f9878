# Arabic as the United Nations writes it: Western digits, "." for decimals and "," for
# thousands (Django's Arabic formats swap them), a 24-hour clock, and the day before the month.
# U+200F (right-to-left mark) keeps a numeric date's parts in order inside Arabic text. A time
# carries its zone, isolated left-to-right (U+2066 … U+2069) so that an offset such as "+04"
# does not read "04+".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i \u2066T\u2069"
DATETIME_FORMAT = "j F Y H:i \u2066T\u2069"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j\u200f/n\u200f/Y"
SHORT_DATETIME_FORMAT = "j\u200f/n\u200f/Y H:i \u2066T\u2069"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
