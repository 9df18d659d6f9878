"""The read API under /api/v1/: authentication, scoping, filters and the schema."""

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/entities/",
    "/api/v1/entities/UNOCT/",
    "/api/v1/working-groups/",
    "/api/v1/committee/",
    "/api/v1/entities/resolve/?name=UNOCT",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_callers_are_refused(roster, api_for, url):
    response = api_for(None).get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/entities/", lambda body: body["count"] == 5),
        ("/api/v1/entities/UNOCT/", lambda body: body["acronym"] == "UNOCT"),
        ("/api/v1/working-groups/", lambda body: body["count"] == 2),
        ("/api/v1/committee/", lambda body: len(body["seats"]) == 5),
        ("/api/v1/entities/resolve/?name=UNOCT", lambda body: body["acronym"] == "UNOCT"),
    ],
)
@pytest.mark.parametrize(
    "persona", ["oct_officer", "usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]
)
def test_every_signed_in_role_may_read_the_registry(request, api_for, url, expected, persona):
    response = api_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200
    assert expected(response.json())


def test_a_token_authenticates(roster, outsider, client):
    token = Token.objects.create(user=outsider)
    response = client.get("/api/v1/entities/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert client.get("/api/v1/entities/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_an_inactive_account_reads_nothing(roster, outsider, api_for):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    for url in ENDPOINTS:
        assert api_for(outsider).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_the_schema_and_its_docs_need_a_sign_in(roster, api_for, url):
    assert api_for(None).get(url).status_code == 401


def test_entities_carry_status_and_filter(roster, outsider, api_for):
    body = api_for(outsider).get("/api/v1/entities/", {"search": "ohchr"}).json()
    assert body["count"] == 1
    ohchr = body["results"][0]
    assert (ohchr["acronym"], ohchr["status"], ohchr["status_since"]) == ("OHCHR", "member", "2018-02-23")
    assert api_for(outsider).get("/api/v1/entities/", {"status": "observer"}).json()["count"] == 0
    assert api_for(outsider).get("/api/v1/entities/", {"status": "nonsense"}).status_code == 400


def test_one_entity_in_any_case_with_history(roster, outsider, api_for):
    body = api_for(outsider).get("/api/v1/entities/unodc/").json()
    assert body["acronym"] == "UNODC"
    assert body["memberships"] == [
        {"status": "member", "effective_from": "2018-02-23", "signed_on": None, "evidence": "seed", "source_note": ""}
    ]
    assert api_for(outsider).get("/api/v1/entities/NOPE/").status_code == 404


def test_resolve_finds_an_entity_by_alias(roster, outsider, api_for):
    from compact.registry.services import entity_alias_add

    entity_alias_add(entity=roster.unoct, name="UNCCT", actor=None)
    assert api_for(outsider).get("/api/v1/entities/resolve/", {"name": "uncct"}).json()["acronym"] == "UNOCT"
    assert api_for(outsider).get("/api/v1/entities/resolve/", {"name": "EU"}).status_code == 404


def test_working_groups_list_their_current_roles(roster, chair, api_for):
    body = api_for(chair).get("/api/v1/working-groups/", {"number": 7}).json()
    roles = {(r["role"], r["entity"], r["person"]) for r in body["results"][0]["current_roles"]}
    assert roles == {("chair", "OHCHR", "Chair Tester"), ("vice-chair", "UNODC", None)}


def test_the_committee_on_a_day(roster, usg, api_for):
    body = api_for(usg).get("/api/v1/committee/", {"on": "2020-01-01"}).json()
    assert body["on"] == "2020-01-01"
    assert body["seats"][0] == {
        "kind": "chair",
        "label": "Chair (Under-Secretary-General for Counter-Terrorism)",
        "entity": {"acronym": "UNOCT", "name": roster.unoct.name},
        "person": "Usg Tester",
        "working_group": None,
        "since": None,
        "evidence": "",
    }
    assert [s["entity"]["acronym"] for s in body["seats"][2:]] == ["UNODC", "OHCHR", "UNODC"]


@pytest.mark.parametrize("day", ["31/12/2020", "2017-12-31", "tomorrow"])
def test_a_bad_date_is_a_clear_400(roster, usg, api_for, day):
    response = api_for(usg).get("/api/v1/committee/", {"on": day})
    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_the_openapi_schema_describes_every_endpoint(roster, outsider, api_for):
    response = api_for(outsider).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in [
        "/api/v1/entities/",
        "/api/v1/entities/{acronym}/",
        "/api/v1/entities/resolve/",
        "/api/v1/working-groups/",
        "/api/v1/working-groups/{id}/",
        "/api/v1/committee/",
    ]:
        assert path in paths, path
    assert api_for(outsider).get("/api/v1/docs/").status_code == 200
