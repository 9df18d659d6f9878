"""drf-spectacular enum names for the programme API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "ProgrammeStatusEnum": "reporting.api.programme.PROGRAMME_STATES",
    "ProgrammeMoveDirectionEnum": "reporting.api.programme.MOVE_DIRECTIONS",
}
