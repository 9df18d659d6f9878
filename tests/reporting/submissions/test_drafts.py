"""Saving drafts: draft revisions, the merge in the service and the editor, automatic saves."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from compact.core.models import AuditEvent
from reporting.monitoring.services import value_key
from reporting.programme.models import ProgrammeOfWork
from reporting.submissions.drafts import AUTOSAVE_KEPT_FOR, draft_base_ensure, draft_content, draft_save
from reporting.submissions.models import DraftRevision, Submission, SubmissionVersion
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import html_tree
from tests.reporting.monitoring.test_monitoring import make_indicator
from tests.reporting.submissions.test_pages import editor_data

pytestmark = pytest.mark.django_db

Status = Submission.Status


@pytest.fixture
def trained(oct_officer, roster):
    """An indicator WG 7's progress report carries, broken down by sex."""
    programme = ProgrammeOfWork.objects.create(biennium_start=2026, title="Programme of work 2026–2027")
    return make_indicator(programme, oct_officer, [roster.group, roster.other_group])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def wg7(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def loaded(submission: Submission) -> dict[str, str]:
    """What an editor opened now shows, as draft content (opening it records its base)."""
    draft_base_ensure(submission=submission)
    submission.refresh_from_db()
    return draft_content(submission)


def save(submission: Submission, actor, base: int, mine: dict[str, str], **options):
    return draft_save(submission=submission, actor=actor, base_revision=base, mine=mine, **options)


def edit_url(submission: Submission) -> str:
    return reverse("reporting-submission-edit", args=[submission.pk])


def autosave_url(submission: Submission) -> str:
    return reverse("reporting-submission-autosave", args=[submission.pk])


# --- The service ------------------------------------------------------------------------------


def test_each_save_records_a_revision_and_never_a_submitted_version(report_period, chair):
    draft = wg7(report_period)
    first = save(draft, chair, 0, {**loaded(draft), "summary": "First."})
    second = save(draft, chair, first.revision, {**loaded(draft), "summary": "Second."}, autosave=True)
    assert (first.saved, first.revision, second.revision) == (True, 1, 2)
    revisions = list(DraftRevision.objects.filter(submission=draft).order_by("number"))
    assert [(r.number, r.content.get("summary"), r.saved_by, r.is_autosave) for r in revisions] == [
        (0, None, None, False),  # the base the editor was opened on
        (1, "First.", chair, False),
        (2, "Second.", chair, True),
    ]
    assert not SubmissionVersion.objects.exists()
    audits = AuditEvent.objects.filter(verb="reporting.draft_saved").order_by("id")
    assert [event.after for event in audits] == [{"revision": 1}, {"revision": 2, "autosave": True}]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and mail.outbox == []


def test_submitting_freezes_a_version_and_adds_no_draft_revision(report_period, chair):
    draft = wg7(report_period)
    save(draft, chair, 0, {**loaded(draft), "summary": "Ready."})
    revisions = DraftRevision.objects.filter(submission=draft).count()
    submission_act(submission=wg7(report_period), action="submit", actor=chair)
    assert SubmissionVersion.objects.filter(submission=draft).count() == 1
    assert DraftRevision.objects.filter(submission=draft).count() == revisions


def test_changes_to_different_sections_by_two_leaders_both_survive(report_period, chair, vice_chair):
    draft = wg7(report_period)
    opened = loaded(draft)  # both open the editor at revision 0
    save(draft, chair, 0, {**opened, "summary": "The chair's summary."})
    result = save(draft, vice_chair, 0, {**opened, "challenges": "The vice-chair's challenges."})
    assert result.saved and result.theirs.user == chair
    draft.refresh_from_db()
    assert (draft.summary, draft.challenges, draft.revision) == (
        "The chair's summary.",
        "The vice-chair's challenges.",
        2,
    )


def test_a_conflict_saves_nothing_and_says_what_both_wrote(report_period, chair, vice_chair):
    draft = wg7(report_period)
    opened = loaded(draft)
    save(draft, chair, 0, {**opened, "summary": "Chair."})
    result = save(draft, vice_chair, 0, {**opened, "summary": "Vice.", "challenges": "Also mine."})
    assert not result.saved and result.revision == 1
    assert [(c.name, c.theirs, c.mine) for c in result.conflicts] == [("summary", "Chair.", "Vice.")]
    draft.refresh_from_db()
    assert (draft.summary, draft.challenges, draft.revision) == ("Chair.", "", 1)  # not even the other box
    assert not DraftRevision.objects.filter(submission=draft, number__gt=1).exists()


def test_keeping_their_text_after_a_conflict_keeps_it_and_saves_the_rest(report_period, chair, vice_chair):
    draft = wg7(report_period)
    opened = loaded(draft)
    save(draft, chair, 0, {**opened, "summary": "Chair."})
    mine = {**opened, "summary": "Vice.", "challenges": "Also mine."}
    assert save(draft, vice_chair, 0, mine).conflicts
    result = save(draft, vice_chair, 1, mine, keep_theirs={"summary"})
    assert result.saved
    draft.refresh_from_db()
    assert (draft.summary, draft.challenges) == ("Chair.", "Also mine.")


def test_activity_lines_merge_by_identity(report_period, chair, vice_chair):
    draft = wg7(report_period)
    first, second = draft.activity_progress.order_by("position")
    opened = loaded(draft)
    save(draft, chair, 0, {**opened, f"activity-{first.pk}-narrative": "Drafted."})
    result = save(draft, vice_chair, 0, {**opened, f"activity-{second.pk}-status": "completed", "summary": "Vice."})
    assert result.saved
    first.refresh_from_db(), second.refresh_from_db(), draft.refresh_from_db()
    assert (first.narrative, second.status, draft.summary) == ("Drafted.", "completed", "Vice.")


def test_indicator_values_merge_by_category(report_period, chair, vice_chair, trained):
    draft = wg7(report_period)
    opened = loaded(draft)
    total, female, male = (
        value_key(trained.pk),
        value_key(trained.pk, "sex", "female"),
        value_key(trained.pk, "sex", "male"),
    )
    save(draft, chair, 0, {**opened, total: "120", female: "70"})
    after_chair = loaded(draft)
    save(draft, chair, 1, {**after_chair, total: "125"})
    result = save(draft, vice_chair, 1, {**after_chair, male: "40"})  # opened after the first save
    assert result.saved
    assert {(v.category, v.value) for v in draft.indicator_values.all()} == {
        ("", Decimal(125)),
        ("female", Decimal(70)),
        ("male", Decimal(40)),
    }
    clash = save(draft, vice_chair, 1, {**after_chair, total: "130"})
    assert [c.name for c in clash.conflicts] == [total]


def test_my_own_autosave_still_on_its_way_is_no_conflict_with_my_save(report_period, chair, vice_chair):
    draft = wg7(report_period)
    opened = loaded(draft)
    save(draft, chair, 0, {**opened, "summary": "Typed"}, autosave=True)  # the page never heard back
    result = save(draft, chair, 0, {**opened, "summary": "Typed and more."})
    assert result.saved and not result.conflicts
    assert wg7(report_period).summary == "Typed and more."
    # Someone else's save in between is still a conflict.
    save(draft, vice_chair, 2, {**loaded(draft), "summary": "Vice."})
    assert save(draft, chair, 2, {**opened, "summary": "Chair again."}).conflicts


def test_a_save_with_nothing_new_writes_nothing(report_period, chair):
    draft = wg7(report_period)
    result = save(draft, chair, 0, loaded(draft))
    assert not result.saved and result.revision == 0
    assert (
        not DraftRevision.objects.filter(number__gt=0).exists()
        and not AuditEvent.objects.filter(verb="reporting.draft_saved").exists()
    )


def test_an_unknown_base_never_overwrites(report_period, chair, vice_chair):
    draft = wg7(report_period)
    # Saved twice where no revision is recorded (the API's save): the editor's base 0 is unknown.
    submission_save_draft(
        submission=draft, actor=chair, base_revision=0, fields={"summary": "API."}, classification="unclassified"
    )
    opened_empty = dict.fromkeys(draft.content_fields, "")
    result = save(draft, vice_chair, 0, {**opened_empty, "classification": "unclassified", "challenges": "Mine."})
    assert not result.saved and {c.name for c in result.conflicts} == {"summary", "challenges"}


def test_opening_the_editor_records_the_base_the_api_did_not(report_period, chair, vice_chair):
    draft = wg7(report_period)
    submission_save_draft(
        submission=draft, actor=chair, base_revision=0, fields={"summary": "API."}, classification="unclassified"
    )
    assert draft_base_ensure(submission=draft) == 1 and draft_base_ensure(submission=draft) == 1
    assert DraftRevision.objects.get(submission=draft, number=1).content["summary"] == "API."
    opened = loaded(draft)
    save(draft, chair, 1, {**opened, "summary": "Chair."})
    assert save(draft, vice_chair, 1, {**opened, "challenges": "Vice."}).saved


def test_an_automatic_save_does_not_merge_over_a_newer_save(report_period, chair, vice_chair):
    draft = wg7(report_period)
    opened = loaded(draft)
    save(draft, chair, 0, {**opened, "summary": "Chair."})
    result = save(draft, vice_chair, 0, {**opened, "challenges": "Vice."}, autosave=True)
    assert result.declined and not result.saved and result.theirs.user == chair
    draft.refresh_from_db()
    assert (draft.challenges, draft.revision) == ("", 1)


def test_old_automatic_saves_are_pruned_once_a_manual_save_follows(report_period, chair, time_machine):
    time_machine.move_to("2026-06-20 09:00Z")
    draft = wg7(report_period)
    revision = 0
    for text in ("a", "b"):
        revision = save(draft, chair, revision, {**loaded(draft), "summary": text}, autosave=True).revision
    time_machine.move_to("2026-06-20 10:00Z")
    revision = save(draft, chair, revision, {**loaded(draft), "summary": "manual"}).revision
    assert DraftRevision.objects.filter(submission=draft).count() == 4  # recent autosaves may still be a base
    time_machine.move_to(
        datetime.datetime(2026, 6, 20, 10, tzinfo=datetime.UTC) + AUTOSAVE_KEPT_FOR + datetime.timedelta(minutes=1)
    )
    save(draft, chair, revision, {**loaded(draft), "summary": "later"}, autosave=True)
    assert list(DraftRevision.objects.filter(submission=draft).values_list("number", "is_autosave")) == [
        (0, False),
        (3, False),
        (4, True),
    ]


def test_the_service_refuses_people_who_may_not_edit(report_period, oct_officer, outsider):
    draft = wg7(report_period)
    for person in (oct_officer, outsider):
        with pytest.raises(PermissionDenied):
            save(draft, person, 0, {**loaded(draft), "summary": "Not mine to write."})
    assert wg7(report_period).summary == ""


# --- The editor ------------------------------------------------------------------------------------


def test_two_leaders_editing_different_sections_in_the_editor_keep_both(client_for, report_period, chair, vice_chair):
    draft = wg7(report_period)
    chair_client, vice_client = client_for(chair), client_for(vice_chair)
    chair_page, vice_page = chair_client.get(edit_url(draft)).text, vice_client.get(edit_url(draft)).text
    assert chair_client.post(edit_url(draft), editor_data(chair_page, summary="Chair's.")).status_code == 302
    response = vice_client.post(edit_url(draft), editor_data(vice_page, challenges="Vice's."), follow=True)
    assert response.status_code == 200
    assert "together with the changes Chair Tester saved at" in html_tree(response).find(class_="messages").text
    draft.refresh_from_db()
    assert (draft.summary, draft.challenges) == ("Chair's.", "Vice's.")


def test_the_conflict_page_merges_everything_else_and_keeping_theirs_works(
    client_for, report_period, chair, vice_chair
):
    draft = wg7(report_period)
    chair_client, vice_client = client_for(chair), client_for(vice_chair)
    chair_page, vice_page = chair_client.get(edit_url(draft)).text, vice_client.get(edit_url(draft)).text
    chair_client.post(edit_url(draft), editor_data(chair_page, summary="Chair's.", joint_work="Chair's joint work."))
    conflict = vice_client.post(edit_url(draft), editor_data(vice_page, summary="Vice's.", challenges="Vice's."))
    assert conflict.status_code == 409
    tree = html_tree(conflict)
    assert tree.find(id="conflict-summary").find("legend").text == "Summary"
    assert tree.find("textarea", name="joint_work").text == "Chair's joint work."  # theirs, merged in
    assert tree.find("textarea", name="challenges").text == "Vice's."  # mine, merged in
    assert wg7(report_period).challenges == ""  # but not saved yet
    resolved = vice_client.post(edit_url(draft), editor_data(conflict.text, **{"resolve-summary": "theirs"}))
    assert resolved.status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.joint_work, draft.challenges) == ("Chair's.", "Chair's joint work.", "Vice's.")


