"""drf-spectacular enum names for the consultation rounds' API (merged into SPECTACULAR_SETTINGS)."""

ENUMS: dict[str, str | list[str]] = {
    "ConsultationStateEnum": "reporting.models.ConsultationRound.State",
    "ConsultationActionEnum": "reporting.consultation.api.OCT_ACTIONS",
    "ConsultationSubjectEnum": "reporting.consultation.api.SUBJECT_KINDS",
    "ConsultationResponseEnum": "reporting.models.ConsultationComment.Response",
}
