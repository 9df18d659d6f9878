"""The submission workflow through its services: drafts, locking, the table, versions, e-mails."""

from __future__ import annotations

import pytest

from compact.core.models import AuditEvent
from compact.lib.workflow import EditConflictError, StaleStateError, TransitionNotAllowedError
from reporting.submissions.models import Submission, SubmissionVersion
from reporting.submissions.services import ActivityLine, submission_act, submission_save_draft
from reporting.submissions.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db

Status = Submission.Status


def wg7(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def test_opening_a_period_creates_one_prefilled_draft_per_active_group(report_period):
    submissions = Submission.objects.filter(period=report_period).order_by("working_group__number")
    assert [s.working_group.number for s in submissions] == [2, 7]
    assert all(s.status == Status.DRAFT for s in submissions)
    lines = wg7(report_period).activity_progress.order_by("position")
    assert [(line.title, line.status) for line in lines] == [
        ("Draft the guidance note", "planned"),
        ("Regional workshops", "ongoing"),
    ]


def test_opening_twice_creates_nothing(report_period):
    from reporting.submissions.services import submission_draft_create

    _, created = submission_draft_create(period=report_period, group=wg7(report_period).working_group)
    assert not created and Submission.objects.filter(period=report_period).count() == 2


def test_a_chair_saves_a_draft_and_a_second_stale_save_is_refused(report_period, chair, vice_chair):
    draft = wg7(report_period)
    submission_save_draft(
        submission=draft,
        actor=chair,
        base_revision=0,
        fields={"summary": "Chair's text."},
        classification="unclassified",
    )
    with pytest.raises(EditConflictError) as conflict:
        submission_save_draft(
            submission=draft,
            actor=vice_chair,
            base_revision=0,
            fields={"summary": "Vice-chair's text."},
            classification="unclassified",
        )
    assert conflict.value.current.summary == "Chair's text."
    draft.refresh_from_db()
    assert draft.summary == "Chair's text." and draft.revision == 1


def test_a_chair_cannot_edit_another_groups_draft(report_period, chair):
    from django.core.exceptions import PermissionDenied

    other = Submission.objects.get(period=report_period, working_group__number=2)
    with pytest.raises(PermissionDenied):
        submission_save_draft(
            submission=other, actor=chair, base_revision=0, fields={"summary": "x"}, classification="unclassified"
        )


def test_classification_above_the_editors_clearance_is_refused(report_period, chair):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        submission_save_draft(
            submission=wg7(report_period),
            actor=chair,
            base_revision=0,
            fields={},
            classification="strictly-confidential",
        )


def test_submit_return_resubmit_accept_keeps_every_version(report_period, chair, vice_chair, oct_officer, time_machine):
    from tests.helpers import deliver_emails

    time_machine.move_to("2026-07-10 15:00Z")
    draft = wg7(report_period)
    line = draft.activity_progress.order_by("position").first()
    submission_save_draft(
        submission=draft,
        actor=chair,
        base_revision=0,
        fields={"summary": "First text."},
        classification="unclassified",
        activities=[ActivityLine(line.pk, "completed", "Published in May.")],
    )
    submission_act(submission=draft, action="submit", actor=chair)
    assert draft.status == Status.SUBMITTED and draft.on_time is True and draft.submitted_by == chair
    submission_act(submission=draft, action="return", actor=oct_officer, comment="Add the workshops.")
    draft.refresh_from_db()
    submission_save_draft(
        submission=draft,
        actor=chair,
        base_revision=draft.revision,
        fields={"summary": "Second text."},
        classification="unclassified",
    )
    submission_act(submission=draft, action="resubmit", actor=chair)
    submission_act(submission=draft, action="accept", actor=oct_officer)
    assert draft.status == Status.ACCEPTED
    versions = list(draft.versions.order_by("number"))
    assert [v.content["fields"]["summary"] for v in versions] == ["First text.", "Second text."]
    assert versions[0].content["activities"][0] == {
        "title": "Draft the guidance note",
        "status": "completed",
        "narrative": "Published in May.",
    }
    with pytest.raises(PermissionError):
        versions[0].save()
    with pytest.raises(PermissionError):
        versions[0].delete()
    assert AuditEvent.objects.filter(verb__startswith="reporting.", object_id=str(draft.pk)).count() >= 6
    outbox = deliver_emails()
    returned = [m for m in outbox if "Returned for revision" in m.subject]
    assert sorted(m.to[0] for m in returned) == ["chair@example.org", "vicechair@example.org"]
    assert all("Add the workshops." in m.body for m in returned)
    submitted = [m for m in outbox if m.subject.startswith("[Reporting]")]
    assert [m.to for m in submitted] == [["oct-secretariat@localhost"], ["oct-secretariat@localhost"]]
    assert "It came in on time." in submitted[0].body
    assert any(m.subject.startswith("Accepted:") for m in outbox)


def test_late_submission_is_not_on_time(report_period, chair, time_machine):
    time_machine.move_to("2026-07-16 15:00Z")  # 11:00 in New York, the day after the due date
    draft = wg7(report_period)
    submission_act(submission=draft, action="submit", actor=chair)
    assert draft.on_time is False


def test_submitted_on_the_due_day_in_new_york_is_on_time(report_period, chair, time_machine):
    time_machine.move_to("2026-07-16 03:30Z")  # still 15 July, 23:30, in New York
    draft = wg7(report_period)
    submission_act(submission=draft, action="submit", actor=chair)
    assert draft.on_time is True


def test_a_stale_move_is_refused(report_period, chair, oct_officer):
    draft = wg7(report_period)
    stale = Submission.objects.get(pk=draft.pk)
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="accept", actor=oct_officer)
    with pytest.raises(StaleStateError):
        submission_act(
            submission=stale.__class__.objects.get(pk=draft.pk) if False else _with_status(stale, Status.SUBMITTED),
            action="return",
            actor=oct_officer,
            comment="x",
        )


