"""Serializers of the reporting API: periods, work plans, submissions, versions and diffs.

Output serializers render what selectors return; input serializers only parse (types,
choices, unknown keys) and leave every rule to the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compact.core.api.fields import IntegerField, ModelSerializer
from compact.core.models import Classification
from compact.lib.emails import absolute_url
from compact.lib.integers import column_type
from compact.registry.models import Pillar
from compact.registry.serializers import WorkingGroupRefSerializer, person_name
from reporting.submissions.models import (
    ActivityProgress,
    Attachment,
    ReportingPeriod,
    Submission,
    SubmissionStep,
    SubmissionVersion,
)
from reporting.submissions.permissions import available_moves, can_edit_submission
from reporting.submissions.selectors import Progress
from reporting.submissions.workflow import REORGANISATION, TRANSITIONS
from workinggroups.models import WorkPlan, WorkPlanActivity, WorkPlanOutput

AnyUser = AbstractBaseUser | AnonymousUser

# Every move of the table (the schema's ``SubmissionActionEnum``).
# The moves people take (a reorganisation's closing is its adoption's, never asked for here).
SUBMISSION_ACTIONS = [(t.action, str(t.label)) for t in TRANSITIONS if t.by != REORGANISATION]
# Where a group stands for a period on OCT's dashboard (``DashboardProgressEnum``).
PROGRESS_CHOICES = [
    (Progress.NOT_STARTED, "Not started"),
    (Progress.DRAFT, "Draft"),
    (Progress.SUBMITTED, "Submitted"),
    (Progress.RETURNED, "Returned for revision"),
    (Progress.ACCEPTED, "Accepted"),
    (Progress.LATE, "Late"),
]
# How a piece of a diff compares (``DiffPieceKindEnum``).
PIECE_KINDS = [("same", "Unchanged"), ("removed", "Removed"), ("added", "Added")]
CONTENT_FIELDS = (*Submission.BRIEFING_FIELDS, *Submission.REPORT_FIELDS)
# The column a version's number is compared with (kept to its range).
VERSION_NUMBER = column_type(SubmissionVersion, "number")


def content_fields_of(submission: Submission) -> dict[str, str]:
    """The text of the fields of the submission's kind (briefing or progress report)."""
    return {name: getattr(submission, name) for name in submission.content_fields}


# --- Periods -----------------------------------------------------------------------------------


class ReportingPeriodSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-reporting-period-detail")
    label = serializers.CharField(source="__str__", read_only=True, help_text="For people: kind and span.")
    is_briefing = serializers.BooleanField(read_only=True, help_text="A quarterly briefing, else a progress report.")

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "url",
            "kind",
            "label",
            "is_briefing",
            "covers_from",
            "covers_until",
            "opens_on",
            "due_on",
            "closes_on",
            "time_zone",
            "state",
            "created_at",
        ]
        read_only_fields = fields


class ReportingPeriodCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportingPeriod.Kind.choices)
    covers_from = serializers.DateField(help_text="First day the period covers.")
    covers_until = serializers.DateField(help_text="Last day the period covers.")
    opens_on = serializers.DateField(help_text="When the working groups may start writing.")
    due_on = serializers.DateField(help_text="The last day to submit on time (New York).")
    closes_on = serializers.DateField(
        required=False, allow_null=True, help_text="Optional: the scheduler closes the period after this day."
    )


class PeriodRefSerializer(ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "kind", "label", "covers_from", "covers_until", "due_on", "state"]
        read_only_fields = fields


class PeriodOpenedSerializer(ReportingPeriodSerializer):
    drafts_created = serializers.IntegerField(read_only=True, help_text="Drafts created now (none on a repeat).")

    class Meta(ReportingPeriodSerializer.Meta):
        fields = [*ReportingPeriodSerializer.Meta.fields, "drafts_created"]
        read_only_fields = fields


class DashboardRowSerializer(serializers.Serializer):
    working_group = WorkingGroupRefSerializer(source="group")
    submission = serializers.IntegerField(
        source="submission.pk", allow_null=True, default=None, help_text="The submission's id, if there is one."
    )
    status = serializers.ChoiceField(
        source="submission.status", choices=Submission.Status.choices, allow_null=True, default=None
    )
    progress = serializers.ChoiceField(choices=PROGRESS_CHOICES)
    late = serializers.BooleanField(help_text="Past the due date and never submitted.")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", allow_null=True, default=None)
    on_time = serializers.BooleanField(source="submission.on_time", allow_null=True, default=None)


class PeriodDashboardSerializer(serializers.Serializer):
    period = PeriodRefSerializer()
    expected = serializers.IntegerField(help_text="Groups expected to report.")
    reported = serializers.IntegerField(help_text="Groups that submitted.")
    on_time = serializers.IntegerField(help_text="Groups that first submitted by the due date.")
    reporting_rate = serializers.FloatField(allow_null=True, help_text="reported / expected (null if none expected).")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="on_time / reported (null if none reported).")
    rows = DashboardRowSerializer(many=True)


