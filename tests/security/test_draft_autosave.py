"""Attacks on the editor's automatic save and on the merging save (issue 17, safe editing).

The autosave endpoint writes a draft like "Save draft": it must be exactly as closed — POST
only, with the CSRF token, only for the group's leaders while the draft is editable and its
period open, within their clearance — and it must never submit, never change the status and
never overwrite someone else's newer text, whatever the request claims.
"""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from compact.core.models import Classification
from reporting.submissions.drafts import draft_base_ensure
from reporting.submissions.models import DraftRevision, Submission
from reporting.submissions.periods.services import period_close
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import html_tree
from tests.redis_outage import HUNG_BOUND, REFUSED_BOUND, fresh_process_state
from tests.reporting.submissions.test_pages import editor_data
from tests.security.test_redis_down import on_test_redis, redis_server  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


def wg(period, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def autosave_url(submission: Submission) -> str:
    return reverse("reporting-submission-autosave", args=[submission.pk])


@pytest.fixture
def page(report_period, chair, client_for) -> str:
    """The chair's editor of WG 7's draft, as rendered (the data a real autosave posts)."""
    draft = wg(report_period, 7)
    return client_for(chair).get(reverse("reporting-submission-edit", args=[draft.pk])).text


def unchanged(draft: Submission) -> bool:
    draft.refresh_from_db()
    return (draft.summary, draft.revision, draft.status) == ("", 0, Submission.Status.DRAFT)


def test_it_answers_post_only(report_period, chair, client_for, page):
    draft = wg(report_period, 7)
    client = client_for(chair)
    for method in (client.get, client.put, client.delete):
        assert method(autosave_url(draft)).status_code == 405
    assert unchanged(draft)


def test_it_needs_the_csrf_token(report_period, chair, page):
    draft = wg(report_period, 7)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair)
    response = browser.post(autosave_url(draft), editor_data(page, summary="Forged from another site."))
    assert response.status_code == 403 and unchanged(draft)


def test_anonymous_visitors_are_sent_to_sign_in(report_period, client, page):
    draft = wg(report_period, 7)
    response = client.post(autosave_url(draft), editor_data(page, summary="Anonymous."))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert unchanged(draft)


@pytest.mark.parametrize("persona", ["outsider", "focal_point", "committee_member"])
def test_people_who_cannot_see_the_draft_get_404(persona, request, report_period, client_for, page):
    draft = wg(report_period, 7)
    response = client_for(request.getfixturevalue(persona)).post(autosave_url(draft), editor_data(page, summary="x"))
    assert response.status_code == 404 and unchanged(draft)


def test_the_chair_of_another_group_gets_404(report_period, chair, client_for, page):
    other = wg(report_period, 2)  # WG 7's chair does not lead WG 2
    response = client_for(chair).post(autosave_url(other), editor_data(page, summary="Not my group."))
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.summary, other.revision) == ("", 0)


def test_oct_who_reads_the_draft_may_not_write_it(report_period, oct_officer, client_for, page):
    draft = wg(report_period, 7)
    response = client_for(oct_officer).post(autosave_url(draft), editor_data(page, summary="OCT's words."))
    assert response.status_code == 403 and unchanged(draft)


def test_a_submitted_input_is_not_saved_automatically(report_period, chair, client_for, page):
    draft = wg(report_period, 7)
    submitted = submission_act(submission=draft, action="submit", actor=chair)
    response = client_for(chair).post(autosave_url(draft), editor_data(page, summary="After submitting."))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert (submitted.summary, submitted.status) == ("", Submission.Status.SUBMITTED)


def test_nothing_is_saved_once_the_period_is_closed(report_period, chair, client_for, page, time_machine):
    time_machine.move_to("2026-08-20 15:00Z")
    period_close(period=report_period, actor=None)
    draft = wg(report_period, 7)
    response = client_for(chair).post(autosave_url(draft), editor_data(page, summary="Too late."))
    assert response.status_code == 403 and unchanged(draft)


def test_a_classification_above_the_leaders_clearance_is_refused(report_period, chair, client_for, page):
    draft = wg(report_period, 7)
    data = editor_data(page, summary="Secret.", classification=Classification.STRICTLY_CONFIDENTIAL)
    response = client_for(chair).post(autosave_url(draft), data)
    assert response.status_code == 400 and unchanged(draft)


def test_a_draft_above_the_leaders_clearance_is_not_found(report_period, chair, client_for, page):
    draft = wg(report_period, 7)
    Submission.objects.filter(pk=draft.pk).update(classification=Classification.CONFIDENTIAL)
    response = client_for(chair).post(autosave_url(draft), editor_data(page, summary="x"))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("", 0)


def test_a_forged_base_revision_never_overwrites_newer_text(report_period, chair, vice_chair, client_for, page):
    draft = wg(report_period, 7)
    draft_base_ensure(submission=draft)
    submission_save_draft(
        submission=draft, actor=vice_chair, base_revision=0, fields={"summary": "Vice."}, classification="unclassified"
    )
    client = client_for(chair)
    for base in ("0", "999"):  # stale, from the future
        data = editor_data(page, summary="Chair overwrites.", base_revision=base)
        assert client.post(autosave_url(draft), data).status_code == 409
    edit = client.post(
        reverse("reporting-submission-edit", args=[draft.pk]), editor_data(page, summary="x", base_revision="999")
    )
    assert edit.status_code == 409
    draft.refresh_from_db()
    assert draft.summary == "Vice."


