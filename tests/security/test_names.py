"""Issue 14, hole 10: names that spoof.

The public form saved ``<script>``, ``"><img onerror>`` and a right-to-left override (U+202E)
in entity and head names. Now every name a person types — on the public form and its API, the
entity's profile, a focal point's invitation, the admin, the services — refuses control,
bidirectional and invisible format characters and markup with a message naming the character,
and saves nothing; real names in the six UN languages pass as typed.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from compact.core.models import OutboundEmail, User
from compact.lib.text import validate_free_text, validate_name
from compact.registry.models import Entity
from compact.registry.services import entity_create, person_create
from compact.signon.models import SignOnRequest
from tests.helpers import signon_form_data, user_change_form
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db

# (value, what the message must name)
HOSTILE = [
    pytest.param("<script>alert(1)</script>", "“<”", id="script-tag"),
    pytest.param('"><img src onerror=alert(1)>', "“>”", id="attribute-breakout"),
    pytest.param("UN\u202eTCONU", "right-to-left override character (U+202E)", id="rlo"),
    pytest.param("UN\u202dOCT", "left-to-right override character (U+202D)", id="lro"),
    pytest.param("UN\u2067OCT\u2069", "right-to-left isolate character (U+2067)", id="rli"),
    pytest.param("UN\u202bOCT", "right-to-left embedding character (U+202B)", id="rle"),
    pytest.param("UN\u200fOCT", "right-to-left mark (U+200F)", id="rlm"),
    pytest.param("UN\u200eOCT", "left-to-right mark (U+200E)", id="lrm"),
    pytest.param("UN\u061cOCT", "Arabic letter mark (U+061C)", id="alm"),
    pytest.param("UN\u200bODC", "zero-width space (U+200B)", id="zwsp"),
    pytest.param("UN\u200cODC", "zero-width non-joiner that joins nothing here (U+200C)", id="zwnj-in-latin"),
    pytest.param("\ufeffUNODC", "byte order mark", id="bom"),
    pytest.param("UN\x07ODC", "control character (U+0007)", id="bell"),
    pytest.param("UN\x1bODC", "control character (U+001B)", id="escape"),
    pytest.param("UNO\tDC", "tab (U+0009)", id="tab"),
    pytest.param("UN\u2028ODC", "line separator (U+2028)", id="line-separator"),
    pytest.param("&lt;b&gt;UNODC", "“&lt;”", id="named-reference"),
    pytest.param("UN&#x202E;ODC", "“&#x202E;”", id="numeric-reference"),
]
NAME_FIELDS = [
    "organization_name",
    "acronym",
    "head_name",
    "head_title",
    "focal_given_name",
    "focal_family_name",
    "focal_title",
]

# Real names, as people of each UN language write them, one set per field of the form.
REAL_NAMES = {
    "ar": {
        "organization_name": "مكتب الأمم المتحدة لمكافحة الإرهاب",
        "acronym": "مكتب-مكافحة",
        "head_name": "عبد الرحمـــن بن مُحَمَّد",  # with the tatweel (U+0640) and vowel marks
        "head_title": "وكيل الأمين العام",
        "focal_given_name": "فاطمة الزهراء",
        "focal_family_name": "العلي",
        "focal_title": "موظفة الشؤون السياسية",
    },
    "zh-hans": {
        "organization_name": "联合国反恐怖主义办公室",
        "acronym": "反恐办",
        "head_name": "阿卜杜拉·穆罕默德",
        "head_title": "副秘书长",
        "focal_given_name": "小明",
        "focal_family_name": "王",
        "focal_title": "政治事务干事（反恐）",
    },
    "ru": {
        "organization_name": "Управление Организации Объединённых Наций по борьбе с терроризмом",
        "acronym": "УБТ ООН",
        "head_name": "Владимир Иванович Воронков",
        "head_title": "Заместитель Генерального секретаря",
        "focal_given_name": "Анна-Мария",
        "focal_family_name": "Петрова-Водкина",
        "focal_title": "Сотрудник по политическим вопросам",
    },
    "fr": {
        "organization_name": "Organisation des Nations Unies pour l’éducation, la science et la culture",
        "acronym": "UNESCO",
        "head_name": "Hélène d’Aumale",
        "head_title": "Directrice générale",
        "focal_given_name": "Jean-François",
        "focal_family_name": "N'Diaye-Lefèvre",
        "focal_title": "Chargée de mission « prévention » & coordination",
    },
    "es": {
        "organization_name": "Oficina de las Naciones Unidas contra la Droga y el Delito",
        "acronym": "UNODC",
        "head_name": "José Ángel Muñoz Núñez",
        "head_title": "Directora Ejecutiva",
        "focal_given_name": "María José",
        "focal_family_name": "Peña y Ordóñez",
        "focal_title": "Oficial de Asuntos Políticos (Señora)",
    },
    "en": {
        "organization_name": "International Civil Aviation Organization",
        "acronym": "ICAO",
        "head_name": "Juan Carlos Salazar",
        "head_title": "Secretary General",
        "focal_given_name": "Mary-Jane",
        "focal_family_name": "O'Brien-Smith",
        "focal_title": "Aviation Security Officer, Threat Assessment & Analysis",
    },
}


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def assert_nothing_saved() -> None:
    assert not SignOnRequest.objects.exists()
    assert not OutboundEmail.objects.exists()


# --- The public form and its API ----------------------------------------------------------------


@pytest.mark.parametrize("field", NAME_FIELDS)
@pytest.mark.parametrize(("value", "named"), HOSTILE)
def test_a_hostile_name_on_the_public_form_is_a_field_error_and_nothing_is_saved(db, client, field, value, named):
    response = client.post(reverse("signon-form"), signon_form_data(**{field: value}))
    assert response.status_code == 400
    assert any(named in error for error in field_errors(response, field)), field_errors(response, field)
    assert_nothing_saved()
    kept = "head_title" if field != "head_title" else "head_name"
    assert response.context["form"][kept].value() == signon_form_data()[kept]


@pytest.mark.parametrize("field", NAME_FIELDS)
@pytest.mark.parametrize(("value", "named"), HOSTILE)
def test_a_hostile_name_on_the_api_is_a_field_error_and_nothing_is_saved(db, field, value, named):
    body = {**signon_form_data(**{field: value}), "declaration": True}
    response = APIClient().post("/api/v1/sign-on-requests/", body, format="json")
    assert response.status_code == 400
    assert any(named in error for error in response.json()[field]), response.json()
    assert_nothing_saved()


@pytest.mark.parametrize("language", REAL_NAMES)
def test_real_names_in_the_six_un_languages_are_saved_as_typed(db, client, language):
    names = REAL_NAMES[language]
    response = client.post(reverse("signon-form"), signon_form_data(**names), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.context["form"].errors
    stored = SignOnRequest.objects.get()
    assert {field: getattr(stored, field) for field in names} == names


@pytest.mark.parametrize("language", REAL_NAMES)
def test_real_names_in_the_six_un_languages_pass_the_api(db, language):
    body = {**signon_form_data(**REAL_NAMES[language]), "declaration": True}
    response = APIClient().post("/api/v1/sign-on-requests/", body, format="json")
    assert response.status_code == 201, response.json()
    assert SignOnRequest.objects.get().organization_name == REAL_NAMES[language]["organization_name"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("علی\u200cاکبر", id="persian-zwnj-between-joining-letters"),
        pytest.param("क्\u200cष", id="devanagari-zwnj-after-virama"),
        pytest.param("ශ්\u200dරී ලංකා", id="sinhala-zwj-after-virama"),
        pytest.param("ന്\u200d", id="malayalam-chillu"),
        pytest.param("«\u202fprévention\u202f»", id="french-narrow-no-break-spaces"),
        pytest.param("国际\u3000民航", id="ideographic-space"),
    ],
)
def test_joiners_pass_where_they_join(name):
    validate_name(name)


def test_the_mandate_may_contain_markup_and_line_breaks_but_not_a_bidi_override(db, client):
    mandate = "We <b>prevent</b> terrorism, in line with pillar II of the Strategy.\r\n\tAnd we report on it yearly."
    hostile = signon_form_data(mandate=mandate.replace("We", "We \u202e"))
    response = client.post(reverse("signon-form"), hostile)
    assert any("(U+202E)" in error for error in field_errors(response, "mandate"))
    assert_nothing_saved()
    assert client.post(reverse("signon-form"), signon_form_data(mandate=mandate)).status_code == 302
    assert SignOnRequest.objects.get().mandate == mandate


def test_free_text_refuses_control_characters_but_keeps_right_to_left_marks():
    validate_free_text("UNOCT\u200f مكتب الأمم المتحدة")
    with pytest.raises(ValidationError, match=r"U\+0000"):
        validate_free_text("a\x00b")


# --- Where else names enter: the entity's profile, invitations, admin, services ----------------


@pytest.mark.parametrize(("value", "named"), HOSTILE[:4])
def test_a_focal_point_cannot_give_their_entity_a_hostile_name(focal_point, roster, client_for, value, named):
    response = client_for(focal_point).post(
        reverse("entity-edit", args=["UNESCO"]), {"name": value, "website": "", "note": ""}
    )
    assert any(named in error for error in response.context["form"].errors["name"])
    assert Entity.objects.get(pk=roster.unesco.pk).name == roster.unesco.name


def test_a_focal_point_cannot_invite_a_person_with_a_hostile_name(focal_point, client_for):
    data = {"given_name": "Ana\u202e", "family_name": "Lima", "title": "", "email": "ana@example.org"}
    response = client_for(focal_point).post(reverse("entity-focal-point-invite", args=["UNESCO"]), data)
    assert response.status_code == 400
    assert "(U+202E)" in " ".join(response.context["invite_form"].errors["given_name"])
    assert not User.objects.filter(email="ana@example.org").exists()


def test_the_admin_refuses_a_hostile_person_name(client, roster, oct_officer, outsider):
    oct_officer.is_staff = oct_officer.is_superuser = True
    oct_officer.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(oct_officer)
    data = user_change_form(outsider, last_name="\u202eretsiniM")
    response = client.post(f"/admin/compact/user/{outsider.pk}/change/", data)
    assert response.status_code == 200
    assert "(U+202E)" in " ".join(response.context["adminform"].form.errors["last_name"])
    outsider.refresh_from_db()
    assert outsider.last_name == "Tester"


def test_the_services_refuse_hostile_names(roster):
    with pytest.raises(ValidationError) as refused:
        entity_create(acronym="EVIL", name="<img src=x onerror=alert(1)>", kind="non-un", actor=None)
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        person_create(username="mallory", email="m@example.org", first_name="\u202eM", last_name="X", actor=None)
    assert "first_name" in refused.value.message_dict
    assert not Entity.objects.filter(acronym="EVIL").exists() and not User.objects.filter(username="mallory").exists()


def test_a_working_group_name_is_checked_like_any_name(db):
    group = WorkingGroup(number=99, name="Group\u202e99", short_name="<b>99</b>")
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert {"name", "short_name"} <= set(refused.value.message_dict)
