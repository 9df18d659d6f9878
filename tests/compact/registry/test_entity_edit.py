"""Focal points edit their own entity's profile; OCT edits any; nobody else sees the page."""

import pytest

from compact.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_focal_point_edits_their_entitys_profile(roster, focal_point, client_for):
    client = client_for(focal_point)
    form = client.get("/entities/UNESCO/edit/").content.decode()
    assert 'name="website"' in form and 'name="acronym"' not in form and 'name="evidence"' not in form
    response = client.post("/entities/UNESCO/edit/", {"name": roster.unesco.name, "website": "https://www.unesco.org/"})
    assert response.status_code == 302 and response["Location"] == "/entities/UNESCO/"
    roster.unesco.refresh_from_db()
    assert roster.unesco.website == "https://www.unesco.org/"
    event = AuditEvent.objects.get(verb="entity.updated")
    assert (event.actor, event.before, event.after) == (
        focal_point,
        {"website": ""},
        {"website": "https://www.unesco.org/"},
    )


def test_a_focal_point_cannot_change_what_only_oct_decides(roster, focal_point, client_for):
    client_for(focal_point).post(
        "/entities/UNESCO/edit/", {"name": roster.unesco.name, "acronym": "HACKED", "evidence": "public"}
    )
    roster.unesco.refresh_from_db()
    assert (roster.unesco.acronym, roster.unesco.evidence) == ("UNESCO", "seed")


@pytest.mark.parametrize("persona", ["focal_point", "chair", "committee_member", "usg", "outsider"])
def test_everyone_else_gets_a_404(request, roster, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/entities/UNODC/edit/").status_code == 404
    assert client.post("/entities/UNODC/edit/", {"name": "Renamed"}).status_code == 404
    roster.unodc.refresh_from_db()
    assert roster.unodc.name != "Renamed"


def test_anonymous_visitors_are_sent_to_sign_in(roster, client):
    assert client.get("/entities/UNESCO/edit/").status_code == 302


def test_oct_edits_everything_and_bad_input_keeps_what_was_typed(roster, oct_officer, client_for):
    client = client_for(oct_officer)
    data = {
        "acronym": "UNODC",
        "name": roster.unodc.name,
        "kind": "secretariat",
        "evidence": "public",
        "website": "not a url",
        "note": "typed text",
    }
    page = client.post("/entities/UNODC/edit/", data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Enter a valid URL." in body and "typed text" in body
    assert not AuditEvent.objects.filter(verb="entity.updated").exists()
    response = client.post("/entities/UNODC/edit/", {**data, "website": "", "is_active": ""})
    assert response.status_code == 302
    roster.unodc.refresh_from_db()
    assert (roster.unodc.evidence, roster.unodc.is_active, roster.unodc.note) == ("public", False, "typed text")


def test_a_name_taken_by_another_entity_is_refused_with_a_message(roster, oct_officer, client_for):
    data = {
        "acronym": "UNODC",
        "name": roster.unesco.name,
        "kind": "secretariat",
        "evidence": "seed",
        "is_active": "on",
    }
    page = client_for(oct_officer).post("/entities/UNODC/edit/", data)
    assert page.status_code == 200
    assert "is already used by UNESCO" in page.content.decode()
    roster.unodc.refresh_from_db()
    assert roster.unodc.name == "United Nations Office on Drugs and Crime"


def test_renaming_on_the_edit_page_keeps_the_old_names(roster, oct_officer, client_for):
    data = {
        "acronym": "UNOCT-NEW",
        "name": "Renamed Office",
        "kind": "secretariat",
        "evidence": "seed",
        "is_active": "on",
    }
    response = client_for(oct_officer).post("/entities/UNOCT/edit/", data)
    assert response.status_code == 302 and response["Location"] == "/entities/UNOCT-NEW/"
    assert client_for(oct_officer).get("/entities/UNOCT/")["Location"] == "/entities/UNOCT-NEW/"
    names = set(roster.unoct.aliases.values_list("name", "kind"))
    assert names == {("UNOCT", "former-name"), ("United Nations Office of Counter-Terrorism", "former-name")}


def test_a_focal_points_name_correction_is_not_a_rename(roster, focal_point, client_for):
    client_for(focal_point).post("/entities/UNESCO/edit/", {"name": "UNESCO (corrected name)", "website": ""})
    roster.unesco.refresh_from_db()
    assert roster.unesco.name == "UNESCO (corrected name)"
    assert not roster.unesco.aliases.exists()
