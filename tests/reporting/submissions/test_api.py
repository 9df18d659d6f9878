"""The reporting API: periods (OCT's writes and dashboard), work plans, and submissions scoped
to what each persona may read, with draft saves, the workflow's moves, versions and diffs."""

from __future__ import annotations

import datetime

import pytest

from reporting.submissions.models import ReportingPeriod, Submission, SubmissionVersion

pytestmark = pytest.mark.django_db

PERIODS = "/api/v1/reporting-periods/"
SUBMISSIONS = "/api/v1/submissions/"
WORK_PLANS = "/api/v1/work-plans/"
OTHERS = ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]


def group_submission(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def stored(submission: Submission) -> dict:
    """The submission's row as the database holds it, to compare before and after."""
    return Submission.objects.filter(pk=submission.pk).values().get()


def url(submission: Submission, suffix: str = "") -> str:
    return f"{SUBMISSIONS}{submission.pk}/{suffix}"


def save(api_for, user, submission: Submission, **body):
    return api_for(user).patch(url(submission), body, format="json")


def act(api_for, user, submission: Submission, action: str, comment: str = ""):
    return api_for(user).post(url(submission, "transitions/"), {"action": action, "comment": comment}, format="json")


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def new_period(**overrides) -> dict:
    return {
        "kind": "end-of-year",
        "covers_from": "2026-01-01",
        "covers_until": "2026-12-31",
        "opens_on": "2026-12-01",
        "due_on": "2027-01-31",
        **overrides,
    }


@pytest.fixture
def accepted(report_period, chair, oct_officer, api_for, time_machine) -> Submission:
    """WG 7's mid-year report: saved, submitted on time, returned, resubmitted and accepted."""
    time_machine.move_to("2026-07-10 15:00Z")
    report = group_submission(report_period, 7)
    line = report.activity_progress.order_by("position").first()
    first = {"summary": "First text.", "challenges": "Funding."}
    activity = {"id": line.pk, "status": "completed", "narrative": "Published."}
    assert save(api_for, chair, report, base_revision=0, fields=first, activities=[activity]).status_code == 200
    assert act(api_for, chair, report, "submit").status_code == 200
    assert act(api_for, oct_officer, report, "return", "Add the workshops.").status_code == 200
    assert save(api_for, chair, report, base_revision=1, fields={"summary": "Second text."}).status_code == 200
    assert act(api_for, chair, report, "resubmit").status_code == 200
    assert act(api_for, oct_officer, report, "accept").status_code == 200
    report.refresh_from_db()
    return report


# --- Anonymous callers and the schema --------------------------------------------------------------

ENDPOINTS = [
    ("get", PERIODS),
    ("post", PERIODS),
    ("get", f"{PERIODS}1/"),
    ("post", f"{PERIODS}1/open/"),
    ("post", f"{PERIODS}1/close/"),
    ("get", f"{PERIODS}1/dashboard/"),
    ("get", WORK_PLANS),
    ("get", f"{WORK_PLANS}1/"),
    ("get", SUBMISSIONS),
    ("get", f"{SUBMISSIONS}1/"),
    ("patch", f"{SUBMISSIONS}1/"),
    ("post", f"{SUBMISSIONS}1/transitions/"),
    ("get", f"{SUBMISSIONS}1/versions/"),
    ("get", f"{SUBMISSIONS}1/versions/1/"),
    ("get", f"{SUBMISSIONS}1/versions/diff/?a=1&b=2"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused(report_period, api_for, method, path):
    response = getattr(api_for(None), method)(path, {}, format="json") if method != "get" else api_for(None).get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_documents_every_reporting_endpoint(roster, outsider, api_for):
    schema = api_for(outsider).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/reporting-periods/"]) == {"get", "post"}
    for path in [
        "/api/v1/reporting-periods/{id}/",
        "/api/v1/reporting-periods/{id}/open/",
        "/api/v1/reporting-periods/{id}/close/",
        "/api/v1/reporting-periods/{id}/dashboard/",
        "/api/v1/work-plans/",
        "/api/v1/work-plans/{id}/",
        "/api/v1/submissions/",
        "/api/v1/submissions/{id}/transitions/",
        "/api/v1/submissions/{id}/versions/",
        "/api/v1/submissions/{id}/versions/{number}/",
        "/api/v1/submissions/{id}/versions/diff/",
    ]:
        assert path in paths
    assert set(paths["/api/v1/submissions/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/submissions/{id}/"]["patch"]["responses"]) >= {"200", "403", "404", "409"}
    components = schema["components"]["schemas"]
    assert components["SubmissionDraft"]["required"] == ["base_revision"]
    assert components["SubmissionActionEnum"]["enum"] == ["submit", "return", "resubmit", "accept", "reopen"]


# --- Periods ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["oct_officer", *OTHERS])
def test_every_signed_in_role_reads_the_periods(request, report_period, briefing_period, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert ids(api.get(PERIODS)) == [briefing_period.pk, report_period.pk]
    detail = api.get(f"{PERIODS}{report_period.pk}/").json()
    assert detail["kind"] == "mid-year" and detail["state"] == "open" and detail["due_on"] == "2026-07-15"
    assert detail["is_briefing"] is False


def test_periods_filter_by_state(report_period, briefing_period, oct_officer, api_for):
    scheduled = api_for(oct_officer).post(PERIODS, new_period(), format="json").json()
    assert ids(api_for(oct_officer).get(PERIODS, {"state": "scheduled"})) == [scheduled["id"]]
    assert len(ids(api_for(oct_officer).get(PERIODS, {"state": "open"}))) == 2


def test_oct_creates_opens_and_closes_a_period(roster, oct_officer, api_for):
    api = api_for(oct_officer)
    response = api.post(PERIODS, new_period(), format="json")
    assert response.status_code == 201
    period = ReportingPeriod.objects.get(pk=response.json()["id"])
    assert response.json()["state"] == "scheduled" and period.kind == "end-of-year"
    opened = api.post(f"{PERIODS}{period.pk}/open/")
    assert opened.status_code == 200
    assert opened.json()["state"] == "open" and opened.json()["drafts_created"] == 2
    assert Submission.objects.filter(period=period).count() == 2
    again = api.post(f"{PERIODS}{period.pk}/open/")
    assert again.status_code == 200 and again.json()["drafts_created"] == 0
    closed = api.post(f"{PERIODS}{period.pk}/close/")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert api.post(f"{PERIODS}{period.pk}/close/").status_code == 409
    reopened = api.post(f"{PERIODS}{period.pk}/open/")
    assert reopened.status_code == 409
    assert reopened.json() == {"detail": "Only a scheduled period can be opened.", "state": "closed"}


def test_a_bad_period_is_refused_on_its_fields(roster, oct_officer, api_for):
    response = api_for(oct_officer).post(PERIODS, new_period(kind="q5", due_on="soon"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "due_on"}
    inverted = api_for(oct_officer).post(PERIODS, new_period(due_on="2026-11-30"), format="json")
    assert inverted.status_code == 400
    assert not ReportingPeriod.objects.exists()
    assert api_for(oct_officer).post(PERIODS, new_period(), format="json").status_code == 201
    duplicate = api_for(oct_officer).post(PERIODS, new_period(), format="json")
    assert duplicate.status_code == 400 and ReportingPeriod.objects.count() == 1


@pytest.mark.parametrize("persona", OTHERS)
def test_only_oct_creates_opens_and_closes_periods(request, roster, api_for, persona):
    from reporting.submissions.periods.services import period_create

    api = api_for(request.getfixturevalue(persona))
    assert api.post(PERIODS, new_period(), format="json").status_code == 403
    dates = {name: datetime.date.fromisoformat(value) for name, value in new_period().items() if name != "kind"}
    period = period_create(kind="end-of-year", **dates, actor=None)
    assert api.post(f"{PERIODS}{period.pk}/open/").status_code == 403
    period.refresh_from_db()
    assert period.state == "scheduled" and ReportingPeriod.objects.count() == 1


def test_the_dashboard_gives_each_group_and_the_rates(report_period, chair, oct_officer, api_for, time_machine):
    time_machine.move_to("2026-07-10 15:00Z")
    assert act(api_for, chair, group_submission(report_period, 7), "submit").status_code == 200
    dashboard = api_for(oct_officer).get(f"{PERIODS}{report_period.pk}/dashboard/").json()
    assert (dashboard["expected"], dashboard["reported"], dashboard["on_time"]) == (2, 1, 1)
    assert (dashboard["reporting_rate"], dashboard["on_time_rate"]) == (0.5, 1.0)
    rows = {row["working_group"]["number"]: row for row in dashboard["rows"]}
    assert rows[7]["progress"] == "submitted" and rows[7]["status"] == "submitted" and rows[7]["on_time"] is True
    assert rows[2]["progress"] == "not-started" and rows[2]["late"] is False and rows[2]["submitted_at"] is None
    time_machine.move_to("2026-07-20 15:00Z")
    late = api_for(oct_officer).get(f"{PERIODS}{report_period.pk}/dashboard/").json()
    assert [(row["progress"], row["late"]) for row in late["rows"]] == [("late", True), ("submitted", False)]
    assert late["reporting_rate"] == 0.5


@pytest.mark.parametrize("persona", OTHERS)
def test_the_dashboard_is_not_found_for_anyone_but_oct(request, report_period, api_for, persona):
    response = api_for(request.getfixturevalue(persona)).get(f"{PERIODS}{report_period.pk}/dashboard/")
    assert response.status_code == 404


# --- Work plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["oct_officer", "outsider", "focal_point"])
def test_any_signed_in_user_reads_work_plans(request, roster, work_plan, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    listing = api.get(WORK_PLANS, {"working_group": roster.group.pk, "biennium_start": 2026}).json()
    assert [plan["biennium_label"] for plan in listing["results"]] == ["2026–2027"]
    assert api.get(WORK_PLANS, {"working_group": roster.other_group.pk}).json()["count"] == 0
    assert api.get(WORK_PLANS, {"biennium_start": 2024}).json()["count"] == 0
    detail = api.get(f"{WORK_PLANS}{work_plan.pk}/").json()
    assert detail["working_group"]["number"] == 7
    [output] = detail["outputs"]
    assert output["title"] == "Guidance on human rights in counter-terrorism"
    assert [
        (a["title"], a["lead_entities"], a["pillars"], a["status"], a["target_date"]) for a in output["activities"]
    ] == [
        ("Draft the guidance note", ["OHCHR"], ["IV"], "planned", None),
        ("Regional workshops", [], [], "ongoing", None),
    ]


def test_work_plans_are_read_only(roster, work_plan, oct_officer, api_for):
    from workinggroups.models import WorkPlan

    api = api_for(oct_officer)
    before = list(WorkPlan.objects.order_by("pk").values())
    assert api.post(WORK_PLANS, {}, format="json").status_code == 405
    assert api.patch(f"{WORK_PLANS}{work_plan.pk}/", {"summary": "x"}, format="json").status_code == 405
    assert list(WorkPlan.objects.order_by("pk").values()) == before


# --- Reading submissions ---------------------------------------------------------------------------


def test_a_chair_reads_their_groups_submissions_only(report_period, briefing_period, chair, api_for):
    mine = [group_submission(briefing_period, 7).pk, group_submission(report_period, 7).pk]
    assert ids(api_for(chair).get(SUBMISSIONS)) == mine
    assert ids(api_for(chair).get(SUBMISSIONS, {"period": report_period.pk})) == mine[1:]


def test_a_chair_of_another_group_gets_404_for_everything_on_its_draft(report_period, chair, api_for):
    other = group_submission(report_period, 2)
    api = api_for(chair)
    assert api.get(url(other)).status_code == 404
    assert save(api_for, chair, other, base_revision=0, fields={"summary": "Mine now."}).status_code == 404
    assert act(api_for, chair, other, "submit").status_code == 404
    assert api.get(url(other, "versions/")).status_code == 404
    assert api.get(url(other, "versions/diff/"), {"a": 1, "b": 2}).status_code == 404
    other.refresh_from_db()
    assert other.summary == "" and other.status == "draft" and other.revision == 0


def test_the_detail_shows_a_reports_content_lines_and_the_callers_moves(report_period, chair, oct_officer, api_for):
    report = group_submission(report_period, 7)
    detail = api_for(chair).get(url(report)).json()
    assert list(detail["fields"]) == list(Submission.REPORT_FIELDS)
    assert [(line["title"], line["status"]) for line in detail["activities"]] == [
        ("Draft the guidance note", "planned"),
        ("Regional workshops", "ongoing"),
    ]
    assert (detail["status"], detail["classification"], detail["revision"]) == ("draft", "unclassified", 0)
    assert detail["period"]["kind"] == "mid-year" and detail["working_group"]["number"] == 7
    assert [move["action"] for move in detail["available_actions"]] == ["submit"] and detail["can_edit"] is True
    assert detail["page_url"].endswith(f"/reporting/submissions/{report.pk}/")
    as_oct = api_for(oct_officer).get(url(report)).json()
    assert as_oct["available_actions"] == [] and as_oct["can_edit"] is False


def test_a_briefing_has_the_briefing_fields(briefing_period, vice_chair, api_for):
    detail = api_for(vice_chair).get(url(group_submission(briefing_period, 7))).json()
    assert list(detail["fields"]) == list(Submission.BRIEFING_FIELDS) and detail["activities"] == []


def test_committee_members_read_accepted_reports_only(report_period, accepted, committee_member, api_for):
    api = api_for(committee_member)
    assert ids(api.get(SUBMISSIONS)) == [accepted.pk]
    assert ids(api.get(SUBMISSIONS, {"status": "draft"})) == []
    assert api.get(url(accepted)).json()["status"] == "accepted"
    assert api.get(url(group_submission(report_period, 2))).status_code == 404


def test_a_classification_above_the_readers_clearance_hides_the_submission(accepted, committee_member, api_for):
    Submission.objects.filter(pk=accepted.pk).update(classification="confidential")
    assert api_for(committee_member).get(url(accepted)).status_code == 200
    Submission.objects.filter(pk=accepted.pk).update(classification="strictly-confidential")
    api = api_for(committee_member)
    assert api.get(url(accepted)).status_code == 404
    assert api.get(url(accepted, "versions/")).status_code == 404
    assert ids(api.get(SUBMISSIONS)) == []


def test_oct_reads_a_strictly_confidential_submission(accepted, oct_officer, api_for):
    Submission.objects.filter(pk=accepted.pk).update(classification="strictly-confidential")
    assert api_for(oct_officer).get(url(accepted)).json()["classification"] == "strictly-confidential"


@pytest.mark.parametrize("persona", ["focal_point", "outsider", "usg", "committee_member"])
def test_those_without_a_part_in_a_draft_find_nothing(request, report_period, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert ids(api.get(SUBMISSIONS)) == []
    assert api.get(url(group_submission(report_period, 7))).status_code == 404


# --- Saving drafts ---------------------------------------------------------------------------------


def test_a_chair_saves_fields_and_activity_lines(report_period, chair, api_for):
    report = group_submission(report_period, 7)
    line = report.activity_progress.order_by("position").first()
    response = save(
        api_for,
        chair,
        report,
        base_revision=0,
        classification="unclassified",
        fields={"summary": "  Good progress.  ", "joint_work": "With UNODC."},
        activities=[{"id": line.pk, "status": "completed", "narrative": "Published in May."}],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == 1 and body["last_edited_by"] == "Chair Tester"
    assert body["fields"]["summary"] == "Good progress." and body["fields"]["joint_work"] == "With UNODC."
    assert body["activities"][0] == {
        "id": line.pk,
        "activity": line.activity_id,
        "title": "Draft the guidance note",
        "status": "completed",
        "narrative": "Published in May.",
    }
    kept = save(api_for, chair, report, base_revision=1, fields={"challenges": "Funding."}).json()
    assert kept["fields"]["summary"] == "Good progress." and kept["revision"] == 2


def test_the_second_save_on_the_same_revision_is_a_conflict_and_keeps_the_first(
    report_period, chair, vice_chair, api_for
):
    report = group_submission(report_period, 7)
    first = save(api_for, chair, report, base_revision=0, fields={"summary": "Chair's text."})
    assert first.status_code == 200
    second = save(api_for, vice_chair, report, base_revision=0, fields={"summary": "Vice-chair's text."})
    assert second.status_code == 409
    body = second.json()
    assert "changed by someone else" in body["detail"]
    assert body["current_revision"] == 1
    assert body["current"]["fields"]["summary"] == "Chair's text."
    assert body["current"]["last_edited_by"] == "Chair Tester" and body["current"]["status"] == "draft"
    report.refresh_from_db()
    assert report.summary == "Chair's text." and report.revision == 1
    retry = save(api_for, vice_chair, report, base_revision=1, fields={"summary": "Both texts."})
    assert retry.status_code == 200 and retry.json()["revision"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fields": {"summary": "x"}}, "base_revision"),
        ({"base_revision": 0, "fields": {"summery": "typo"}}, "fields"),
        ({"base_revision": 0, "classification": "secret"}, "classification"),
        ({"base_revision": 0, "activities": [{"id": 1, "status": "stalled", "narrative": ""}]}, "activities"),
    ],
)
def test_a_malformed_save_is_refused_on_its_field(report_period, chair, api_for, body, field):
    report = group_submission(report_period, 7)
    response = api_for(chair).patch(url(report), body, format="json")
    assert response.status_code == 400 and field in response.json()
    report.refresh_from_db()
    assert report.revision == 0


def test_service_refusals_of_a_save_are_400(report_period, briefing_period, chair, api_for):
    report = group_submission(report_period, 7)
    briefing_line = {"id": 999999, "status": "", "narrative": "Not mine."}
    assert save(api_for, chair, report, base_revision=0, activities=[briefing_line]).status_code == 400
    above = save(api_for, chair, report, base_revision=0, classification="confidential")
    assert above.status_code == 400 and "classification" in above.json()
    briefing = group_submission(briefing_period, 7)
    unsaved = stored(briefing)
    assert save(api_for, chair, briefing, base_revision=0, fields={"summary": "A report's field."}).status_code == 400
    assert stored(briefing) == unsaved
    report.refresh_from_db()
    assert report.revision == 0


def test_a_reader_who_may_not_edit_gets_403(report_period, accepted, oct_officer, committee_member, api_for):
    draft = group_submission(report_period, 2)
    before = stored(draft), stored(accepted), SubmissionVersion.objects.count()
    assert save(api_for, oct_officer, draft, base_revision=0, fields={"summary": "OCT's."}).status_code == 403
    assert save(api_for, committee_member, accepted, base_revision=3, fields={"summary": "x"}).status_code == 403
    assert (stored(draft), stored(accepted), SubmissionVersion.objects.count()) == before


def test_a_leader_saving_a_report_that_moved_on_gets_409(accepted, chair, api_for):
    response = save(api_for, chair, accepted, base_revision=accepted.revision, fields={"summary": "Late edit."})
    assert response.status_code == 409
    assert response.json()["current"]["status"] == "accepted"
    assert response.json()["current"]["fields"]["summary"] == "Second text."


# --- The workflow ----------------------------------------------------------------------------------


def test_submit_return_resubmit_accept(report_period, chair, vice_chair, oct_officer, api_for, time_machine):
    time_machine.move_to("2026-07-10 15:00Z")
    report = group_submission(report_period, 7)
    submitted = act(api_for, vice_chair, report, "submit")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted" and body["on_time"] is True and body["submitted_by"] == "Vicechair Tester"
    assert body["available_actions"] == [] and body["can_edit"] is False
    review = api_for(oct_officer).get(url(report)).json()
    assert [(m["action"], m["comment"]) for m in review["available_actions"]] == [
        ("return", "required"),
        ("accept", "optional"),
    ]
    no_comment = act(api_for, oct_officer, report, "return", "  ")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    returned = act(api_for, oct_officer, report, "return", "Add the workshops.").json()
    assert returned["status"] == "returned"
    assert returned["steps"][-1] | {"created_at": None} == {
        "action": "return",
        "from_status": "submitted",
        "to_status": "returned",
        "by": "Officer Tester",
        "comment": "Add the workshops.",
        "created_at": None,
    }
    assert act(api_for, chair, report, "resubmit").json()["status"] == "resubmitted"
    accepted = act(api_for, oct_officer, report, "accept", "Thank you.").json()
    assert accepted["status"] == "accepted"
    assert [step["action"] for step in accepted["steps"]] == ["submit", "return", "resubmit", "accept"]
    assert [m["action"] for m in accepted["available_actions"]] == ["reopen"]
    assert api_for(chair).get(url(report)).json()["available_actions"] == []


def test_a_move_the_table_does_not_allow_is_a_409(report_period, chair, oct_officer, api_for):
    report = group_submission(report_period, 7)
    early = act(api_for, oct_officer, report, "accept")
    assert early.status_code == 409
    assert early.json() == {
        "detail": "“Accept” is not possible while the submission is “Draft”.",
        "status": "draft",
        "available_actions": [],
    }
    assert act(api_for, chair, report, "submit").status_code == 200
    twice = act(api_for, chair, report, "submit")
    assert twice.status_code == 409 and twice.json()["status"] == "submitted"
    assert act(api_for, chair, report, "resubmit").status_code == 409


def test_a_move_someone_else_made_first_is_a_409(report_period, chair, oct_officer, api_for):
    from unittest import mock

    from compact.lib.workflow import StaleStateError

    report = group_submission(report_period, 7)
    with mock.patch("reporting.submissions.api.submission_act", side_effect=StaleStateError("Moved meanwhile.")):
        response = act(api_for, chair, report, "submit")
    assert response.status_code == 409
    assert response.json() == {"detail": "Moved meanwhile.", "status": "draft", "available_actions": ["submit"]}


def test_an_unknown_action_is_a_400(report_period, chair, api_for):
    response = act(api_for, chair, group_submission(report_period, 7), "publish")
    assert response.status_code == 400 and "action" in response.json()


def test_a_reader_may_not_make_anothers_move(report_period, accepted, chair, committee_member, api_for):
    assert act(api_for, committee_member, accepted, "reopen", "I disagree.").status_code == 403
    assert act(api_for, chair, accepted, "reopen", "Let me fix it.").status_code == 403
    draft = group_submission(report_period, 2)
    assert act(api_for, chair, draft, "submit").status_code == 404
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_oct_may_not_submit_for_a_group(report_period, oct_officer, api_for):
    report = group_submission(report_period, 7)
    assert act(api_for, oct_officer, report, "submit").status_code == 403
    report.refresh_from_db()
    assert report.status == "draft"


# --- Versions --------------------------------------------------------------------------------------


def test_versions_are_listed_shown_and_diffed(accepted, committee_member, api_for):
    api = api_for(committee_member)
    versions = api.get(url(accepted, "versions/")).json()
    assert [(v["number"], v["on_time"], v["submitted_by"]) for v in versions] == [
        (1, True, "Chair Tester"),
        (2, True, "Chair Tester"),
    ]
    first = api.get(url(accepted, "versions/1/")).json()
    assert first["content"]["fields"]["summary"] == "First text."
    assert first["content"]["activities"][0] == {
        "title": "Draft the guidance note",
        "status": "completed",
        "narrative": "Published.",
    }
    assert api.get(url(accepted, "versions/2/")).json()["content"]["fields"]["summary"] == "Second text."
    assert api.get(url(accepted, "versions/3/")).status_code == 404
    diff = api.get(url(accepted, "versions/diff/"), {"a": 1, "b": 2}).json()
    assert (diff["a"]["number"], diff["b"]["number"]) == (1, 2)
    sections = {section["key"]: section for section in diff["sections"]}
    assert sections["summary"]["changed"] is True and sections["summary"]["label"] == "Summary"
    assert sections["summary"]["pieces"] == [
        {"kind": "removed", "text": "First"},
        {"kind": "added", "text": "Second"},
        {"kind": "same", "text": " text."},
    ]
    assert sections["challenges"]["changed"] is False
    assert sections["activity:Draft the guidance note"]["changed"] is False


def test_a_diff_needs_two_existing_versions(accepted, chair, api_for):
    api = api_for(chair)
    assert api.get(url(accepted, "versions/diff/"), {"a": 1}).status_code == 400
    assert api.get(url(accepted, "versions/diff/"), {"a": "one", "b": 2}).status_code == 400
    assert api.get(url(accepted, "versions/diff/"), {"a": 1, "b": 9}).status_code == 404


def test_a_version_above_the_readers_clearance_is_hidden(accepted, committee_member, oct_officer, api_for):
    # Versions are immutable records; the update below stands for a version submitted when
    # the report was marked higher than it is now.
    SubmissionVersion.objects.filter(submission=accepted, number=1).update(classification="strictly-confidential")
    api = api_for(committee_member)
    assert [v["number"] for v in api.get(url(accepted, "versions/")).json()] == [2]
    assert api.get(url(accepted, "versions/1/")).status_code == 404
    assert api.get(url(accepted, "versions/diff/"), {"a": 1, "b": 2}).status_code == 404
    assert len(api_for(oct_officer).get(url(accepted, "versions/")).json()) == 2


def test_versions_of_a_hidden_submission_are_not_found(report_period, accepted, outsider, focal_point, api_for):
    for user in (outsider, focal_point):
        assert api_for(user).get(url(accepted, "versions/1/")).status_code == 404


def test_the_detail_names_the_attachments_with_their_download_link(report_period, chair, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.submissions.services import attachment_add
    from tests.helpers import pdf_bytes

    report = group_submission(report_period, 7)
    upload = SimpleUploadedFile("Annex.pdf", pdf_bytes(), content_type="application/pdf")
    attachment = attachment_add(submission=report, upload=upload, actor=chair)
    [listed] = api_for(chair).get(url(report)).json()["attachments"]
    assert (listed["name"], listed["kind"]) == ("Annex.pdf", "pdf")
    assert listed["download_url"].endswith(f"/reporting/submissions/{report.pk}/attachments/{attachment.pk}/")
