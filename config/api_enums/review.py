"""drf-spectacular enum names for the review API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {}