def test_the_editor_shows_who_saved_last(client_for, report_period, chair, vice_chair, time_machine):
    time_machine.move_to("2026-06-20 14:42Z")
    draft = wg7(report_period)
    save(draft, chair, 0, {**loaded(draft), "summary": "Chair."})
    page = client_for(vice_chair).get(edit_url(draft))
    assert html_tree(page).find(id="autosave-status").text == "Last saved at 10:42 EDT by Chair Tester."


# --- Automatic saves -------------------------------------------------------------------------------


def test_an_automatic_save_saves_the_text_and_the_reload_shows_it(client_for, report_period, chair, time_machine):
    time_machine.move_to("2026-06-20 14:41Z")
    draft = wg7(report_period)
    client = client_for(chair)
    page = client.get(edit_url(draft)).text
    response = client.post(autosave_url(draft), editor_data(page, summary="Typed, not saved by hand."))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "saved",
        "revision": 1,
        "message": "Saved automatically at 10:41 EDT.",
        "others": [],
    }
    draft.refresh_from_db()
    assert (draft.summary, draft.status) == ("Typed, not saved by hand.", Status.DRAFT)
    assert DraftRevision.objects.get(submission=draft, number=1).is_autosave
    assert not SubmissionVersion.objects.exists() and mail.outbox == []
    assert html_tree(client.get(edit_url(draft))).find("textarea", name="summary").text == "Typed, not saved by hand."


