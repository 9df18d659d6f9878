"""Edits made in the Django admin are audited and keep rights in step, like the services."""

import pytest
from django.contrib.auth.models import Group

from compact.core.models import AuditEvent
from compact.core.roles import Role, user_roles_stored
from compact.registry.models import Profile
from tests.factories import ProfileFactory
from tests.helpers import fresh, user_change_form
from workinggroups.models import RoleAssignment

pytestmark = pytest.mark.django_db
LEAD = "workinggroups.lead_workinggroup"


@pytest.fixture
def admin_client(client, roster, oct_officer):
    oct_officer.is_staff = oct_officer.is_superuser = True
    oct_officer.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(oct_officer)
    return client


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
    outsider.refresh_from_db()
    data = user_change_form(outsider, groups=[str(usg_group.pk)], **{"profile-0-clearance": "confidential"})
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
    before = list(AuditEvent.objects.order_by("pk").values())
    assert admin_client.get(f"/admin/compact/auditevent/{event.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/compact/auditevent/add/").status_code == 403
    assert admin_client.get("/admin/compact/auditevent/").status_code == 200
    # Posted anyway, a deletion, a change or a new row is refused and the log stays as it was.
    assert admin_client.post(f"/admin/compact/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    tampered = {"verb": "tampered", "actor_label": "nobody", "object_repr": "x", "note": "x"}
    assert admin_client.post(f"/admin/compact/auditevent/{event.pk}/change/", tampered).status_code == 403
    assert admin_client.post("/admin/compact/auditevent/add/", tampered).status_code == 403
    assert list(AuditEvent.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("url", "query", "shows", "hides"),
    [
        ("/admin/compact/entity/", {"q": "drugs"}, "UNODC", "UNESCO"),
        ("/admin/compact/entity/", {"kind__exact": "secretariat", "q": "UNODC"}, "UNODC", "UNESCO"),
        ("/admin/compact/membership/", {"status__exact": "observer"}, "0 membership", "UNODC"),
        ("/admin/compact/user/", {"q": "chair"}, "chair", "outsider"),
        ("/admin/workinggroups/workinggroup/", {"q": "financing"}, "Financing", "Human rights"),
        ("/admin/workinggroups/roleassignment/", {"role__exact": "vice-chair"}, "UNODC", "OHCHR"),
    ],
)
def test_admin_lists_search_and_filter(admin_client, chair, outsider, url, query, shows, hides):
    page = admin_client.get(url, query).content.decode()
    assert shows in page
    assert f">{hides}<" not in page


def test_replacing_a_representative_inline_on_the_group_moves_the_right(admin_client, roster, chair, vice_chair):
    successor = ProfileFactory(entity=roster.ohchr).user
    group = roster.group
    rows = list(group.assignments.order_by("pk"))
    data = {
        "number": "7",
        "name": group.name,
        "short_name": group.short_name,
        "mandate": "",
        "code": "",
        "established_on": "",
        "retired_on": "",
        "merged_into": "",
        "evidence": group.evidence,
        "assignments-TOTAL_FORMS": str(len(rows)),
        "assignments-INITIAL_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        person = successor if row.pk == roster.chair_role.pk else row.person
        data.update(
            {
                f"assignments-{index}-id": str(row.pk),
                f"assignments-{index}-working_group": str(group.pk),
                f"assignments-{index}-role": row.role,
                f"assignments-{index}-entity": str(row.entity_id),
                f"assignments-{index}-person": str(person.pk) if person else "",
                f"assignments-{index}-starts_on": str(row.starts_on),
                f"assignments-{index}-ends_on": "",
                f"assignments-{index}-evidence": row.evidence,
                f"assignments-{index}-note": "",
            }
        )
    response = admin_client.post(f"/admin/workinggroups/workinggroup/{group.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert fresh(successor).has_perm(LEAD, group)
    assert not fresh(chair).has_perm(LEAD, group)
    assert Role.CHAIR not in user_roles_stored(chair)
    assert fresh(vice_chair).has_perm(LEAD, group)


def test_a_password_set_in_the_admin_is_the_administrators_own_and_audited(admin_client, oct_officer, outsider):
    body = {"password1": "a-Long-new-passw0rd", "password2": "a-Long-new-passw0rd", "usable_password": "true"}
    response = admin_client.post(f"/admin/compact/user/{oct_officer.pk}/password/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(verb="admin.user.password_changed", object_id=str(oct_officer.pk)).exists()
    # Someone else's: refused (tests/security/test_superuser.py).
    assert admin_client.post(f"/admin/compact/user/{outsider.pk}/password/", body).status_code == 403


def test_moving_a_focal_point_to_another_entity_ends_the_appointment(admin_client, roster, focal_point):
    data = user_change_form(focal_point, **{"profile-0-entity": str(roster.unodc.pk)})
    response = admin_client.post(f"/admin/compact/user/{focal_point.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    focal_point = fresh(focal_point)
    assert not focal_point.has_perm("compact.manage_entity_profile", roster.unesco)
    assert Role.FOCAL_POINT not in user_roles_stored(focal_point)
    assert AuditEvent.objects.filter(verb="entity.focal_point_removed", actor__isnull=False).exists()
