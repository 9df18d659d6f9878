"""DRF's browsable API under the site's Content-Security-Policy.

Its templates are DRF's own. They write a few ``style="…"`` attributes (the Filters button,
the search box, nested forms), so its HTML responses, and only those, may apply inline style
*attributes* (``style-src-attr``): no inline script, no ``<style>`` element; a style attribute
can neither run code nor load anything from elsewhere. Everything else they load is a file.
"""

from __future__ import annotations

from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpResponseBase
from rest_framework import renderers


@csp_update({"style-src-attr": [UNSAFE_INLINE]})
def _allow_style_attributes(response: HttpResponseBase) -> HttpResponseBase:
    # django-csp's decorator marks whatever response the wrapped callable returns.
    return response


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: dict[str, Any] | None = None
    ) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            _allow_style_attributes(response)
        return super().render(data, accepted_media_type, renderer_context)

    def get_context(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # DRF writes the Pygments colours as an inline <style> element; our rest_framework/api.html
        # links the same rules as a file (static/api/browsable-api.css).
        return {**super().get_context(*args, **kwargs), "code_style": None}

    def get_filter_form(self, data: Any, view: Any, request: Any) -> Any:
        # DRF asks the view for its queryset before looking at its filter backends: a view with
        # none and no queryset (a list worked out by a service) answered the browser with a 500.
        if not getattr(view, "filter_backends", None):
            return None
        return super().get_filter_form(data, view, request)