def test_an_automatic_save_with_intent_submit_still_only_saves(client_for, report_period, chair):
    draft = wg7(report_period)
    client = client_for(chair)
    page = client.get(edit_url(draft)).text
    assert client.post(autosave_url(draft), editor_data(page, summary="x", intent="submit")).status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (Status.DRAFT, None)


def test_an_automatic_save_after_someone_else_saved_says_who_and_saves_nothing(
    client_for, report_period, chair, vice_chair, time_machine
):
    time_machine.move_to("2026-06-20 14:42Z")
    draft = wg7(report_period)
    vice_client = client_for(vice_chair)
    vice_page = vice_client.get(edit_url(draft)).text
    save(draft, chair, 0, {**loaded(draft), "summary": "Chair."})
    response = vice_client.post(autosave_url(draft), editor_data(vice_page, challenges="Vice."))
    assert response.status_code == 409
    assert json.loads(response.content)["message"] == "Chair Tester saved this draft at 10:42 EDT; save to merge."
    assert wg7(report_period).challenges == ""


def test_an_invalid_automatic_save_saves_nothing(client_for, report_period, chair):
    draft = wg7(report_period)
    client = client_for(chair)
    page = client.get(edit_url(draft)).text
    response = client.post(autosave_url(draft), editor_data(page, summary="x", base_revision="not a number"))
    assert response.status_code == 400 and json.loads(response.content)["status"] == "invalid"
    assert wg7(report_period).summary == ""


