"""drf-spectacular enum names for the programme API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {}
