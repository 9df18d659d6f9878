"""Enum names for drf-spectacular, one module per area so each can be edited on its own.

The values are import paths (strings), so settings import no app code."""

from config.api_enums import committee, consultation, monitoring, programme, review, visits

FEATURE_ENUMS: dict[str, str | list[str]] = {
    **committee.ENUMS,
    **consultation.ENUMS,
    **monitoring.ENUMS,
    **programme.ENUMS,
    **review.ENUMS,
    **visits.ENUMS,
}
