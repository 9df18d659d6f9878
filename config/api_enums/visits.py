"""drf-spectacular enum names for CTED's country visits' API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "CountryVisitStateEnum": "compact.models.CountryVisit.State",
    "CountryVisitActionEnum": "compact.visits.api.VISIT_ACTIONS",
}
