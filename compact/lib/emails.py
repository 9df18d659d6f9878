"""Rendering three-file e-mails: ``emails/<name>-subject.txt``, ``-body.txt``, ``-body.html``.

One helper for every message (as Healthchecks' ``hc/lib/emails.py``), rendered in the
recipient's language so an applicant who wrote in French is answered in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(name: str, context: dict[str, Any], *, language: str | None = None) -> RenderedEmail:
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _render_plain(f"emails/{name}-subject.txt", context)
        text = _render_plain(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    # A subject is one line, whatever the template's trailing newline or wrapping.
    subject = " ".join(subject.split())[:255]
    return RenderedEmail(subject=subject, text=text.strip() + "\n", html=html)


def _render_plain(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping: "O'Brien" must not become
    "O&#x27;Brien" in a subject line or a text body."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def absolute_url(path: str) -> str:
    """A link for an e-mail: e-mails are read outside the site, so links carry the host."""
    return settings.SITE_URL.rstrip("/") + path
