"""Filters for the compiled reports' print templates: user text in its own direction.

WeasyPrint implements neither ``dir="auto"`` nor ``unicode-bidi: plaintext``, so the templates
say each block's direction themselves, decided as ``dir="auto"`` would: by the first strong
letter (Unicode's bidirectional class), so that a paragraph written in Arabic runs right to
left even in an English report, and the other way round.
"""

from __future__ import annotations

import re
import unicodedata

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

RIGHT_TO_LEFT = {"R", "AL"}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@register.filter
def text_direction(text: object) -> str:
    """ "rtl" if the first strong letter of ``text`` is right-to-left (Arabic, Hebrew), else
    "ltr" (also for text with no letter at all: numbers, punctuation)."""
    for character in str(text or ""):
        kind = unicodedata.bidirectional(character)
        if kind in RIGHT_TO_LEFT:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@register.filter
def paragraphs(text: object) -> SafeString:
    """Like Django's ``linebreaks`` (paragraphs on blank lines, <br> on single newlines, all
    escaped), with each paragraph in its own direction."""
    blocks = [block.strip() for block in PARAGRAPH_BREAK.split(str(text or "").replace("\r\n", "\n"))]
    html = (
        f'<p dir="{text_direction(block)}">{escape(block).replace(chr(10), "<br>")}</p>' for block in blocks if block
    )
    return mark_safe("\n".join(html))  # noqa: S308 — every paragraph was escaped above