# --- Work plans --------------------------------------------------------------------------------


class WorkPlanActivitySerializer(ModelSerializer):
    lead_entities = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)
    pillars = serializers.ListField(child=serializers.ChoiceField(choices=Pillar.choices), read_only=True)

    class Meta:
        model = WorkPlanActivity
        fields = ["id", "position", "title", "lead_entities", "target_date", "pillars", "status"]
        read_only_fields = fields


class WorkPlanOutputSerializer(ModelSerializer):
    activities = WorkPlanActivitySerializer(many=True, read_only=True)

    class Meta:
        model = WorkPlanOutput
        fields = ["id", "position", "title", "activities"]
        read_only_fields = fields


class WorkPlanSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-work-plan-detail")
    working_group = WorkingGroupRefSerializer(read_only=True)
    biennium_label = serializers.CharField(read_only=True, help_text="E.g. 2026–2027.")

    class Meta:
        model = WorkPlan
        fields = ["id", "url", "working_group", "biennium_start", "biennium_label", "summary", "updated_at"]
        read_only_fields = fields


class WorkPlanDetailSerializer(WorkPlanSerializer):
    outputs = WorkPlanOutputSerializer(many=True, read_only=True)

    class Meta(WorkPlanSerializer.Meta):
        fields = [*WorkPlanSerializer.Meta.fields, "outputs"]
        read_only_fields = fields


# --- Submissions -------------------------------------------------------------------------------


class ContentFieldsSerializer(serializers.Serializer):
    """The structured text. A briefing has the first three fields, a progress report the
    other seven; only the submission's own appear, and only those may be sent."""

    work_plan_progress = serializers.CharField(required=False, allow_blank=True, help_text="Briefings.")
    issues_of_concern = serializers.CharField(required=False, allow_blank=True, help_text="Briefings.")
    upcoming_activities = serializers.CharField(required=False, allow_blank=True, help_text="Briefings.")
    summary = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    joint_work = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    challenges = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    gender_considerations = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    youth_considerations = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    human_rights_considerations = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")
    requests_to_committee = serializers.CharField(required=False, allow_blank=True, help_text="Progress reports.")

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(CONTENT_FIELDS))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("There is no such field in a briefing or a progress report.")] for name in unknown}
                )
        return super().to_internal_value(data)


class ActivityLineSerializer(ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The work-plan activity the line was pre-filled from."
    )
    status = serializers.ChoiceField(choices=WorkPlanActivity.Status.choices, allow_blank=True)

    class Meta:
        model = ActivityProgress
        fields = ["id", "activity", "title", "status", "narrative"]
        read_only_fields = fields


class StepSerializer(ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionStep
        fields = ["action", "from_status", "to_status", "by", "comment", "created_at"]
        read_only_fields = fields

    def get_by(self, step: SubmissionStep) -> str | None:
        return person_name(step.actor)


class AttachmentSerializer(ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        """The file on the site (a signed-in session downloads it)."""
        return absolute_url(reverse("reporting-attachment", args=[attachment.submission_id, attachment.pk]))


class SubmissionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=SUBMISSION_ACTIONS)
    label = serializers.CharField()
    comment = serializers.ChoiceField(
        choices=["required", "optional", "none"], help_text="Whether the move takes a comment."
    )


class SubmissionSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-submission-detail")
    period = PeriodRefSerializer(read_only=True)
    working_group = WorkingGroupRefSerializer(read_only=True)
    submitted_by = serializers.SerializerMethodField()
    due_on = serializers.DateField(
        read_only=True, help_text="This group's due date: the period's, or an approved extension's."
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "url",
            "period",
            "working_group",
            "status",
            "classification",
            "revision",
            "due_on",
            "extended_until",
            "submitted_at",
            "submitted_by",
            "on_time",
            "carried_over_from",
            "status_changed_at",
        ]
        read_only_fields = fields

    def get_submitted_by(self, submission: Submission) -> str | None:
        """Who first submitted it, on behalf of the working group."""
        return person_name(submission.submitted_by)


class SubmissionContentSerializer(ModelSerializer):
    """A draft's content as it is saved now (what a 409 shows the second editor)."""

    fields = serializers.SerializerMethodField(method_name="content_of")
    activities = ActivityLineSerializer(source="activity_progress", many=True, read_only=True)
    last_edited_by = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["status", "classification", "revision", "fields", "activities", "last_edited_at", "last_edited_by"]
        read_only_fields = fields

    @extend_schema_field(ContentFieldsSerializer)
    def content_of(self, submission: Submission) -> dict[str, str]:
        # Not ``get_fields``: that is the serializer's own method.
        return content_fields_of(submission)

    def get_last_edited_by(self, submission: Submission) -> str | None:
        return person_name(submission.last_edited_by)


class SubmissionDetailSerializer(SubmissionSerializer):
    fields = serializers.SerializerMethodField(method_name="content_of")
    activities = ActivityLineSerializer(
        source="activity_progress", many=True, read_only=True, help_text="Progress per work-plan activity (reports)."
    )
    last_edited_by = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True, help_text="Downloaded from the site, not the API.")
    available_actions = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "fields",
            "activities",
            "last_edited_at",
            "last_edited_by",
            "steps",
            "attachments",
            "can_edit",
            "available_actions",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(ContentFieldsSerializer)
    def content_of(self, submission: Submission) -> dict[str, str]:
        # Not ``get_fields``: that is the serializer's own method.
        return content_fields_of(submission)

    def get_last_edited_by(self, submission: Submission) -> str | None:
        return person_name(submission.last_edited_by)

    def get_can_edit(self, submission: Submission) -> bool:
        """Whether the caller may save the draft now (PATCH)."""
        return can_edit_submission(self.context["request"].user, submission)

    @extend_schema_field(SubmissionActionSerializer(many=True))
    def get_available_actions(self, submission: Submission) -> list[dict[str, Any]]:
        moves = available_moves(self.context["request"].user, submission)
        return [{"action": t.action, "label": str(t.label), "comment": t.message} for t in moves]

    def get_page_url(self, submission: Submission) -> str:
        """The submission's page on the site (with the attachments)."""
        return absolute_url(reverse("reporting-submission", args=[submission.pk]))


