"""Admin rights never grant a role's rights in a workflow (issue 14, hole 4).

Django answers True to ``has_perm`` for every superuser, so ``oct.officer`` (OCT *and* a site
administrator) could edit and submit working group 7's draft through the API, which a
non-superuser OCT officer could not. Chairs submit, OCT reviews, the USG approves — whoever is
superuser — and a superuser reads only what their clearance reaches.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from compact.core.models import Classification
from compact.core.roles import Role
from compact.registry.models import Entity
from compact.signon.models import SignOnRequest
from reporting.submissions.models import Submission, SubmissionVersion
from tests.helpers import admin_person, fresh, signon_in_consultation
from workinggroups.models import RoleAssignment

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/submissions/"


def _superuser(username: str, entity: Entity | None, roles: tuple[Role, ...], clearance: str):
    return admin_person(username, entity=entity, roles=roles, clearance=clearance)


@pytest.fixture
def oct_superuser(roster):
    """Like the demo's ``oct.officer``: OCT, cleared for everything, and a site administrator."""
    return _superuser("oct.admin", roster.unoct, (Role.OCT,), Classification.STRICTLY_CONFIDENTIAL)


@pytest.fixture
def bare_superuser(roster):
    """A site administrator with no role and no clearance beyond unclassified."""
    return _superuser("root", None, (), Classification.UNCLASSIFIED)


