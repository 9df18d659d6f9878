"""Whole numbers kept to the database's range, and the form fields that keep them there.

Every integer a client sends ends in a query or a row: an id in a filter or a path, a year, a
revision. Outside its column's range the database cannot take it — SQLite's driver raises
``OverflowError``, PostgreSQL refuses to store it (``integer out of range``) — and the request
fails with a 500 instead of saying which field is wrong. Django turns an out-of-range ``exact``
lookup on a plain integer column into "no match", but not ``__in`` lookups, lookups across a
relation, or writes. So every integer input is checked here, at the edge, against the range of
the column it is meant for (``connection.ops.integer_field_range``): an id is a 64-bit key
(``DEFAULT_AUTO_FIELD`` is ``BigAutoField``), a count or a year the column's own type.

The pages use the form fields below; the API uses ``compact.core.api.fields`` and
``compact.core.api.filters``, which rest on the same ranges.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models

# The column type of ids and of anything that is not tied to one column.
ID_TYPE = "BigIntegerField"


def integer_range(internal_type: str = ID_TYPE) -> tuple[int, int]:
    """The smallest and largest value the database stores in a column of ``internal_type``
    (a Django field's ``get_internal_type()``, e.g. ``PositiveSmallIntegerField``)."""
    low, high = connection.ops.integer_field_range(internal_type)
    return low, high


def column_field(field: models.Field) -> models.Field:
    """The field whose column holds ``field``'s value: a foreign key's (or a many-to-many's)
    target, followed to the end."""
    while field.is_relation and field.related_model is not None:
        field = field.target_field
    return field


def field_range(field: models.Field) -> tuple[int, int] | None:
    """The database's range for a model field's values, or None when they are not integers."""
    field = column_field(field)
    if not isinstance(field, models.IntegerField):  # AutoField and its kin are IntegerFields too
        return None
    return integer_range(field.get_internal_type())


def column_type(model: type[models.Model], name: str) -> str:
    """The internal type of the column holding ``model.name`` (a relation's: its target key's)."""
    return column_field(model._meta.get_field(name)).get_internal_type()


def narrowed(bounds: tuple[int, int], min_value: int | None, max_value: int | None) -> tuple[int, int]:
    """The database's ``bounds`` narrowed by a field's own, where it has them."""
    low, high = bounds
    return (low if min_value is None else max(low, min_value), high if max_value is None else min(high, max_value))


def range_error(value: int, bounds: tuple[int, int]) -> ValidationError | None:
    """The error for ``value`` outside ``bounds``, in the words (and codes) of Django's
    ``MinValueValidator`` and ``MaxValueValidator``; None when it is inside."""
    low, high = bounds
    if value < low:
        return ValidationError(MinValueValidator.message, code="min_value", params={"limit_value": low})
    if value > high:
        return ValidationError(MaxValueValidator.message, code="max_value", params={"limit_value": high})
    return None


def as_integer(value: Any) -> int | None:
    """``value`` read as a whole number, or None when it is not one (then the field's own
    check names the problem)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


# --- Form fields for the pages --------------------------------------------------------------------


class IntegerField(forms.IntegerField):
    """``forms.IntegerField`` that never lets through what the column cannot store: the range
    of ``db_type`` (a 64-bit key by default), narrowed by ``min_value`` / ``max_value``."""

    def __init__(
        self, *, min_value: int | None = None, max_value: int | None = None, db_type: str = ID_TYPE, **kwargs: Any
    ) -> None:
        low, high = narrowed(integer_range(db_type), min_value, max_value)
        super().__init__(min_value=low, max_value=high, **kwargs)


class KeyRangeMixin:
    """For fields that look a choice up by its key: a key outside the key column's range is a
    field error before any query is made (``__in`` lookups do not guard against it)."""

    queryset: models.QuerySet
    to_field_name: str | None

    def key_bounds(self) -> tuple[int, int] | None:
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        return field_range(key)

    def check_keys(self, values: Iterable[Any]) -> None:
        bounds = self.key_bounds()
        if bounds is None:
            return
        for value in values:
            number = as_integer(value)
            error = None if number is None else range_error(number, bounds)
            if error is not None:
                raise error


class BoundedKeyMixin(KeyRangeMixin):
    """For a ``ModelChoiceField``: its one key is checked first."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            self.check_keys([value])
        return super().to_python(value)


class BoundedKeysMixin(KeyRangeMixin):
    """For a ``ModelMultipleChoiceField``: each key is checked first (its ``__in`` lookup would
    hand the database a number it cannot compare)."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            self.check_keys(value)
        return super().clean(value)


class ModelChoiceField(BoundedKeyMixin, forms.ModelChoiceField):
    """``forms.ModelChoiceField`` whose key is checked against the key column's range."""


class ModelMultipleChoiceField(BoundedKeysMixin, forms.ModelMultipleChoiceField):
    """``forms.ModelMultipleChoiceField`` whose keys are checked against the key column's range."""
