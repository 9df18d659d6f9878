"""drf-spectacular enum names for the committee API (merged into SPECTACULAR_SETTINGS):
the Coordination Committee's meetings and the USG's briefings to Member States."""

ENUMS: dict[str, str | list[str]] = {
    "MeetingStateEnum": "reporting.models.Meeting.State",
    "MeetingActionEnum": "reporting.committee.serializers.MEETING_ACTIONS",
    "AgendaItemKindEnum": "reporting.models.AgendaItem.Kind",
    "AgendaItemInputKindEnum": "reporting.committee.serializers.HAND_KINDS",
    "AgendaMoveDirectionEnum": "reporting.committee.serializers.DIRECTIONS",
    "ActionPointStatusEnum": "reporting.models.ActionPoint.Status",
    "ActionPointActionEnum": "reporting.committee.serializers.ACTION_POINT_ACTIONS",
    "MemberStateBriefingStateEnum": "compact.models.MemberStateBriefing.State",
    "MemberStateBriefingActionEnum": "compact.outreach.api.BRIEFING_ACTIONS",
    "SummaryFillModeEnum": "compact.outreach.api.FILL_MODES",
}
