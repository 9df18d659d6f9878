"""Edits made in the Django admin are audited and keep rights in step, like the services."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from compact.models import AuditEvent, Profile
from compact.roles import Role
from tests.factories import ProfileFactory
from workinggroups.models import RoleAssignment

pytestmark = pytest.mark.django_db
LEAD = "workinggroups.lead_workinggroup"


@pytest.fixture
def admin_client(client, roster, oct_officer):
    oct_officer.is_staff = oct_officer.is_superuser = True
    oct_officer.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(oct_officer)
    return client


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_changing_an_entity_in_the_admin_is_audited(admin_client, roster, oct_officer):
    url = f"/admin/compact/entity/{roster.unesco.pk}/change/"
    data = {
        "acronym": "UNESCO",
        "name": roster.unesco.name,
        "kind": "specialized-agency",
        "website": "",
        "is_active": "on",
        "evidence": "seed",
        "note": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": str(roster.unesco.memberships.get().pk),
        "memberships-0-entity": str(roster.unesco.pk),
        "memberships-0-status": "member",
        "memberships-0-effective_from": "2018-02-23",
        "memberships-0-signed_on": "2018-04-25",
        "memberships-0-evidence": "seed",
        "memberships-0-source_note": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = AuditEvent.objects.get(verb="admin.entity.changed")
    assert (change.actor, change.before, change.after) == (
        oct_officer,
        {"kind": "secretariat"},
        {"kind": "specialized-agency"},
    )
    inline = AuditEvent.objects.get(verb="admin.membership.saved")
    assert inline.before == {"signed_on": None} and inline.after["signed_on"] == "2018-04-25"


def test_changing_a_persons_roles_in_the_admin_is_audited(admin_client, roster, outsider):
    usg_group = Group.objects.get(name=Role.USG.value)
    profile = outsider.profile
    # The admin shows times to the second; start from such a time so nothing else "changes".
    type(outsider).objects.filter(pk=outsider.pk).update(date_joined=outsider.date_joined.replace(microsecond=0))
    joined = timezone.localtime(outsider.date_joined.replace(microsecond=0))
    data = {
        "username": outsider.username,
        "first_name": outsider.first_name,
        "last_name": outsider.last_name,
        "email": outsider.email,
        "is_active": "on",
        "groups": [str(usg_group.pk)],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S.%f"),
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(outsider.pk),
        "profile-0-entity": "",
        "profile-0-title": "",
        "profile-0-clearance": "confidential",
    }
    response = admin_client.post(f"/admin/compact/user/{outsider.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = AuditEvent.objects.get(verb="admin.user.changed")
    assert (change.before, change.after) == ({"groups": []}, {"groups": ["USG"]})
    profile_change = AuditEvent.objects.get(verb="admin.profile.saved")
    assert (profile_change.before, profile_change.after["clearance"]) == ({"clearance": "unclassified"}, "confidential")
    assert Profile.objects.get(pk=profile.pk).clearance == "confidential"


def test_replacing_a_representative_in_the_admin_moves_the_right(admin_client, roster, chair):
    successor = ProfileFactory(entity=roster.ohchr).user
    assignment = roster.chair_role
    data = {
        "working_group": str(roster.group.pk),
        "entity": str(roster.ohchr.pk),
        "role": "chair",
        "person": str(successor.pk),
        "starts_on": "2018-02-23",
        "ends_on": "",
        "evidence": "secretariat",
        "note": "",
    }
    response = admin_client.post(f"/admin/workinggroups/roleassignment/{assignment.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(successor).has_perm(LEAD, roster.group)
    assert not fresh(chair).has_perm(LEAD, roster.group)
    assert AuditEvent.objects.filter(verb="admin.roleassignment.changed").exists()


def test_deleting_a_role_in_the_admin_takes_the_right_away(admin_client, roster, chair):
    response = admin_client.post(f"/admin/workinggroups/roleassignment/{roster.chair_role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=roster.chair_role.pk).exists()
    assert not fresh(chair).has_perm(LEAD, roster.group)
    assert AuditEvent.objects.filter(verb="admin.roleassignment.deleted").exists()


def test_the_audit_log_cannot_be_edited_in_the_admin(admin_client):
    event = AuditEvent.objects.first()
    assert admin_client.get(f"/admin/compact/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/compact/auditevent/add/").status_code == 403
    assert admin_client.get("/admin/compact/auditevent/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/compact/entity/",
        "/admin/compact/entityalias/",
        "/admin/compact/membership/",
        "/admin/compact/user/",
        "/admin/workinggroups/workinggroup/",
        "/admin/workinggroups/roleassignment/",
    ],
)
def test_every_admin_list_searches_and_filters(admin_client, url):
    assert admin_client.get(url, {"q": "UN"}).status_code == 200