def _with_status(submission: Submission, status: str) -> Submission:
    submission.status = status
    return submission


def test_version_numbers_are_unique_per_submission(report_period, chair):
    from django.db import IntegrityError, transaction

    draft = wg7(report_period)
    submission_act(submission=draft, action="submit", actor=chair)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionVersion.objects.create(
            submission=draft,
            number=1,
            content={},
            classification="unclassified",
            submitted_at=draft.submitted_at,
            on_time=True,
        )


# --- The table, exhaustively, per role -------------------------------------------------------------

ROLES = ["chair", "vice_chair", "oct_officer", "committee_member", "usg", "focal_point", "outsider"]


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", TRANSITIONS.actions())
@pytest.mark.parametrize("role", ROLES)
def test_every_move_from_every_status_by_every_role_follows_the_table(report_period, request, role, action, status):
    from django.core.exceptions import PermissionDenied

    user = request.getfixturevalue(role)
    draft = wg7(report_period)
    Submission.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    transition = TRANSITIONS.get(action)
    # Closing with the group is a reorganisation's adoption's move: no person takes it here.
    allowed_party = {"chair": ("chair", "vice_chair"), "oct": ("oct_officer",), "reorganisation": ()}[transition.by]
    comment = "Because." if transition.message != "none" else ""
    if role not in allowed_party:
        with pytest.raises(PermissionDenied):
            submission_act(submission=draft, action=action, actor=user, comment=comment)
    elif status not in transition.sources:
        with pytest.raises(TransitionNotAllowedError):
            submission_act(submission=draft, action=action, actor=user, comment=comment)
    else:
        submission_act(submission=draft, action=action, actor=user, comment=comment)
        draft.refresh_from_db()
        assert draft.status == transition.target
        assert draft.steps.filter(action=action, from_status=status, to_status=transition.target).count() == 1
        return
    draft.refresh_from_db()
    assert draft.status == status and not draft.steps.exists()


def test_return_and_reopen_need_a_comment(report_period, chair, oct_officer):
    from django.core.exceptions import ValidationError

    draft = wg7(report_period)
    submission_act(submission=draft, action="submit", actor=chair)
    with pytest.raises(ValidationError):
        submission_act(submission=draft, action="return", actor=oct_officer, comment=" ")
    submission_act(submission=draft, action="accept", actor=oct_officer)
    with pytest.raises(ValidationError):
        submission_act(submission=draft, action="reopen", actor=oct_officer)
    draft.refresh_from_db()
    assert draft.status == Status.ACCEPTED


def test_a_period_with_dates_out_of_order_gets_readable_messages(oct_officer):
    import datetime

    from django.core.exceptions import ValidationError

    from reporting.submissions.periods.services import period_create

    with pytest.raises(ValidationError) as refused:
        period_create(
            kind="q1",
            covers_from=datetime.date(2027, 3, 31),
            covers_until=datetime.date(2027, 1, 1),
            opens_on=datetime.date(2027, 4, 10),
            due_on=datetime.date(2027, 4, 1),
            actor=oct_officer,
        )
    assert set(refused.value.message_dict) == {"covers_until", "due_on"}
    assert "before the period opens" in refused.value.message_dict["due_on"][0]


def test_leaders_without_the_clearance_are_not_sent_octs_comment(report_period, chair, vice_chair, oct_officer):
    from compact.core.models import OutboundEmail

    draft = wg7(report_period)
    Submission.objects.filter(pk=draft.pk).update(status="submitted", classification="strictly-confidential")
    draft.refresh_from_db()
    submission_act(submission=draft, action="return", actor=oct_officer, comment="SECRET remarks")
    assert not OutboundEmail.objects.filter(recipient__in=[chair.email, vice_chair.email]).exists()