class ActivityLineInputSerializer(serializers.Serializer):
    id = IntegerField(help_text="The line's id (from the submission's ``activities``).")
    status = serializers.ChoiceField(choices=WorkPlanActivity.Status.choices, allow_blank=True)
    narrative = serializers.CharField(allow_blank=True, max_length=20000)


class SubmissionDraftSerializer(serializers.Serializer):
    """A draft save: the text of the fields sent replaces theirs; the others are kept."""

    base_revision = IntegerField(
        db_type=column_type(Submission, "revision"),
        min_value=0,
        help_text="The revision the editor loaded; a save based on an older one is a 409.",
    )
    classification = serializers.ChoiceField(
        choices=Classification.choices, required=False, help_text="Unchanged if left out."
    )
    fields = ContentFieldsSerializer(required=False)
    activities = ActivityLineInputSerializer(many=True, required=False, help_text="Lines of a progress report.")

    # Sent with PATCH, but never partial: ``base_revision`` is what makes a save safe. The
    # schema generator marks PATCH bodies partial by setting this; the setter ignores it.
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class SubmissionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_revision = serializers.IntegerField(help_text="Send this as base_revision after merging.")
    current = SubmissionContentSerializer(help_text="The draft as saved now: nothing of yours was written.")


class SubmissionTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=SUBMISSION_ACTIONS)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="Required to return or reopen; optional when accepting; shown to the group's leaders.",
    )


class TransitionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.ChoiceField(choices=Submission.Status.choices)
    available_actions = serializers.ListField(child=serializers.ChoiceField(choices=SUBMISSION_ACTIONS))


# --- Versions and diffs ------------------------------------------------------------------------


class VersionActivitySerializer(serializers.Serializer):
    title = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    narrative = serializers.CharField(allow_blank=True)


class VersionContentSerializer(serializers.Serializer):
    fields = ContentFieldsSerializer()
    activities = VersionActivitySerializer(many=True)
    classification = serializers.ChoiceField(choices=Classification.choices)
    attachments = serializers.ListField(child=serializers.CharField(), help_text="The files' names.")


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    classification = serializers.ChoiceField(choices=Classification.choices)
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.SerializerMethodField()
    on_time = serializers.BooleanField()

    def get_submitted_by(self, version: Any) -> str | None:
        return person_name(version.submitted_by)


class VersionDetailSerializer(VersionSerializer):
    content = VersionContentSerializer(help_text="Frozen when it was submitted.")


class DiffPieceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PIECE_KINDS)
    text = serializers.CharField()


class DiffSectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A field's name, activity:<title>, classification or attachments.")
    label = serializers.CharField()
    changed = serializers.BooleanField()
    pieces = DiffPieceSerializer(many=True, help_text="The new text, word by word, with what was removed.")


class VersionDiffSerializer(serializers.Serializer):
    a = VersionSerializer()
    b = VersionSerializer()
    sections = DiffSectionSerializer(many=True)


class VersionDiffQuerySerializer(serializers.Serializer):
    a = IntegerField(db_type=VERSION_NUMBER, min_value=1, help_text="The older version's number.")
    b = IntegerField(db_type=VERSION_NUMBER, min_value=1, help_text="The newer version's number.")
