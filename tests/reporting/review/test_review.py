"""The biennial review of the Compact (Annex III, III.d): the review's workflow (walked
exhaustively), the entities' comments (one per entity, late marking on the deadline day's end,
no edits once closed, only focal points of parties, no silent overwrite), classification, the
home page, the admin, and who may see every page."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from compact.core.models import AuditEvent, Classification, OutboundEmail
from compact.core.roles import Role
from compact.lib.workflow import EditConflictError, TransitionNotAllowedError
from compact.registry.models import Membership
from compact.registry.services import focal_point_appoint, person_create
from reporting.committee.services import decision_add, meeting_act, meeting_create
from reporting.review.models import BiennialReview, ReviewComment, ReviewStep
from reporting.review.selectors import comments_awaited_from, comments_visible_to, review_tracking
from reporting.review.services import comment_create, comment_update, review_act, review_create, review_update
from reporting.review.workflow import REVIEW_TRANSITIONS
from tests.factories import COMPACT_SIGNED, EntityFactory, MembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date
State = BiennialReview.State


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def audited(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def person(username: str, entity, *, roles=(), clearance=Classification.UNCLASSIFIED, focal: bool = True):
    user = person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Tester",
        entity=entity,
        roles=roles,
        clearance=clearance,
        password="pw",
        actor=None,
    )
    if focal:
        focal_point_appoint(user=user, entity=entity, actor=None)
    return user


REVIEW = {
    "biennium": 2027,
    "title": "Review of the Compact 2027–2028",
    "resolution_symbol": "A/RES/77/298",
    "resolution_url": "https://docs.un.org/en/A/RES/77/298",
    "opens_on": D(2026, 10, 20),
    "comments_due_on": D(2026, 11, 10),
}


@pytest.fixture(autouse=True)
def _during_the_review(time_machine):
    """25 October 2026, 11:00 in New York: the review below is open, due in 16 days."""
    time_machine.move_to(utc(2026, 10, 25, 15), tick=False)


@pytest.fixture
def review(oct_officer) -> BiennialReview:
    return review_create(actor=oct_officer, **REVIEW)


@pytest.fixture
def opened(review, oct_officer, focal_point) -> BiennialReview:
    return review_act(review=review, action="open", actor=oct_officer)


@pytest.fixture
def observer_focal(roster):
    """INTERPOL, an observer, with its focal point."""
    entity = EntityFactory(acronym="INTERPOL", name="International Criminal Police Organization")
    MembershipFactory(entity=entity, status=Membership.Status.OBSERVER)
    return person("interpol.focal", entity)


@pytest.fixture
def applicant_focal(roster):
    """ICAO, which asked to join and is not a party yet, with a focal point."""
    entity = EntityFactory(acronym="ICAO", name="International Civil Aviation Organization")
    MembershipFactory(entity=entity, status=Membership.Status.APPLICANT)
    return person("icao.focal", entity)


@pytest.fixture
def ohchr_focal(roster):
    return person("ohchr.focal", roster.ohchr, clearance=Classification.CONFIDENTIAL)


# --- The review and its workflow ------------------------------------------------------------------


def test_oct_prepares_a_review_and_it_is_audited(review, oct_officer):
    assert review.state == State.PREPARING
    assert review.biennium_label == "2027–2028"
    assert review.created_by == oct_officer
    assert audited("review.created") == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("resolution_symbol", "77/298"),
        ("resolution_symbol", "S/RES/2178 (2014)"),
        ("resolution_url", "http://docs.un.org/en/A/RES/77/298"),
        ("resolution_url", "https://un.org.example.com/A/RES/77/298"),
        ("comments_due_on", D(2026, 10, 1)),
        ("biennium", 2017),
        ("title", "  "),
    ],
)
def test_a_review_refuses_bad_values_and_saves_nothing(oct_officer, field, value):
    with pytest.raises(ValidationError) as error:
        review_create(actor=oct_officer, **{**REVIEW, field: value})
    assert field in error.value.message_dict
    assert not BiennialReview.objects.exists()


def test_the_symbol_is_normalised(oct_officer):
    assert review_create(
        actor=oct_officer, **{**REVIEW, "resolution_symbol": " a/res/75/291  b"}
    ).resolution_symbol == ("A/RES/75/291 B")


def test_one_review_per_biennium(review, oct_officer):
    with pytest.raises(ValidationError) as error:
        review_create(actor=oct_officer, **{**REVIEW, "title": "Again"})
    assert "biennium" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        BiennialReview.objects.create(**{**REVIEW, "title": "Again"})


def test_the_database_refuses_a_deadline_before_the_opening_and_a_conclusion_without_outcome(review):
    with pytest.raises(IntegrityError), transaction.atomic():
        BiennialReview.objects.filter(pk=review.pk).update(comments_due_on=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        BiennialReview.objects.filter(pk=review.pk).update(state=State.CONCLUDED, outcome="")


def test_only_oct_prepares_changes_and_moves_reviews(review, usg, committee_member, chair, focal_point):
    for someone in (usg, committee_member, chair, focal_point):
        with pytest.raises(PermissionDenied):
            review_create(actor=someone, **{**REVIEW, "biennium": 2029})
        with pytest.raises(PermissionDenied):
            review_update(review=review, actor=someone, title="Mine")
        for action in REVIEW_TRANSITIONS.actions():
            with pytest.raises(PermissionDenied):
                review_act(review=review, action=action, actor=someone, reason="Because")
    review.refresh_from_db()
    assert review.state == State.PREPARING and review.title == REVIEW["title"]


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State.values, REVIEW_TRANSITIONS.actions())))
def test_review_transitions_follow_the_table_exhaustively(review, oct_officer, state, action):
    BiennialReview.objects.filter(pk=review.pk).update(state=state, outcome="The entities agreed.")
    review.refresh_from_db()
    transition = REVIEW_TRANSITIONS.get(action)
    if state in transition.sources:
        moved = review_act(review=review, action=action, actor=oct_officer, reason="A late input from a member.")
        assert moved.state == transition.target
        assert BiennialReview.objects.get(pk=review.pk).state == transition.target
        assert audited(f"review.{action}") == 1
        step = ReviewStep.objects.get(review=review)
        assert (step.action, step.from_state, step.to_state) == (action, state, transition.target)
    else:
        with pytest.raises(TransitionNotAllowedError):
            review_act(review=review, action=action, actor=oct_officer, reason="A late input from a member.")
        assert BiennialReview.objects.get(pk=review.pk).state == state
        assert not ReviewStep.objects.exists()


def test_the_table_is_what_the_compact_needs():
    moves = {(t.action, tuple(sorted(t.sources)), t.target) for t in REVIEW_TRANSITIONS}
    assert moves == {
        ("open", ("preparing",), "open"),
        ("close", ("open",), "closed"),
        ("conclude", ("closed",), "concluded"),
        ("reopen", ("closed",), "open"),
    }


def test_reopening_needs_a_reason_and_concluding_an_outcome(oct_colleague, opened, oct_officer):
    review_act(review=opened, action="close", actor=oct_officer)
    with pytest.raises(ValidationError) as error:
        review_act(review=opened, action="reopen", actor=oct_officer, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        review_act(review=opened, action="conclude", actor=oct_colleague)
    assert "outcome" in error.value.message_dict
    assert BiennialReview.objects.get(pk=opened.pk).state == State.CLOSED
    review_update(review=opened, actor=oct_officer, outcome="The Compact stands; the M&E framework is a priority.")
    assert review_act(review=opened, action="conclude", actor=oct_colleague).state == State.CONCLUDED


def test_opening_emails_the_focal_points_of_members_and_observers(
    review, oct_officer, focal_point, observer_focal, applicant_focal
):
    review_act(review=review, action="open", actor=oct_officer)
    sent = set(OutboundEmail.objects.filter(occasion__startswith="review-opened:").values_list("recipient", flat=True))
    assert sent == {focal_point.email, observer_focal.email}
    email = OutboundEmail.objects.get(recipient=focal_point.email)
    assert "A/RES/77/298" in email.body_text and "10 November 2026" in email.body_text


def test_reopening_emails_the_reason(opened, oct_officer, focal_point):
    review_act(review=opened, action="close", actor=oct_officer)
    review_act(review=opened, action="reopen", actor=oct_officer, reason="Two members asked for a week more.")
    emails = OutboundEmail.objects.filter(recipient=focal_point.email, occasion__startswith="review-opened:")
    assert emails.count() == 2
    assert any("Two members asked for a week more." in e.body_text for e in emails)


def test_links_to_the_un_documents_are_accepted(oct_officer):
    for url in ("https://docs.un.org/en/A/RES/77/298", "https://undocs.org/A/RES/77/298", ""):
        review = review_create(actor=oct_officer, **{**REVIEW, "resolution_url": url})
        assert review.resolution_url == url
        BiennialReview.objects.filter(pk=review.pk).delete()


def test_concluding_tells_the_focal_points_without_the_outcome(oct_colleague, opened, oct_officer, focal_point):
    review_act(review=opened, action="close", actor=oct_officer)
    review_update(review=opened, actor=oct_officer, outcome="OUTCOME-MARKER")
    review_act(review=opened, action="conclude", actor=oct_colleague)
    email = OutboundEmail.objects.get(occasion__startswith="review-concluded:")
    assert email.recipient == focal_point.email and "concluded" in email.subject
    assert "OUTCOME-MARKER" not in email.body_text + email.body_html


def test_a_concluded_review_is_final(oct_colleague, opened, oct_officer):
    review_act(review=opened, action="close", actor=oct_officer)
    review_update(review=opened, actor=oct_officer, outcome="Agreed.")
    review_act(review=opened, action="conclude", actor=oct_colleague)
    with pytest.raises(ValidationError):
        review_update(review=opened, actor=oct_officer, title="Changed")
    assert BiennialReview.objects.get(pk=opened.pk).title == REVIEW["title"]


def test_a_review_edit_from_an_old_revision_overwrites_nothing(review, oct_officer):
    loaded = review.revision
    review_update(review=review, actor=oct_officer, base_revision=loaded, title="First change")
    with pytest.raises(EditConflictError):
        review_update(review=review, actor=oct_officer, base_revision=loaded, title="Second change")
    assert BiennialReview.objects.get(pk=review.pk).title == "First change"
    assert audited("review.updated") == 1


def test_the_outcome_cannot_be_marked_above_the_officers_clearance(review, roster):
    officer = person(
        "junior.officer", roster.unoct, roles=(Role.OCT,), clearance=Classification.CONFIDENTIAL, focal=False
    )
    with pytest.raises(ValidationError):
        review_update(review=review, actor=officer, outcome_classification=Classification.STRICTLY_CONFIDENTIAL)


def test_the_audit_trail_never_holds_the_outcomes_text(review, oct_officer):
    review_update(
        review=review, actor=oct_officer, outcome="SECRET-MARKER", outcome_classification=Classification.CONFIDENTIAL
    )
    event = AuditEvent.objects.get(verb="review.updated")
    assert "SECRET-MARKER" not in str(event.after) and "SECRET-MARKER" not in str(event.before)


# --- Comments ------------------------------------------------------------------------------------------


def test_a_focal_point_comments_once_for_the_entity(opened, focal_point, roster):
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="Education matters.", classification="unclassified"
    )
    assert comment.author == focal_point and not comment.is_late and comment.revision == 1
    with pytest.raises(ValidationError):
        comment_create(
            review=opened, entity=roster.unesco, actor=focal_point, text="Again.", classification="unclassified"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewComment.objects.create(review=opened, entity=roster.unesco, text="Again.", author=focal_point)
    assert ReviewComment.objects.count() == 1
    assert audited("review.comment_created") == 1


def test_a_second_focal_point_of_the_entity_cannot_add_a_second_comment(opened, focal_point, roster):
    colleague = person("unesco.second", roster.unesco)
    comment_create(review=opened, entity=roster.unesco, actor=focal_point, text="First.", classification="unclassified")
    with pytest.raises(ValidationError):
        comment_create(
            review=opened, entity=roster.unesco, actor=colleague, text="Second.", classification="unclassified"
        )


def test_a_comment_is_late_after_the_end_of_the_deadline_day_in_new_york(
    opened, focal_point, ohchr_focal, roster, time_machine
):
    # 23:00 in New York on the deadline day is 04:00 UTC the next day: still on time.
    time_machine.move_to(utc(2026, 11, 11, 4, 0), tick=False)
    on_time = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="Just in time.", classification="unclassified"
    )
    # 01:00 in New York the day after: late, but accepted while the review is open.
    time_machine.move_to(utc(2026, 11, 11, 6, 0), tick=False)
    late = comment_create(
        review=opened,
        entity=roster.ohchr,
        actor=ohchr_focal,
        text="Sorry for the delay.",
        classification="unclassified",
    )
    assert (on_time.is_late, late.is_late) == (False, True)
    assert AuditEvent.objects.filter(verb="review.comment_created", after__is_late=True).count() == 1


def test_a_late_comment_stays_late_when_edited(opened, focal_point, roster, time_machine):
    time_machine.move_to(utc(2026, 11, 12, 15), tick=False)
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="Late.", classification="unclassified"
    )
    comment = comment_update(
        comment=comment, actor=focal_point, base_revision=1, text="Late, edited.", classification="unclassified"
    )
    assert comment.is_late and comment.text == "Late, edited." and comment.revision == 2


@pytest.mark.parametrize("state", [State.PREPARING, State.CLOSED, State.CONCLUDED])
def test_no_comment_unless_the_review_is_open(review, focal_point, roster, state):
    BiennialReview.objects.filter(pk=review.pk).update(state=state, outcome="Done.")
    review.refresh_from_db()
    with pytest.raises(ValidationError):
        comment_create(
            review=review, entity=roster.unesco, actor=focal_point, text="Hi.", classification="unclassified"
        )
    assert not ReviewComment.objects.exists()


def test_no_edit_once_the_review_is_closed_and_again_once_reopened(opened, oct_officer, focal_point, roster):
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="First.", classification="unclassified"
    )
    review_act(review=opened, action="close", actor=oct_officer)
    with pytest.raises(ValidationError):
        comment_update(
            comment=comment, actor=focal_point, base_revision=1, text="Changed.", classification="unclassified"
        )
    assert ReviewComment.objects.get(pk=comment.pk).text == "First."
    review_act(review=opened, action="reopen", actor=oct_officer, reason="More time.")
    comment_update(comment=comment, actor=focal_point, base_revision=1, text="Changed.", classification="unclassified")
    assert ReviewComment.objects.get(pk=comment.pk).text == "Changed."


def test_only_focal_points_of_the_entity_comment(opened, roster, chair, committee_member, usg, outsider, focal_point):
    for someone in (chair, committee_member, usg, outsider, focal_point):
        with pytest.raises(PermissionDenied):
            comment_create(review=opened, entity=roster.ohchr, actor=someone, text="Hi.", classification="unclassified")
    assert not ReviewComment.objects.exists()


def test_observers_may_comment_but_non_parties_may_not(opened, observer_focal, applicant_focal):
    observer = observer_focal.profile.entity
    assert comment_create(
        review=opened, entity=observer, actor=observer_focal, text="As observer.", classification="unclassified"
    )
    with pytest.raises(ValidationError) as error:
        comment_create(
            review=opened,
            entity=applicant_focal.profile.entity,
            actor=applicant_focal,
            text="Not a party.",
            classification="unclassified",
        )
    assert "entity" in error.value.message_dict


def test_an_entity_that_withdrew_may_no_longer_comment(opened, focal_point, roster):
    MembershipFactory(entity=roster.unesco, status=Membership.Status.WITHDRAWN, effective_from=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        comment_create(
            review=opened, entity=roster.unesco, actor=focal_point, text="Hi.", classification="unclassified"
        )


def test_oct_records_a_comment_received_by_letter(opened, oct_officer, roster):
    comment = comment_create(
        review=opened, entity=roster.cted, actor=oct_officer, text="By letter.", classification="confidential"
    )
    assert comment.entity == roster.cted and comment.author == oct_officer


def test_a_comment_edit_from_an_old_revision_overwrites_nothing(opened, focal_point, roster):
    colleague = person("unesco.second", roster.unesco)
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="First.", classification="unclassified"
    )
    comment_update(
        comment=comment, actor=colleague, base_revision=1, text="Colleague's.", classification="unclassified"
    )
    with pytest.raises(EditConflictError) as conflict:
        comment_update(comment=comment, actor=focal_point, base_revision=1, text="Mine.", classification="unclassified")
    assert conflict.value.current.text == "Colleague's."
    stored = ReviewComment.objects.get(pk=comment.pk)
    assert (stored.text, stored.revision, stored.updated_by) == ("Colleague's.", 2, colleague)
    assert audited("review.comment_updated") == 1


def test_a_comment_cannot_be_marked_above_the_writers_clearance(opened, focal_point, roster):
    with pytest.raises(ValidationError) as error:
        comment_create(
            review=opened, entity=roster.unesco, actor=focal_point, text="Secret.", classification="confidential"
        )
    assert "classification" in error.value.message_dict


def test_an_empty_comment_is_refused(opened, focal_point, roster):
    with pytest.raises(ValidationError):
        comment_create(
            review=opened, entity=roster.unesco, actor=focal_point, text="   ", classification="unclassified"
        )


# --- Reads and classification ----------------------------------------------------------------------


@pytest.fixture
def commented(opened, oct_officer, focal_point, roster):
    """UNESCO's unclassified comment and OHCHR's confidential one (recorded by OCT)."""
    comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="UNESCO-OPEN-TEXT", classification="unclassified"
    )
    comment_create(
        review=opened,
        entity=roster.ohchr,
        actor=oct_officer,
        text="OHCHR-CONFIDENTIAL-TEXT",
        classification="confidential",
    )
    return opened


def _entities(user) -> set[str]:
    return {c.entity.acronym for c in comments_visible_to(user)}


def test_comments_are_read_within_clearance(
    commented, oct_officer, usg, committee_member, chair, focal_point, outsider
):
    assert _entities(oct_officer) == _entities(usg) == _entities(committee_member) == {"OHCHR", "UNESCO"}
    assert _entities(chair) == {"UNESCO"}  # a chair's clearance is unclassified
    assert _entities(focal_point) == {"UNESCO"}  # their own entity's only
    assert _entities(outsider) == set()


def test_the_tracking_table_says_who_commented_late_or_not(
    commented, oct_officer, chair, focal_point, roster, time_machine
):
    time_machine.move_to(utc(2026, 11, 12, 15), tick=False)
    comment_create(review=commented, entity=roster.cted, actor=oct_officer, text="Late.", classification="unclassified")
    rows = {row.entity.acronym: row for row in review_tracking(oct_officer, commented, today=D(2026, 11, 12))}
    assert {name: row.progress for name, row in rows.items()} == {
        "CTED": "late",
        "OHCHR": "commented",
        "UNESCO": "commented",
        "UNODC": "overdue",
        "UNOCT": "overdue",
    }
    # A chair sees that OHCHR commented, not the confidential text.
    chair_rows = {row.entity.acronym: row for row in review_tracking(chair, commented, today=D(2026, 11, 12))}
    assert chair_rows["OHCHR"].commented and chair_rows["OHCHR"].comment is None
    assert review_tracking(focal_point, commented) == []


# --- Pages ---------------------------------------------------------------------------------------------


READERS = ("oct_officer", "usg", "committee_member", "chair", "focal_point")
NOT_READERS = ("outsider",)


@pytest.mark.parametrize("persona", READERS + NOT_READERS)
def test_the_review_pages_are_for_oct_the_committee_and_focal_points(request, client_for, opened, persona):
    client = client_for(request.getfixturevalue(persona))
    expected = 200 if persona in READERS else 404
    assert client.get(reverse("review-list")).status_code == expected
    assert client.get(reverse("review-detail", args=[opened.pk])).status_code == expected


@pytest.mark.parametrize("persona", READERS)
def test_a_review_in_preparation_is_octs_alone(request, client_for, review, persona):
    client = client_for(request.getfixturevalue(persona))
    expected = 200 if persona == "oct_officer" else 404
    assert client.get(reverse("review-detail", args=[review.pk])).status_code == expected
    assert (review.title in client.get(reverse("review-list")).content.decode()) == (persona == "oct_officer")


def test_anonymous_visitors_are_sent_to_sign_in(client_for, opened):
    for url in (reverse("review-list"), reverse("review-detail", args=[opened.pk])):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_missing_review_is_a_404(client_for, oct_officer):
    assert client_for(oct_officer).get(reverse("review-detail", args=[999])).status_code == 404


def _oct_pages(review: BiennialReview) -> list[tuple[str, str]]:
    return [
        ("get", reverse("review-create")),
        ("post", reverse("review-create")),
        ("get", reverse("review-edit", args=[review.pk])),
        ("post", reverse("review-edit", args=[review.pk])),
        ("post", reverse("review-act", args=[review.pk])),
    ]


@pytest.mark.parametrize("persona", ("usg", "committee_member", "chair", "focal_point", "outsider"))
def test_the_editing_pages_are_octs_alone(request, client_for, opened, persona):
    client = client_for(request.getfixturevalue(persona))
    for method, url in _oct_pages(opened):
        assert getattr(client, method)(url, {"action": "close", "title": "Mine"}).status_code == 404, url
    assert BiennialReview.objects.get(pk=opened.pk).state == State.OPEN


@pytest.mark.parametrize(
    ("persona", "acronym", "expected"),
    [
        ("focal_point", "UNESCO", 200),
        ("focal_point", "OHCHR", 404),
        ("oct_officer", "OHCHR", 200),
        ("usg", "UNESCO", 404),
        ("committee_member", "UNESCO", 404),
        ("chair", "OHCHR", 404),
        ("outsider", "UNESCO", 404),
    ],
)
def test_the_comment_page_is_for_the_entitys_focal_points(request, client_for, opened, persona, acronym, expected):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("review-comment", args=[opened.pk, acronym])
    assert client.get(url).status_code == expected
    response = client.post(url, {"text": "Posted.", "classification": "unclassified"})
    assert response.status_code == (302 if expected == 200 else 404)
    assert ReviewComment.objects.filter(entity__acronym=acronym).exists() == (expected == 200)


def test_the_comment_page_is_closed_with_the_review(client_for, opened, oct_officer, focal_point):
    review_act(review=opened, action="close", actor=oct_officer)
    assert client_for(focal_point).get(reverse("review-comment", args=[opened.pk, "UNESCO"])).status_code == 404


def test_a_focal_point_writes_and_edits_the_comment_through_the_page(client_for, opened, focal_point):
    client = client_for(focal_point)
    url = reverse("review-comment", args=[opened.pk, "UNESCO"])
    assert client.post(url, {"text": "First version.", "classification": "unclassified"}).status_code == 302
    page = client.get(url).content.decode()
    assert "First version." in page and 'name="revision" value="1"' in page
    assert client.post(url, {"text": "Second.", "classification": "unclassified", "revision": "1"}).status_code == 302
    assert ReviewComment.objects.get().text == "Second."
    # A form loaded before the second save does not overwrite it: the page says so.
    response = client.post(url, {"text": "Stale.", "classification": "unclassified", "revision": "1"})
    assert response.status_code == 400 and "changed by someone else" in response.content.decode()
    assert "Stale." in response.content.decode() and 'name="revision" value="2"' in response.content.decode()
    assert ReviewComment.objects.get().text == "Second."


def test_a_page_form_with_an_empty_comment_comes_back_and_saves_nothing(client_for, opened, focal_point):
    response = client_for(focal_point).post(
        reverse("review-comment", args=[opened.pk, "UNESCO"]), {"text": " ", "classification": "unclassified"}
    )
    assert response.status_code == 400 and not ReviewComment.objects.exists()


def test_the_detail_page_hides_a_confidential_comment_from_a_reader_without_clearance(
    client_for, commented, chair, committee_member, focal_point
):
    chair_page = client_for(chair).get(reverse("review-detail", args=[commented.pk])).content.decode()
    assert "UNESCO-OPEN-TEXT" in chair_page and "OHCHR-CONFIDENTIAL-TEXT" not in chair_page
    member_page = client_for(committee_member).get(reverse("review-detail", args=[commented.pk])).content.decode()
    assert "UNESCO-OPEN-TEXT" in member_page and "OHCHR-CONFIDENTIAL-TEXT" in member_page
    focal_page = client_for(focal_point).get(reverse("review-detail", args=[commented.pk])).content.decode()
    assert "UNESCO-OPEN-TEXT" in focal_page and "OHCHR-CONFIDENTIAL-TEXT" not in focal_page
    assert "review-tracking" not in focal_page


def test_the_outcome_is_shown_once_concluded_within_clearance(
    oct_colleague, client_for, opened, oct_officer, chair, committee_member
):
    review_update(
        review=opened, actor=oct_officer, outcome="OUTCOME-MARKER", outcome_classification=Classification.CONFIDENTIAL
    )
    url = reverse("review-detail", args=[opened.pk])
    assert "OUTCOME-MARKER" not in client_for(committee_member).get(url).content.decode()  # a draft
    review_act(review=opened, action="close", actor=oct_officer)
    review_act(review=opened, action="conclude", actor=oct_colleague)
    assert "OUTCOME-MARKER" in client_for(committee_member).get(url).content.decode()
    assert "OUTCOME-MARKER" not in client_for(chair).get(url).content.decode()


def test_oct_runs_a_review_through_the_pages(client_for, oct_officer, focal_point):
    client = client_for(oct_officer)
    data = {
        **REVIEW,
        "opens_on": "2026-10-20",
        "comments_due_on": "2026-11-10",
        "outcome_classification": "unclassified",
    }
    response = client.post(reverse("review-create"), data)
    review = BiennialReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("review-detail", args=[review.pk])
    edit = {**data, "title": "Renamed", "revision": str(review.revision)}
    assert client.post(reverse("review-edit", args=[review.pk]), edit).status_code == 302
    assert client.post(reverse("review-act", args=[review.pk]), {"action": "open"}).status_code == 302
    assert BiennialReview.objects.get().state == State.OPEN
    assert OutboundEmail.objects.filter(recipient=focal_point.email).exists()
    # Closing twice: the second comes back with a message, nothing moves.
    assert client.post(reverse("review-act", args=[review.pk]), {"action": "close"}).status_code == 302
    response = client.post(reverse("review-act", args=[review.pk]), {"action": "close"})
    assert response.status_code == 400 and BiennialReview.objects.get().state == State.CLOSED
    response = client.post(reverse("review-act", args=[review.pk]), {"action": "reopen", "reason": ""})
    assert response.status_code == 400 and BiennialReview.objects.get().state == State.CLOSED
    # A stale edit form is refused.
    stale = client.post(reverse("review-edit", args=[review.pk]), {**edit, "title": "Stale"})
    assert stale.status_code == 400 and BiennialReview.objects.get().title == "Renamed"


def test_a_bad_symbol_comes_back_on_the_form(client_for, oct_officer):
    data = {**REVIEW, "resolution_symbol": "77/298", "outcome_classification": "unclassified"}
    response = client_for(oct_officer).post(reverse("review-create"), data)
    assert response.status_code == 400 and "A/RES/77/298" in response.content.decode()
    assert not BiennialReview.objects.exists()


# --- Home page ----------------------------------------------------------------------------------------


def test_the_home_page_shows_a_focal_point_the_review_awaiting_their_comment(
    client_for, opened, oct_officer, focal_point, roster
):
    page = client_for(focal_point).get(reverse("home")).content.decode()
    assert opened.title in page and "10 Nov 2026" in page
    assert [(a.review, a.entity) for a in comments_awaited_from(focal_point)] == [(opened, roster.unesco)]
    comment_create(review=opened, entity=roster.unesco, actor=focal_point, text="Done.", classification="unclassified")
    assert opened.title not in client_for(focal_point).get(reverse("home")).content.decode()


def test_the_home_page_does_not_show_a_closed_review(client_for, opened, oct_officer, focal_point):
    review_act(review=opened, action="close", actor=oct_officer)
    assert comments_awaited_from(focal_point) == []
    assert opened.title not in client_for(focal_point).get(reverse("home")).content.decode()


def test_the_home_page_of_others_shows_no_review_to_comment(client_for, opened, chair, oct_officer):
    assert "review-awaiting" not in client_for(chair).get(reverse("home")).content.decode()
    assert comments_awaited_from(oct_officer) == []


# --- Admin ---------------------------------------------------------------------------------------------


def test_the_admin_shows_reviews_and_comments_read_only_without_their_text(client_for, commented, roster):
    admin = person("admin", roster.unoct, roles=(Role.OCT,), focal=False, clearance=Classification.CONFIDENTIAL)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client = client_for(admin)
    comment = ReviewComment.objects.get(entity=roster.ohchr)
    assert client.get(reverse("admin:compact_biennialreview_changelist")).status_code == 200
    assert client.get(reverse("admin:compact_biennialreview_add")).status_code == 403
    page = client.get(reverse("admin:compact_reviewcomment_change", args=[comment.pk]))
    assert page.status_code == 200 and "OHCHR-CONFIDENTIAL-TEXT" not in page.content.decode()
    # An administrator not cleared for the comment does not find it at all.
    uncleared = person("admin2", roster.unoct, roles=(Role.OCT,), focal=False)
    uncleared.is_staff = uncleared.is_superuser = True
    uncleared.save(update_fields=["is_staff", "is_superuser"])
    listed = client_for(uncleared).get(reverse("admin:compact_reviewcomment_changelist")).content.decode()
    assert reverse("admin:compact_reviewcomment_change", args=[comment.pk]) not in listed
    assert (
        client.post(reverse("admin:compact_reviewcomment_delete", args=[comment.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert ReviewComment.objects.filter(pk=comment.pk).exists()


def test_the_demo_review_is_created_once(roster, oct_officer, focal_point, ohchr_focal):
    from portal.demo_review import demo_review

    people = {"oct.officer": oct_officer, "unesco.focal": focal_point}
    demo_review(people)
    demo_review(people)
    review = BiennialReview.objects.get()
    assert review.state == State.OPEN
    assert set(review.comments.values_list("entity__acronym", flat=True)) == {"UNESCO", "OHCHR"}
    assert ReviewComment.objects.get(entity__acronym="OHCHR").classification == Classification.CONFIDENTIAL
    assert review.opens_on > COMPACT_SIGNED


def test_the_committee_decision_that_endorsed_the_outcome_is_shown(
    oct_colleague, client_for, opened, oct_officer, usg, committee_member, focal_point
):
    meeting = meeting_act(
        meeting=meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=oct_officer,
            date=D(2026, 12, 3),
            place="New York",
        ),
        action="hold",
        actor=oct_officer,
    )
    decision = decision_add(meeting=meeting, actor=oct_officer, text="The Committee endorses the review's outcome.")
    review_act(review=opened, action="close", actor=oct_officer)
    review_update(review=opened, actor=oct_officer, outcome="The Compact stands.", endorsed_by=decision)
    review_act(review=opened, action="conclude", actor=oct_colleague)
    url = reverse("review-detail", args=[opened.pk])
    meeting_link = reverse("committee-meeting", args=[meeting.pk])
    member_page = client_for(committee_member).get(url).content.decode()
    assert "Decision 1 of the meeting of 3 December 2026" in member_page and meeting_link in member_page
    focal_page = client_for(focal_point).get(url).content.decode()
    assert "The Compact stands." in focal_page and meeting_link not in focal_page
    assert AuditEvent.objects.filter(verb="review.updated", after__endorsed_by=decision.pk).exists()


def test_an_edit_racing_a_raised_marking_never_hands_back_the_text(opened, oct_officer, focal_point, roster):
    """The focal point (unclassified) loaded the comment; OCT then marked it confidential and
    rewrote it. The focal point's stale edit is refused without the confidential text: the
    service checks clearance on the comment as it is now, not as it was loaded."""
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="First.", classification="unclassified"
    )
    loaded = ReviewComment.objects.get(pk=comment.pk)
    comment_update(
        comment=comment, actor=oct_officer, base_revision=1, text="Sensitive detail.", classification="confidential"
    )
    with pytest.raises(PermissionDenied):
        comment_update(comment=loaded, actor=focal_point, base_revision=1, text="Mine.", classification="unclassified")
    assert ReviewComment.objects.get(pk=comment.pk).text == "Sensitive detail."


def test_editing_a_review_on_its_page_needs_the_revision_it_loaded(client_for, review, oct_officer):
    page = client_for(oct_officer).get(reverse("review-edit", args=[review.pk]))
    assert page.status_code == 200
    data = {**page.context["form"].initial, "revision": ""}
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in data.items()}
    data["title"] = "Changed without a revision"
    response = client_for(oct_officer).post(reverse("review-edit", args=[review.pk]), data)
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.title != "Changed without a revision"


def test_moving_the_deadline_decides_lateness_anew(opened, oct_officer, focal_point, roster, time_machine):
    time_machine.move_to(utc(2026, 11, 12, 15), tick=False)  # two days after the deadline
    comment = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="Late.", classification="unclassified"
    )
    assert comment.is_late
    opened.refresh_from_db()
    review_update(review=opened, actor=oct_officer, base_revision=opened.revision, comments_due_on=D(2026, 11, 20))
    comment.refresh_from_db()
    assert not comment.is_late


@pytest.mark.parametrize("persona", ["oct_officer", "focal_point", "chair", "committee_member", "usg", "outsider"])
def test_the_list_rule_for_writing_comments_is_the_one_rule(request, opened, oct_officer, focal_point, roster, persona):
    """``comment_writer`` (lists) answers as ``can_write_comment`` (one comment) for everyone,
    open or closed."""
    from reporting.review.permissions import can_write_comment, comment_writer

    mine = comment_create(
        review=opened, entity=roster.unesco, actor=focal_point, text="UNESCO.", classification="unclassified"
    )
    other = comment_create(
        review=opened, entity=roster.cted, actor=oct_officer, text="CTED, by letter.", classification="unclassified"
    )
    user = request.getfixturevalue(persona)
    for state in (State.OPEN, State.CLOSED):
        BiennialReview.objects.filter(pk=opened.pk).update(state=state)
        may_write = comment_writer(user)
        for comment in ReviewComment.objects.select_related("review", "entity").filter(pk__in=[mine.pk, other.pk]):
            assert may_write(comment) == can_write_comment(user, comment.review, comment.entity)
