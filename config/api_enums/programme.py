"""drf-spectacular enum names for the programme API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "ProgrammeStatusEnum": "reporting.api.programme_serializers.PROGRAMME_STATES",
    "ProgrammeMoveDirectionEnum": "reporting.api.programme_serializers.MOVE_DIRECTIONS",
}
