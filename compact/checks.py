"""System checks: tell the operator early when PDF rendering cannot work on this machine."""

from typing import Any

from django.core.checks import Warning, register


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
