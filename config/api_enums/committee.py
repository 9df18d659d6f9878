"""drf-spectacular enum names for the committee API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {}
