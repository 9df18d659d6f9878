"""The site's path converter for whole numbers: ``<int64:pk>``.

Django's ``<int:…>`` takes any run of digits. A number past what the database stores would
reach a lookup that cannot hold it — on SQLite the driver raises ``OverflowError``, a 500 — so
the pages' routes use ``<int64:…>`` instead: a number outside the database's range for a key
(a signed 64-bit integer, ``BigAutoField``) does not match, and the page is a 404, exactly like
an id no row has. The API checks its path ids itself, to answer a 400 naming the parameter
(``compact.core.api.viewsets``).

Registered when imported; ``config/urls.py`` imports it before any app's routes.
"""

from __future__ import annotations

from django.urls import register_converter

from compact.lib.integers import ID_TYPE, integer_range


class Int64Converter:
    """Digits naming a number the database can store as a key; anything larger matches nothing."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > integer_range(ID_TYPE)[1]:
            raise ValueError(value)  # Django then tries the next route, and ends with a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(Int64Converter, "int64")
