"""Selects whose options are drawn once and kept in the cache.

A filter form's selects list every country, region, entity, working group and organization:
some 750 options, each drawn through a template, which was most of the time of the matrix's
browse page. The options are the same for every reader: what changes from one request to the
next is which one is selected. So the select is drawn once with none selected and kept in
Django's cache, and each request marks its selected option in the cached HTML.

The cache key is a digest of everything the HTML is drawn from: the widget, its name and
attributes, the language, and the options themselves (values and labels, as the field lists
them now). An entity, working group or organization added or renamed changes the options,
hence the key: the next page draws the new select, with no invalidation to forget. Reading
the options still costs the field its query (an entity list is a few dozen rows); drawing
them is what is saved.

Because a key names its content, a copy can never be stale: each process also keeps the
last ``LOCAL_COPIES`` selects it used in memory, in front of the shared cache, so a page asks
Redis nothing once the process has drawn or fetched its selects.

Only options that are the same for every reader belong here: never a choice a clearance or a
role narrows (projects, reports), or the cache would show one reader's options to another.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A day: the key changes with the options, so this only bounds what the cache keeps.
OPTIONS_TIMEOUT = 24 * 60 * 60
# Drawn as the value, it selects no option (no choice's value holds a NUL character).
NOTHING_SELECTED = "\x00"
# Selects kept in each process's memory (a few per language and form; the country select,
# the largest, is some 40 kB).
LOCAL_COPIES = 128
_local: OrderedDict[str, str] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> str | None:
    with _local_lock:
        html = _local.get(key)
        if html is not None:
            _local.move_to_end(key)
        return html


def _local_set(key: str, html: str) -> None:
    with _local_lock:
        _local[key] = html
        _local.move_to_end(key)
        while len(_local) > LOCAL_COPIES:
            _local.popitem(last=False)


def local_copies_clear() -> None:
    """Forget this process's copies (tests and benchmarks that measure the drawing)."""
    with _local_lock:
        _local.clear()


def _plain_choices(choices: Any) -> tuple[tuple[str, Any], ...]:
    """The choices as strings, groups kept: ((value, label) | (group label, ((value, label), …)), …).

    Model choices are read here once (one query) and drawn from this list."""
    plain = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            plain.append((str(value), tuple((str(v), str(lab)) for v, lab in label)))
        else:
            plain.append(("" if value is None else str(value), str(label)))
    return tuple(plain)


def mark_selected(html: str, value: str) -> str:
    """``html`` with its first option of ``value`` selected (none if no option has it), as
    Django draws a single select. ``value`` is escaped as the option's value attribute is, so a
    value from the query string only ever matches one of the drawn options."""
    needle = f'<option value="{escape(value)}"'
    start = 0
    while (found := html.find(needle, start)) != -1:
        end = found + len(needle)
        if html[end : end + 1] in (">", " "):
            return f"{html[:end]} selected{html[end:]}"
        start = end
    return html


class CachedOptionsMixin:
    """For a single ``forms.Select`` (or a subclass): see the module's docstring."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = _plain_choices(self.choices)  # type: ignore[attr-defined]
        key = self._options_key(name, attrs, choices)
        html = _local_get(key) or cache.get(key)
        if html is None:
            self.choices = choices
            html = str(super().render(name, NOTHING_SELECTED, attrs, renderer))  # type: ignore[misc]
            cache.set(key, html, OPTIONS_TIMEOUT)
        _local_set(key, html)
        selected = self.format_value(value)  # type: ignore[attr-defined]
        return mark_safe(mark_selected(html, selected[0] if selected else ""))  # noqa: S308 (drawn by Django)

    def _options_key(self, name: str, attrs: dict[str, Any] | None, choices: tuple[Any, ...]) -> str:
        drawn_from = (
            type(self).__module__,
            type(self).__qualname__,
            name,
            sorted((str(k), str(v)) for k, v in {**self.attrs, **(attrs or {})}.items()),  # type: ignore[attr-defined]
            get_language(),
            choices,
        )
        digest = hashlib.sha256(repr(drawn_from).encode()).hexdigest()
        return f"select-options:{digest}"


class CachedSelect(CachedOptionsMixin, forms.Select):
    pass
