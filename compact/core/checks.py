"""System checks: tell the operator early when PDF rendering or rate limiting cannot work as set
up."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def weasyprint_libraries(app_configs: Any, **kwargs: Any) -> list[Warning]:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango or its dependencies are missing
        return [
            Warning(
                f"WeasyPrint cannot load its system libraries: {error}",
                hint="Install Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0); see docs/operations.md.",
                id="compact.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def rate_limit_cache_is_shared(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The sign-on form's per-address limit counts in the default cache; a local-memory cache
    counts per process, so several web processes would each allow the full rate."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The default cache is not shared between processes, so the sign-on rate limit is per process.",
                hint="Set CACHE_URL to Redis (e.g. redis://host:6379/1); see docs/operations.md.",
                id="compact.W002",
            )
        ]
    return []


@register()
def workbooks_parse_safely(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Uploaded workbooks are read by openpyxl, which must parse their XML with defusedxml
    (no entity expansion); without it the import refuses every workbook (docs/security.md)."""
    import openpyxl
    import openpyxl.xml

    # With lxml installed (IATI, Word), openpyxl would parse with lxml unless told not to
    # (config/settings.py sets OPENPYXL_LXML=False before it is imported).
    if not openpyxl.DEFUSEDXML or openpyxl.xml.LXML:
        return [
            Error(
                "openpyxl does not parse with defusedxml: uploaded workbooks would be refused.",
                hint="Install defusedxml (requirements.txt), unset OPENPYXL_DEFUSEDXML and import openpyxl after "
                "the settings (which set OPENPYXL_LXML=False).",
                id="compact.E001",
            )
        ]
    return []


@register()
def beat_lock_is_usable(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Beat refuses to start with a beat lock it cannot use (compact.lib.beat); say so at
    deploy time, on every process, rather than when beat is started."""
    from compact.lib.beat import beat_lock_from_url

    try:
        beat_lock_from_url(settings.BEAT_LOCK_URL, key=settings.BEAT_LOCK_KEY, ttl=settings.BEAT_LOCK_TTL)
    except ValueError as error:
        return [Error(str(error), hint="See docs/operations.md, 'Several machines'.", id="compact.E002")]
    return []
