"""Text people wrote, shown in its own writing direction (a template builtin: no ``{% load %}``).

An Arabic paragraph in an English page, or an English title in an Arabic one, must keep its
punctuation on its own side: each paragraph says ``dir="auto"`` (the browser then decides by
its first strong letter) and inline text is isolated from the sentence around it.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def linebreaks_auto(value: object, autoescape: bool = True) -> SafeString:
    """Django's ``linebreaks`` with ``dir="auto"`` on every paragraph."""
    html = linebreaks_filter(value, autoescape=autoescape)
    return mark_safe(html.replace("<p>", '<p dir="auto">'))  # noqa: S308 — escaped by linebreaks


@register.filter(is_safe=True, needs_autoescape=True)
def linebreaksbr_auto(value: object, autoescape: bool = True) -> SafeString:
    """Django's ``linebreaksbr`` inside an isolated run (``<span dir="auto">``); empty stays empty
    so that ``|default:"—"`` still applies."""
    html = linebreaksbr(value, autoescape=autoescape)
    return format_html('<span dir="auto">{}</span>', html) if html else html


@register.filter(is_safe=True, needs_autoescape=True)
def isolate(value: object, autoescape: bool = True) -> SafeString:
    """Inline text isolated from its surroundings (``<bdi>``): a name, a title, an acronym."""
    if value in (None, ""):
        return mark_safe("")
    return format_html("<bdi>{}</bdi>", value) if autoescape else mark_safe(f"<bdi>{value}</bdi>")  # noqa: S308
