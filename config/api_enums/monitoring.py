"""drf-spectacular enum names for the monitoring API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {}
