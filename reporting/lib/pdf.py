"""Rendering HTML to PDF with WeasyPrint, safely.

The HTML comes from our templates with the user's text escaped in it; what WeasyPrint may
fetch is limited to the app's own static files (``static:`` URLs, e.g. the emblem and the
print stylesheet). Any other URL, whether ``http:``, ``file:`` or ``data:``, is refused, so
neither user content nor a template can make the renderer reach the network or read a
local file.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``static:<path>`` from the app's static files and refuses everything else."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_SCHEME):
            raise ValueError(f"A PDF may only use the app's static files, not {url[:80]!r}.")
        relative = url[len(STATIC_SCHEME) :].lstrip("/")
        found = finders.find(relative)
        if not found or ".." in Path(relative).parts:
            raise ValueError(f"No static file {relative!r}.")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": mime_type})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def pdf_render(html: str, *, stylesheets: list[str] = ()) -> RenderedPdf:
    """Lay out ``html`` (with extra CSS ``stylesheets`` as text) and write the PDF."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, url_fetcher=fetcher) for css in stylesheets]
    )
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