# --- Who else is editing -------------------------------------------------------------------------


def test_the_editor_shows_who_else_has_the_draft_open_in_the_last_minute(
    client_for, report_period, chair, vice_chair, time_machine
):
    time_machine.move_to("2026-06-20 14:00Z", tick=False)
    draft = wg7(report_period)
    chair_client, vice_client = client_for(chair), client_for(vice_chair)
    first = html_tree(chair_client.get(edit_url(draft))).find(id="presence")
    assert "hidden" in first.attrs  # nobody else yet
    shown = html_tree(vice_client.get(edit_url(draft))).find(id="presence")
    assert "hidden" not in shown.attrs and [li.text for li in shown.find_all("li")] == ["Chair Tester"]

    time_machine.move_to("2026-06-20 14:00:45Z", tick=False)
    beat = chair_client.post(reverse("reporting-submission-presence", args=[draft.pk]))
    assert json.loads(beat.content) == {"status": "present", "others": ["Vicechair Tester"]}
    time_machine.move_to("2026-06-20 14:01:30Z", tick=False)  # the vice-chair's last beat: 90 s ago
    beat = chair_client.post(reverse("reporting-submission-presence", args=[draft.pk]))
    assert json.loads(beat.content)["others"] == []


def test_an_automatic_save_answers_who_else_is_editing(client_for, report_period, chair, vice_chair):
    draft = wg7(report_period)
    client_for(vice_chair).get(edit_url(draft))
    client = client_for(chair)
    page = client.get(edit_url(draft)).text
    answer = json.loads(client.post(autosave_url(draft), editor_data(page, summary="x")).content)
    assert answer["others"] == ["Vicechair Tester"]