def wg7_draft(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def test_an_oct_superuser_cannot_edit_a_groups_draft_through_the_api(report_period, oct_superuser, api_for):
    draft = wg7_draft(report_period)
    response = api_for(oct_superuser).patch(
        f"{SUBMISSIONS}{draft.pk}/", {"base_revision": 0, "fields": {"summary": "Written by the admin."}}, format="json"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.summary, draft.revision, draft.last_edited_by_id) == ("", 0, None)


def test_an_oct_superuser_cannot_submit_a_groups_draft_through_the_api(report_period, oct_superuser, api_for):
    draft = wg7_draft(report_period)
    response = api_for(oct_superuser).post(f"{SUBMISSIONS}{draft.pk}/transitions/", {"action": "submit"}, format="json")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT and draft.submitted_by_id is None
    assert not SubmissionVersion.objects.filter(submission=draft).exists()


def test_an_oct_superuser_is_offered_no_chairs_move_and_no_editor(report_period, oct_superuser, api_for, client_for):
    draft = wg7_draft(report_period)
    detail = api_for(oct_superuser).get(f"{SUBMISSIONS}{draft.pk}/")
    assert detail.status_code == 200  # OCT reads every draft
    assert detail.json()["available_actions"] == [] and detail.json()["can_edit"] is False
    assert client_for(oct_superuser).get(reverse("reporting-submission-edit", args=[draft.pk])).status_code == 404
    page = client_for(oct_superuser).post(reverse("reporting-submission-act", args=[draft.pk]), {"action": "submit"})
    assert page.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT


def test_the_chair_still_submits_their_draft(report_period, chair, api_for):
    draft = wg7_draft(report_period)
    response = api_for(chair).post(f"{SUBMISSIONS}{draft.pk}/transitions/", {"action": "submit"}, format="json")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Submission.Status.SUBMITTED and draft.submitted_by_id == chair.pk


def test_a_superuser_without_a_role_takes_no_part_in_any_workflow(
    report_period, oct_officer, bare_superuser, api_for, client_for
):
    draft = wg7_draft(report_period)
    signon = signon_in_consultation(oct_officer)
    api = api_for(bare_superuser)
    assert api.get(f"{SUBMISSIONS}{draft.pk}/").status_code == 404
    assert api.post(f"{SUBMISSIONS}{draft.pk}/transitions/", {"action": "submit"}, format="json").status_code == 404
    assert api.get(f"/api/v1/sign-on-requests/{signon.pk}/").status_code == 404
    assert api.get("/api/v1/sign-on-requests/").json()["results"] == []
    client = client_for(bare_superuser)
    for name in ("signon-review-list", "audit-log", "reporting-calendar", "reporting-compiled-list"):
        assert client.get(reverse(name)).status_code in (403, 404), name
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT


def test_a_superuser_reads_only_within_the_clearance_on_their_profile(report_period, roster, api_for):
    officer = _superuser("oct.uncleared", roster.unoct, (Role.OCT,), Classification.UNCLASSIFIED)
    confidential = wg7_draft(report_period)
    Submission.objects.filter(pk=confidential.pk).update(classification=Classification.CONFIDENTIAL)
    api = api_for(officer)
    assert api.get(f"{SUBMISSIONS}{confidential.pk}/").status_code == 404
    listed = {item["id"] for item in api.get(SUBMISSIONS).json()["results"]}
    assert confidential.pk not in listed and listed  # WG 2's unclassified draft is still there


def test_a_superuser_without_a_role_cannot_decide_a_signon_request(oct_officer, bare_superuser, client_for):
    request = signon_in_consultation(oct_officer)
    response = client_for(bare_superuser).post(
        reverse("signon-review-act", args=[request.pk]), {"action": "approve", "status": "member"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.state == SignOnRequest.State.IN_CONSULTATION and request.entity_id is None


def test_the_superuser_keeps_the_site_administration(roster, bare_superuser, client_for):
    assert client_for(bare_superuser).get(reverse("admin:index")).status_code == 200


# --- The admin does not hand its user a role, a clearance or someone else's account ----------------


@pytest.fixture
def admin_self_form(bare_superuser):
    from django.contrib.auth.models import Group

    from tests.helpers import user_change_form

    oct_group = Group.objects.get(name=Role.OCT.value)
    people = type(bare_superuser).objects
    people.filter(pk=bare_superuser.pk).update(date_joined=bare_superuser.date_joined.replace(microsecond=0))
    me = people.get(pk=bare_superuser.pk)
    return user_change_form(me, groups=[str(oct_group.pk)], **{"profile-0-clearance": "strictly-confidential"})


def test_an_administrator_cannot_give_themselves_a_role_or_a_clearance(bare_superuser, admin_self_form, client_for):
    client = client_for(bare_superuser)
    page = client.get(reverse("admin:compact_user_change", args=[bare_superuser.pk])).content.decode()
    assert 'name="groups"' not in page and 'name="profile-0-clearance"' not in page
    client.post(reverse("admin:compact_user_change", args=[bare_superuser.pk]), admin_self_form)
    me = fresh(bare_superuser)
    assert not me.groups.exists() and me.profile.clearance == Classification.UNCLASSIFIED


def test_an_administrator_still_manages_other_peoples_roles(bare_superuser, outsider, client_for):
    from django.contrib.auth.models import Group

    from tests.helpers import user_change_form

    type(outsider).objects.filter(pk=outsider.pk).update(date_joined=outsider.date_joined.replace(microsecond=0))
    outsider = fresh(outsider)
    data = user_change_form(outsider, groups=[str(Group.objects.get(name=Role.OCT.value).pk)])
    response = client_for(bare_superuser).post(reverse("admin:compact_user_change", args=[outsider.pk]), data)
    assert response.status_code == 302
    assert list(fresh(outsider).groups.values_list("name", flat=True)) == [Role.OCT.value]


def test_an_administrator_cannot_set_someone_elses_password(bare_superuser, usg, client_for):
    body = {"password1": "a-Long-new-passw0rd", "password2": "a-Long-new-passw0rd", "usable_password": "true"}
    response = client_for(bare_superuser).post(f"/admin/compact/user/{usg.pk}/password/", body)
    assert response.status_code == 403
    assert fresh(usg).check_password("pw") and not fresh(usg).check_password("a-Long-new-passw0rd")


def test_an_administrator_cannot_name_themselves_a_chairs_representative(roster, client_for):
    me = admin_person("root2", entity=roster.ohchr, clearance=Classification.UNCLASSIFIED)
    data = {
        "working_group": str(roster.group.pk),
        "entity": str(roster.ohchr.pk),
        "role": "chair",
        "person": str(me.pk),
        "starts_on": "2018-02-23",
        "ends_on": "",
        "evidence": "secretariat",
        "note": "",
    }
    url = reverse("admin:workinggroups_roleassignment_change", args=[roster.chair_role.pk])
    response = client_for(me).post(url, data)
    assert response.status_code == 200 and "You cannot name yourself" in response.content.decode()
    roster.chair_role.refresh_from_db()
    assert roster.chair_role.person_id != me.pk
    assert not RoleAssignment.objects.filter(person=me).exists()
