"""People: creation, roles as groups, focal points and their object permission."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from compact.core.models import AuditEvent, User
from compact.core.roles import Role, user_roles, user_roles_stored
from compact.registry.models import Profile
from compact.registry.services import focal_point_appoint, focal_point_remove, person_create, person_roles_set
from tests.factories import UserFactory
from tests.helpers import fresh

pytestmark = pytest.mark.django_db
MANAGE = "compact.manage_entity_profile"


def test_usernames_are_unique_whatever_their_case(roster):
    person_create(username="Amina", email="a@example.org", first_name="A", last_name="H", actor=None)
    with pytest.raises(ValidationError, match="already taken"):
        person_create(username="amina", email="b@example.org", first_name="B", last_name="H", actor=None)
    with pytest.raises(IntegrityError):
        User.objects.create(username="AMINA")


def test_a_person_without_a_password_cannot_sign_in_yet(roster, client):
    person_create(username="invited", email="i@example.org", first_name="I", last_name="N", actor=None)
    assert not User.objects.get(username="invited").has_usable_password()
    for password in ("", "anything"):
        assert client.post("/accounts/login/", {"username": "invited", "password": password}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_roles_are_set_exactly_and_audited(roster, outsider, oct_officer):
    assert person_roles_set(user=outsider, roles={Role.USG, Role.COMMITTEE_MEMBER}, actor=oct_officer)
    assert user_roles(fresh(outsider)) == {Role.USG, Role.COMMITTEE_MEMBER}
    assert person_roles_set(user=outsider, roles={Role.USG}, actor=oct_officer)
    assert user_roles_stored(outsider) == {Role.USG}
    assert person_roles_set(user=outsider, roles={Role.USG}, actor=oct_officer) is False
    events = AuditEvent.objects.filter(verb="person.roles_changed", object_id=str(outsider.pk), actor=oct_officer)
    assert [(e.before, e.after) for e in events.order_by("id")] == [
        ({"roles": []}, {"roles": ["Committee member", "USG"]}),
        ({"roles": ["Committee member", "USG"]}, {"roles": ["USG"]}),
    ]


def test_appointing_a_focal_point_grants_the_entity_and_nothing_else(roster, outsider):
    assert focal_point_appoint(user=outsider, entity=roster.unesco, actor=None)
    outsider = fresh(outsider)
    assert outsider.has_perm(MANAGE, roster.unesco) and not outsider.has_perm(MANAGE, roster.unodc)
    assert outsider.profile.entity == roster.unesco and Role.FOCAL_POINT in user_roles(outsider)
    assert focal_point_appoint(user=outsider, entity=roster.unesco, actor=None) is False
    assert AuditEvent.objects.filter(verb="entity.focal_point_appointed").count() == 1


def test_a_focal_point_must_work_for_the_entity(roster, chair):
    with pytest.raises(ValidationError, match="must work for the entity"):
        focal_point_appoint(user=chair, entity=roster.unesco, actor=None)


def test_a_user_made_outside_the_services_gets_a_profile_on_appointment(roster):
    bare = UserFactory(username="bare")
    assert not Profile.objects.filter(user=bare).exists()
    focal_point_appoint(user=bare, entity=roster.unesco, actor=None)
    assert Profile.objects.get(user=bare).entity == roster.unesco


def test_removing_a_focal_point_takes_the_right_and_the_role(roster, focal_point):
    assert focal_point_remove(user=focal_point, entity=roster.unesco, actor=None)
    focal_point = fresh(focal_point)
    assert not focal_point.has_perm(MANAGE, roster.unesco)
    assert Role.FOCAL_POINT not in user_roles(focal_point)
    assert focal_point_remove(user=focal_point, entity=roster.unesco, actor=None) is False


def test_a_superuser_appointed_focal_point_really_gets_the_appointment(roster, outsider):
    outsider.is_superuser = True
    outsider.save(update_fields=["is_superuser"])
    assert focal_point_appoint(user=outsider, entity=roster.unesco, actor=None) is True
    assert Role.FOCAL_POINT in user_roles_stored(outsider)