def test_conflicts_on_an_activity_line_and_an_indicator_value_are_named_and_resolved(
    client_for, report_period, chair, vice_chair, trained
):
    draft = wg7(report_period)
    first = draft.activity_progress.order_by("position").first()
    narrative, total = f"activity-{first.pk}-narrative", value_key(trained.pk)
    chair_client, vice_client = client_for(chair), client_for(vice_chair)
    chair_page, vice_page = chair_client.get(edit_url(draft)).text, vice_client.get(edit_url(draft)).text
    chair_client.post(edit_url(draft), editor_data(chair_page, **{narrative: "Chair's line.", total: "120"}))
    conflict = vice_client.post(edit_url(draft), editor_data(vice_page, **{narrative: "Vice's line.", total: "125"}))
    assert conflict.status_code == 409
    tree = html_tree(conflict)
    assert tree.find(id=f"conflict-{narrative}").find("legend").text == "Draft the guidance note — Progress"
    value = tree.find(id=f"conflict-{total}")
    assert value.find("legend").text == f"1.1 {trained.name} — Total (people)"
    assert [quote.text for quote in value.find_all("blockquote")] == ["120", "125"]
    asked = [node.attrs["value"] for node in tree.find_all("input", name="conflict")]
    assert asked == [narrative, total]
    one_choice = {"conflict": asked, f"resolve-{narrative}": "mine"}
    assert vice_client.post(edit_url(draft), editor_data(conflict.text, **one_choice)).status_code == 400
    choices = {**one_choice, f"resolve-{total}": "theirs"}
    assert vice_client.post(edit_url(draft), editor_data(conflict.text, **choices)).status_code == 302
    first.refresh_from_db()
    assert first.narrative == "Vice's line."
    assert draft.indicator_values.get(dimension="").value == Decimal(120)