def test_lines_and_conflict_names_of_other_drafts_are_ignored(report_period, chair, client_for, page):
    draft, other = wg(report_period, 7), wg(report_period, 2)
    foreign = other.activity_progress.create(title="WG 2's line", position=0)
    data = editor_data(
        page,
        **{
            f"activity-{foreign.pk}-narrative": "Written into WG 2.",
            "conflict": "base_revision",
            "resolve-base_revision": "theirs",
        },
    )
    assert client_for(chair).post(autosave_url(draft), data).status_code == 200
    foreign.refresh_from_db()
    assert foreign.narrative == ""
    assert not DraftRevision.objects.filter(submission=other).exists()


def test_oversized_text_is_refused(report_period, chair, client_for, page):
    draft = wg(report_period, 7)
    response = client_for(chair).post(autosave_url(draft), editor_data(page, summary="x" * 50_001))
    assert response.status_code == 400 and unchanged(draft)


def test_a_returned_input_is_saved_but_stays_returned(report_period, chair, oct_officer, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
    draft = wg(report_period, 7)
    submission_act(submission=draft, action="submit", actor=chair)
    submission_act(submission=draft, action="return", actor=oct_officer, comment="Add figures.")
    client = client_for(chair)
    page = client.get(reverse("reporting-submission-edit", args=[draft.pk])).text
    assert client.post(autosave_url(draft), editor_data(page, summary="With figures.")).status_code == 200
    draft.refresh_from_db()
    assert (draft.summary, draft.status, draft.versions.count()) == ("With figures.", Submission.Status.RETURNED, 1)


# --- The presence heartbeat ---------------------------------------------------------------------


def presence_url(submission: Submission) -> str:
    return reverse("reporting-submission-presence", args=[submission.pk])


def test_the_heartbeat_is_post_only_and_needs_the_csrf_token(report_period, chair, client_for):
    draft = wg(report_period, 7)
    assert client_for(chair).get(presence_url(draft)).status_code == 405
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chair)
    assert browser.post(presence_url(draft)).status_code == 403


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("focal_point", 404), ("oct_officer", 403)])
def test_only_editors_beat_or_learn_who_edits(persona, status, request, report_period, vice_chair, client_for):
    draft = wg(report_period, 7)
    client_for(vice_chair).get(reverse("reporting-submission-edit", args=[draft.pk]))  # present
    response = client_for(request.getfixturevalue(persona)).post(presence_url(draft))
    assert response.status_code == status and b"Vicechair" not in response.content


@pytest.mark.services
@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_with_redis_down_the_editor_and_its_autosave_do_not_wait_and_show_nobody(
    on_test_redis,  # noqa: F811 — the fixture
    outage,
    report_period,
    chair,
    vice_chair,
    client_for,
):
    draft = wg(report_period, 7)
    edit = reverse("reporting-submission-edit", args=[draft.pk])
    client_for(vice_chair).get(edit)  # present, while Redis is up
    on_test_redis.stop() if outage == "stopped" else on_test_redis.hang()
    bound = REFUSED_BOUND if outage == "stopped" else HUNG_BOUND
    client = client_for(chair)

    def timed(request):
        fresh_process_state()
        began = time.monotonic()
        response = request()
        assert time.monotonic() - began < bound and response.status_code == 200
        return response

    page = timed(lambda: client.get(edit))
    assert "hidden" in html_tree(page).find(id="presence").attrs  # fail open: nobody is shown
    saved = timed(lambda: client.post(autosave_url(draft), editor_data(page.text, summary="Saved with Redis down.")))
    assert json.loads(saved.content)["others"] == []
    assert json.loads(timed(lambda: client.post(presence_url(draft))).content)["others"] == []
    draft.refresh_from_db()
    assert draft.summary == "Saved with Redis down."


def test_a_forged_base_marked_above_clearance_reveals_nothing(report_period, chair, client_for, page):
    """An earlier revision marked strictly confidential (since lowered and rewritten): a leader
    without that clearance who puts its number in the form learns nothing of its text — not in
    the choices shown, and not from whether a guess of it merges or conflicts."""
    draft = wg(report_period, 7)
    DraftRevision.objects.create(
        submission=draft, number=1, content={"summary": "Secret plan.", "classification": "strictly-confidential"}
    )
    DraftRevision.objects.create(submission=draft, number=2, content={"classification": "unclassified"})
    Submission.objects.filter(pk=draft.pk).update(revision=2)
    client = client_for(chair)
    edit = reverse("reporting-submission-edit", args=[draft.pk])

    guesses = ("Secret plan.", "x")
    answers = [client.post(edit, editor_data(page, summary=guess, base_revision="1")) for guess in guesses]
    assert [answer.status_code for answer in answers] == [409, 409]  # right and wrong guess alike
    assert [html_tree(answer).find(id="conflict-summary").find_all("blockquote")[0].text for answer in answers] == [
        "(empty)",
        "(empty)",
    ]
    pending = client.post(edit, editor_data(page, summary="Guess.", base_revision="1", conflict="summary"))
    assert pending.status_code == 400 and "Secret plan." not in pending.text
    assert client.post(autosave_url(draft), editor_data(page, summary="x", base_revision="1")).status_code == 409
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("", 2)
