"""``/api/v1/schema/``, served from the schema generated once per process and language: it is
the same for every reader and changes only with the code. (Apart from ``schema``, which
drf-spectacular imports through ``DEFAULT_SCHEMA_CLASS`` while its views are being imported.)"""

from __future__ import annotations

from threading import Lock
from typing import Any, ClassVar, NamedTuple

from django.conf import settings
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from compact.lib.languages import supported_language

# How a renderer renders the schema: its class and, for JSON, the indent the client asked for.
Rendering = tuple[type[BaseRenderer], int | None]


class Rendered(NamedTuple):
    schema: dict[str, Any]  # the schema it was rendered from: one generated again renders again
    content: bytes
    content_type: str


class RenderedOnceResponse(Response):
    """The schema's response, rendered once per schema and rendering.

    Rendering the whole schema costs far more than serving it (~0.2 s of CPU for its YAML, the
    default format; ~30 ms for its JSON), and it renders to the same bytes for every reader of a
    language and format. What makes a rendering is the renderer and, for JSON, the indent an
    ``Accept`` header may ask for (``application/json; indent=2``), which DRF reads as 0 to 8;
    every other parameter is ignored by the renderers, so no header makes the store grow (six
    languages × four renderers × nine indents at most) or makes a request render again."""

    def __init__(self, *, schema: dict[str, Any], kept: dict[Rendering, Rendered], **kwargs: Any):
        super().__init__(data=schema, **kwargs)
        self._kept = kept

    @property
    def rendered_content(self) -> Any:
        renderer = self.accepted_renderer
        get_indent = getattr(renderer, "get_indent", None)  # JSON's; the YAML renderer takes no parameter
        indent = get_indent(self.accepted_media_type, self.renderer_context) if get_indent else None
        rendering = (type(renderer), indent)
        kept = self._kept.get(rendering)
        if kept is None or kept.schema is not self.data:
            kept = self._kept[rendering] = Rendered(self.data, super().rendered_content, self["Content-Type"])
        self["Content-Type"] = kept.content_type
        return kept.content


class SchemaView(SpectacularAPIView):
    """``/api/v1/schema/``: drf-spectacular's view, generating each language's schema once.

    Generating walks every endpoint of the API (~0.4 s of CPU; ~1 s the first time), and the
    view did it for every request: anyone signed in could keep a web process busy with it. The
    schema does not depend on who asks (it is generated public: every operation, whatever the
    reader may call), only on the language of its descriptions (``?lang=``, or the reader's),
    one of the six (``supported_language``: "fr-CH" is French, one the site does not have is
    the default), so no query string makes a new entry; each is rendered once per format
    (``RenderedOnceResponse``). The API has one version
    (``SPECTACULAR_SETTINGS["VERSION"]``): drf-spectacular's ``?version=`` would only print
    another number in it, and is not read. A new release starts new processes."""

    _generated: ClassVar[dict[str, dict[str, Any]]] = {}
    # Each language's schema as each renderer rendered it (RenderedOnceResponse).
    _rendered: ClassVar[dict[str, dict[Rendering, Rendered]]] = {}
    _generating: ClassVar[Lock] = Lock()

    def _get_schema_response(self, request: Request) -> Response:
        language = supported_language(translation.get_language()) or settings.LANGUAGE_CODE
        schema = self._generated.get(language)
        if schema is None:
            with self._generating:  # generated once, even when the first requests arrive together
                if language not in self._generated:
                    generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
                    with translation.override(language):
                        self._generated[language] = generator.get_schema(request=request, public=self.serve_public)
                schema = self._generated[language]
        filename = self._get_filename(request, None)
        return RenderedOnceResponse(
            schema=schema,
            kept=self._rendered.setdefault(language, {}),
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
