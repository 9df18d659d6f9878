"""The biennial review's API: reviews (OCT prepares, changes and moves them; the Committee and
focal points read the opened ones) and the entities' comments (focal points write their own;
everyone reads within their clearance), each checked against every persona."""

from __future__ import annotations

import datetime

import pytest

from compact.core.models import Classification, OutboundEmail
from reporting.review.models import BiennialReview, ReviewComment
from reporting.review.services import comment_create, review_act, review_create

pytestmark = pytest.mark.django_db

REVIEWS = "/api/v1/biennial-reviews/"
COMMENTS = "/api/v1/review-comments/"
READERS = ["oct_officer", "usg", "committee_member", "chair", "vice_chair", "focal_point"]
OTHERS = ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]
BODY = {
    "biennium": 2027,
    "title": "Review of the Compact 2027–2028",
    "resolution_symbol": "A/RES/77/298",
    "resolution_url": "https://docs.un.org/en/A/RES/77/298",
    "opens_on": "2026-10-20",
    "comments_due_on": "2026-11-10",
}


@pytest.fixture(autouse=True)
def _during_the_review(time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 25, 15, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def review(oct_officer) -> BiennialReview:
    values = {**BODY, "opens_on": datetime.date(2026, 10, 20), "comments_due_on": datetime.date(2026, 11, 10)}
    return review_create(actor=oct_officer, **values)


@pytest.fixture
def opened(review, oct_officer, focal_point) -> BiennialReview:
    return review_act(review=review, action="open", actor=oct_officer)


@pytest.fixture
def comments(opened, oct_officer, focal_point, roster) -> dict[str, ReviewComment]:
    return {
        "UNESCO": comment_create(
            review=opened, entity=roster.unesco, actor=focal_point, text="OPEN-TEXT", classification="unclassified"
        ),
        "OHCHR": comment_create(
            review=opened, entity=roster.ohchr, actor=oct_officer, text="SECRET-TEXT", classification="confidential"
        ),
    }


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


# --- Reviews -----------------------------------------------------------------------------------------


def test_anonymous_callers_are_refused(api_for, opened):
    assert api_for(None).get(REVIEWS).status_code == 401
    assert api_for(None).get(f"{REVIEWS}{opened.pk}/").status_code == 401
    assert api_for(None).get(COMMENTS).status_code == 401


@pytest.mark.parametrize("persona", [*READERS, "outsider"])
def test_opened_reviews_are_read_by_oct_the_committee_and_focal_points(request, api_for, opened, persona):
    client = api_for(request.getfixturevalue(persona))
    readable = persona in READERS
    assert ids(client.get(REVIEWS)) == ([opened.pk] if readable else [])
    response = client.get(f"{REVIEWS}{opened.pk}/")
    assert response.status_code == (200 if readable else 404)


@pytest.mark.parametrize("persona", READERS)
def test_a_review_in_preparation_is_octs_alone(request, api_for, review, persona):
    client = api_for(request.getfixturevalue(persona))
    is_oct = persona == "oct_officer"
    assert ids(client.get(REVIEWS)) == ([review.pk] if is_oct else [])
    assert client.get(f"{REVIEWS}{review.pk}/").status_code == (200 if is_oct else 404)


def test_oct_creates_changes_and_opens_a_review(api_for, oct_officer, focal_point):
    client = api_for(oct_officer)
    created = client.post(REVIEWS, BODY, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "preparing" and body["biennium_label"] == "2027–2028"
    assert [move["action"] for move in body["available_actions"]] == ["open"]
    url = f"{REVIEWS}{body['id']}/"
    changed = client.patch(url, {"title": "Renamed", "revision": body["revision"]}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"
    # A change from the revision read before is a 409 and changes nothing.
    stale = client.patch(url, {"title": "Stale", "revision": body["revision"]}, format="json")
    assert stale.status_code == 409 and stale.json()["revision"] == changed.json()["revision"]
    assert BiennialReview.objects.get().title == "Renamed"
    assert client.patch(url, {"title": "No revision"}, format="json").status_code == 400
    opened = client.post(f"{url}transitions/", {"action": "open"}, format="json")
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert OutboundEmail.objects.filter(recipient=focal_point.email, occasion__startswith="review-opened").exists()


def test_bad_values_are_field_errors(api_for, oct_officer):
    response = api_for(oct_officer).post(
        REVIEWS, {**BODY, "resolution_symbol": "resolution 77", "comments_due_on": "2026-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"resolution_symbol", "comments_due_on"}
    assert not BiennialReview.objects.exists()


def test_a_move_the_table_does_not_allow_is_a_409(api_for, opened, oct_officer):
    response = api_for(oct_officer).post(f"{REVIEWS}{opened.pk}/transitions/", {"action": "conclude"}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "open" and response.json()["available_actions"] == ["close"]


def test_reopening_without_a_reason_is_a_400(api_for, opened, oct_officer):
    client = api_for(oct_officer)
    assert client.post(f"{REVIEWS}{opened.pk}/transitions/", {"action": "close"}, format="json").status_code == 200
    response = client.post(f"{REVIEWS}{opened.pk}/transitions/", {"action": "reopen"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert BiennialReview.objects.get().state == "closed"


@pytest.mark.parametrize("persona", OTHERS)
def test_only_oct_creates_changes_and_moves_reviews(request, api_for, opened, persona):
    client = api_for(request.getfixturevalue(persona))
    readable = persona != "outsider"
    assert client.post(REVIEWS, {**BODY, "biennium": 2029}, format="json").status_code == 403
    changed = client.patch(f"{REVIEWS}{opened.pk}/", {"title": "Mine", "revision": opened.revision}, format="json")
    assert changed.status_code == (403 if readable else 404)
    moved = client.post(f"{REVIEWS}{opened.pk}/transitions/", {"action": "close"}, format="json")
    assert moved.status_code == (403 if readable else 404)
    stored = BiennialReview.objects.get()
    assert (stored.title, stored.state, BiennialReview.objects.count()) == (BODY["title"], "open", 1)


def test_the_tracking_is_for_oct_and_the_committee(api_for, comments, oct_officer, committee_member, focal_point):
    rows = api_for(oct_officer).get(f"{REVIEWS}{comments['UNESCO'].review_id}/").json()["tracking"]
    progress = {row["entity"]["acronym"]: row["progress"] for row in rows}
    assert progress == {
        "CTED": "awaited",
        "OHCHR": "commented",
        "UNESCO": "commented",
        "UNOCT": "awaited",
        "UNODC": "awaited",
    }
    assert api_for(committee_member).get(f"{REVIEWS}{comments['UNESCO'].review_id}/").json()["tracking"] == rows
    assert api_for(focal_point).get(f"{REVIEWS}{comments['UNESCO'].review_id}/").json()["tracking"] == []


def test_the_outcome_is_null_until_concluded_and_within_clearance(
    api_for, opened, oct_officer, oct_colleague, committee_member, chair
):
    client = api_for(oct_officer)
    url = f"{REVIEWS}{opened.pk}/"
    revision = client.get(url).json()["revision"]
    body = {"outcome": "OUTCOME-MARKER", "outcome_classification": "confidential", "revision": revision}
    assert client.patch(url, body, format="json").status_code == 200
    assert api_for(committee_member).get(url).json()["outcome"] is None
    client.post(f"{url}transitions/", {"action": "close"}, format="json")
    # Four eyes: the officer who wrote the outcome is not offered the conclusion; a colleague concludes.
    assert [move["action"] for move in client.get(url).json()["available_actions"]] == ["reopen"]
    refused = client.post(f"{url}transitions/", {"action": "conclude"}, format="json")
    assert refused.status_code == 403 and api_for(oct_officer).get(url).json()["state"] == "closed"
    colleague = api_for(oct_colleague)
    assert colleague.post(f"{url}transitions/", {"action": "conclude"}, format="json").status_code == 200
    assert api_for(committee_member).get(url).json()["outcome"] == "OUTCOME-MARKER"
    assert api_for(chair).get(url).json()["outcome"] is None  # unclassified clearance


# --- Comments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("oct_officer", {"UNESCO", "OHCHR"}),
        ("usg", {"UNESCO", "OHCHR"}),
        ("committee_member", {"UNESCO", "OHCHR"}),  # confidential clearance
        ("chair", {"UNESCO"}),  # unclassified clearance: not OHCHR's confidential comment
        ("vice_chair", {"UNESCO"}),
        ("focal_point", {"UNESCO"}),  # their own entity's only
        ("outsider", set()),
    ],
)
def test_comments_are_read_within_scope_and_clearance(request, api_for, comments, persona, visible):
    client = api_for(request.getfixturevalue(persona))
    listed = client.get(COMMENTS).json()["results"]
    assert {item["entity"]["acronym"] for item in listed} == visible
    assert all("SECRET-TEXT" not in item["text"] for item in listed) or "OHCHR" in visible
    for acronym, comment in comments.items():
        assert client.get(f"{COMMENTS}{comment.pk}/").status_code == (200 if acronym in visible else 404)


def test_a_focal_point_sends_and_edits_the_entitys_comment(api_for, opened, focal_point):
    client = api_for(focal_point)
    body = {"review": opened.pk, "entity": "unesco", "text": "Our views.", "classification": "unclassified"}
    created = client.post(COMMENTS, body, format="json")
    assert created.status_code == 201, created.json()
    item = created.json()
    assert item["entity"]["acronym"] == "UNESCO" and item["is_late"] is False and item["editable"] is True
    again = client.post(COMMENTS, body, format="json")
    assert again.status_code == 400 and "entity" in again.json()
    url = f"{COMMENTS}{item['id']}/"
    edit = {"text": "Our views, revised.", "classification": "unclassified", "revision": item["revision"]}
    assert client.put(url, edit, format="json").status_code == 200
    stale = client.patch(url, {**edit, "text": "Stale."}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["text"] == "Our views, revised."
    assert ReviewComment.objects.get().text == "Our views, revised."


def test_a_late_comment_is_marked_late(api_for, opened, focal_point, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 11, 15, tzinfo=datetime.UTC), tick=False)
    body = {"review": opened.pk, "entity": "UNESCO", "text": "Late views.", "classification": "unclassified"}
    created = api_for(focal_point).post(COMMENTS, body, format="json")
    assert created.status_code == 201 and created.json()["is_late"] is True


def test_no_comment_or_edit_once_the_review_is_closed(api_for, comments, oct_officer, focal_point):
    review_act(review=comments["UNESCO"].review, action="close", actor=oct_officer)
    client = api_for(focal_point)
    url = f"{COMMENTS}{comments['UNESCO'].pk}/"
    edit = {"text": "Too late.", "classification": "unclassified", "revision": 1}
    assert client.put(url, edit, format="json").status_code == 400
    assert client.get(url).json()["editable"] is False
    assert ReviewComment.objects.get(pk=comments["UNESCO"].pk).text == "OPEN-TEXT"


@pytest.mark.parametrize(
    ("persona", "acronym", "expected"),
    [
        ("focal_point", "OHCHR", 403),  # another entity
        ("chair", "OHCHR", 403),  # a chair is not a focal point
        ("committee_member", "CTED", 403),
        ("usg", "UNOCT", 403),
        ("outsider", "UNESCO", 400),  # may not read the review: there is no such review for them
        ("oct_officer", "CTED", 201),  # a comment received by letter
    ],
)
def test_only_the_entitys_focal_points_send_its_comment(request, api_for, opened, persona, acronym, expected):
    body = {"review": opened.pk, "entity": acronym, "text": "Views.", "classification": "unclassified"}
    response = api_for(request.getfixturevalue(persona)).post(COMMENTS, body, format="json")
    assert response.status_code == expected
    assert ReviewComment.objects.filter(entity__acronym=acronym).exists() == (expected == 201)


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "vice_chair", "outsider"])
def test_only_the_entitys_focal_points_edit_its_comment(request, api_for, comments, persona):
    comment = comments["UNESCO"]
    edit = {"text": "Changed.", "classification": "unclassified", "revision": comment.revision}
    response = api_for(request.getfixturevalue(persona)).put(f"{COMMENTS}{comment.pk}/", edit, format="json")
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert ReviewComment.objects.get(pk=comment.pk).text == "OPEN-TEXT"


def test_a_focal_point_cannot_mark_a_comment_above_their_clearance(api_for, opened, focal_point):
    body = {"review": opened.pk, "entity": "UNESCO", "text": "Secret.", "classification": Classification.CONFIDENTIAL}
    before = list(ReviewComment.objects.order_by("pk").values())
    response = api_for(focal_point).post(COMMENTS, body, format="json")
    assert response.status_code == 400 and "classification" in response.json()
    assert list(ReviewComment.objects.order_by("pk").values()) == before


def test_a_review_in_preparation_takes_no_comment(api_for, review, oct_officer):
    body = {"review": review.pk, "entity": "CTED", "text": "Early.", "classification": "unclassified"}
    before = list(ReviewComment.objects.order_by("pk").values())
    assert api_for(oct_officer).post(COMMENTS, body, format="json").status_code == 400
    assert list(ReviewComment.objects.order_by("pk").values()) == before
