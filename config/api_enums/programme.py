"""drf-spectacular enum names for the programme API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "ProgrammeStatusEnum": "reporting.programme.serializers.PROGRAMME_STATES",
    "ProgrammeMoveDirectionEnum": "reporting.programme.serializers.MOVE_DIRECTIONS",
}
