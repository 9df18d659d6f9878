"""OCT records contributions through the product and earmarks them to projects or working
groups: never more than the pledge, with a clear message, each change audited; every persona's
rights on the pages and the API; the matrix's donors as links (page, filter, exports, API)."""

from __future__ import annotations

import csv
import importlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from compact import migrations as compact_migrations
from compact.core.models import AuditEvent, Classification
from compact.core.roles import Role
from compact.funding.models import Contribution, Earmark
from compact.funding.services import contribution_update, earmark_add, earmark_remove
from compact.lib.donor_names import donor_names, donors_text, match_donors
from compact.matrix.models import Project
from compact.matrix.services import project_save
from compact.registry.models import Evidence
from tests.compact.funding.helpers import contribution, donor, project
from tests.conftest import _person

pytestmark = pytest.mark.django_db


def test_oct_records_a_contribution_with_its_pledge_receipt_and_source(roster, oct_officer):
    row = contribution(oct_officer, pledged="250000", received="100000.5")
    assert (row.amount_usd, row.received_usd, row.created_by) == (Decimal("250000"), Decimal("100000.50"), oct_officer)
    event = AuditEvent.objects.get(verb="funding.contribution_recorded")
    assert event.after["amount_usd"] == "250000.00" and event.after["source"] == "Pledge letter MK-SRC"


def test_a_second_contribution_of_the_year_is_refused_with_a_message(roster, oct_officer):
    contribution(oct_officer)
    with pytest.raises(ValidationError) as refused:
        contribution(oct_officer, pledged="1")
    assert "already recorded" in refused.value.message_dict["year"][0]
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize("persona", ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"])
def test_only_oct_records_contributions_and_earmarks(roster, oct_officer, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        contribution(user)
    row = contribution(oct_officer)
    with pytest.raises(PermissionDenied):
        earmark_add(contribution=row, amount_usd=Decimal(1), working_group=roster.group, actor=user)
    assert not Earmark.objects.exists()


def test_earmarks_add_up_to_the_pledge_and_no_more(roster, oct_officer):
    row = contribution(oct_officer, pledged="100000")
    target = project()
    earmark_add(contribution=row, amount_usd=Decimal("60000"), project=target, actor=oct_officer)
    earmark_add(contribution=row, amount_usd=Decimal("40000"), working_group=roster.group, actor=oct_officer)
    with pytest.raises(ValidationError) as refused:
        earmark_add(contribution=row, amount_usd=Decimal("0.01"), project=target, actor=oct_officer)
    assert refused.value.message_dict["amount_usd"] == ["Only 0.00 USD of this contribution is not yet earmarked."]
    assert sum(e.amount_usd for e in Earmark.objects.all()) == Decimal("100000")
    assert AuditEvent.objects.filter(verb="funding.earmark_added").count() == 2


def test_what_remains_is_written_as_the_reader_s_language_writes_numbers(roster, oct_officer):
    row = contribution(oct_officer, pledged="100000")
    earmark_add(contribution=row, amount_usd=Decimal("10"), working_group=roster.group, actor=oct_officer)
    with pytest.raises(ValidationError) as refused:
        earmark_add(contribution=row, amount_usd=Decimal("99999"), working_group=roster.group, actor=oct_officer)
    assert refused.value.message_dict["amount_usd"] == ["Only 99,990.00 USD of this contribution is not yet earmarked."]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        earmark_add(contribution=row, amount_usd=Decimal("99999"), working_group=roster.group, actor=oct_officer)
    message = refused.value.message_dict["amount_usd"][0]
    assert message.startswith("Seuls 99") and "990,00 USD" in message and "99,990" not in message


def test_two_contributions_of_a_donor_for_a_year_at_the_same_moment_get_the_message(
    roster, oct_officer, monkeypatch, api_for
):
    """The second arrives after the first's check (the check is made to miss the first): the
    database's one-per-donor-and-year rule is told as the same message, not a server error."""
    from compact.funding import services as funding_services

    contribution(oct_officer)
    monkeypatch.setattr(funding_services, "_recorded", lambda donor, year: False)
    with pytest.raises(ValidationError) as refused:
        contribution(oct_officer, pledged="1")
    assert "already recorded" in refused.value.message_dict["year"][0]
    body = {"donor": "NO", "year": 2026, "evidence": "public", "source": "x", "pledged_usd": "1"}
    response = api_for(oct_officer).post("/api/v1/trust-fund/contributions/", body, format="json")
    assert response.status_code == 400 and "already recorded" in str(response.json())
    assert Contribution.objects.count() == 1


def test_an_officer_not_cleared_for_every_earmark_is_not_told_what_remains(roster, oct_officer):
    officer = _person("officer2", roster.unoct, (Role.OCT,), Classification.UNCLASSIFIED)
    row = contribution(oct_officer, pledged="100")
    hidden = project(classification=Classification.CONFIDENTIAL)
    earmark_add(contribution=row, amount_usd=Decimal("70"), project=hidden, actor=oct_officer)
    with pytest.raises(ValidationError) as refused:
        earmark_add(contribution=row, amount_usd=Decimal("31"), working_group=roster.group, actor=officer)
    message = refused.value.message_dict["amount_usd"][0]
    assert message == "The earmarks would add up to more than the contribution." and "30" not in message
    earmark_add(contribution=row, amount_usd=Decimal("30"), working_group=roster.group, actor=officer)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_usd": Decimal("0")}, "amount_usd"),
        ({"amount_usd": Decimal("-5")}, "amount_usd"),
        ({"amount_usd": Decimal("1e15")}, "amount_usd"),
        ({"amount_usd": Decimal("NaN")}, "amount_usd"),
        ({"amount_usd": None}, "amount_usd"),
        ({"project": None, "working_group": None}, "project"),
    ],
)
def test_a_bad_earmark_names_the_field_and_saves_nothing(roster, oct_officer, kwargs, field):
    row = contribution(oct_officer)
    values = {"contribution": row, "amount_usd": Decimal(10), "working_group": roster.group, "actor": oct_officer}
    with pytest.raises(ValidationError) as refused:
        earmark_add(**{**values, **kwargs})
    assert field in refused.value.message_dict and not Earmark.objects.exists()


def test_an_earmark_goes_to_one_target_only_and_needs_a_pledge(roster, oct_officer):
    row = contribution(oct_officer)
    with pytest.raises(ValidationError):
        earmark_add(
            contribution=row, amount_usd=Decimal(1), project=project(), working_group=roster.group, actor=oct_officer
        )
    unpledged = contribution(oct_officer, code="JP", pledged=None)
    with pytest.raises(ValidationError) as refused:
        earmark_add(contribution=unpledged, amount_usd=Decimal(1), working_group=roster.group, actor=oct_officer)
    assert "Record the amount pledged" in refused.value.message_dict["amount_usd"][0]
    assert not Earmark.objects.exists()


def test_the_pledge_cannot_drop_below_what_is_earmarked(roster, oct_officer):
    row = contribution(oct_officer, pledged="100")
    earmark_add(contribution=row, amount_usd=Decimal("80"), working_group=roster.group, actor=oct_officer)
    values = {"received_usd": None, "evidence": Evidence.SECRETARIAT, "source": "letter", "actor": oct_officer}
    with pytest.raises(ValidationError) as refused:
        contribution_update(contribution=row, pledged_usd=Decimal("79.99"), **values)
    assert "pledged_usd" in refused.value.message_dict
    contribution_update(contribution=row, pledged_usd=Decimal("80"), **values)
    row.refresh_from_db()
    assert row.amount_usd == Decimal("80") and AuditEvent.objects.filter(verb="funding.contribution_updated").exists()


def test_an_earmark_takes_the_strictest_classification_and_removing_frees_its_amount(roster, oct_officer):
    row = contribution(oct_officer, pledged="10", classification=Classification.CONFIDENTIAL)
    earmark = earmark_add(
        contribution=row,
        amount_usd=Decimal("10"),
        project=project(classification=Classification.STRICTLY_CONFIDENTIAL),
        actor=oct_officer,
    )
    assert earmark.classification == Classification.STRICTLY_CONFIDENTIAL
    assert AuditEvent.objects.get(verb="funding.earmark_added").classification == Classification.STRICTLY_CONFIDENTIAL
    earmark_remove(earmark=earmark, actor=oct_officer)
    earmark_add(contribution=row, amount_usd=Decimal("10"), working_group=roster.group, actor=oct_officer)


def test_removing_an_earmark_is_audited_at_its_project_s_classification_as_it_stands_now(roster, oct_officer):
    target = project()
    row = contribution(oct_officer, pledged="10")
    earmark = earmark_add(contribution=row, amount_usd=Decimal("10"), project=target, actor=oct_officer)
    assert earmark.classification == Classification.UNCLASSIFIED
    Project.objects.filter(pk=target.pk).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    earmark_remove(earmark=earmark, actor=oct_officer)
    removed = AuditEvent.objects.get(verb="funding.earmark_removed")
    assert removed.classification == Classification.STRICTLY_CONFIDENTIAL


# --- Pages and API, persona by persona ----------------------------------------------------------

PERSONAS = ["usg", "committee_member", "chair", "vice_chair", "focal_point", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_forms_are_oct_s_every_other_persona_gets_a_404(roster, oct_officer, persona, request, client_for):
    user = request.getfixturevalue(persona)
    row = contribution(oct_officer)
    client = client_for(user)
    assert client.get(reverse("trust-fund-contribution-new")).status_code == 404
    assert client.get(reverse("trust-fund-contribution-edit", args=[row.pk])).status_code == 404
    posted = client.post(
        reverse("trust-fund-earmark-new", args=[row.pk]), {"amount_usd": "5", "working_group": roster.group.pk}
    )
    assert posted.status_code == 404 and not Earmark.objects.exists()
    assert client.get(reverse("trust-fund-contribution", args=[row.pk])).status_code == 200
    assert client.get(reverse("trust-fund-donor", args=["no"])).status_code == 200


def test_oct_records_and_earmarks_through_the_pages(roster, oct_officer, client_for):
    donor("JP", "Japan")
    client = client_for(oct_officer)
    response = client.post(
        reverse("trust-fund-contribution-new"),
        {
            "donor": donor("JP", "Japan").pk,
            "year": 2026,
            "pledged_usd": "500",
            "received_usd": "",
            "classification": "unclassified",
            "evidence": "public",
            "source": "https://example.org/pledge",
        },
    )
    row = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("trust-fund-contribution", args=[row.pk])
    too_much = client.post(
        reverse("trust-fund-earmark-new", args=[row.pk]), {"amount_usd": "501", "working_group": roster.group.pk}
    )
    assert too_much.status_code == 400 and "Only 500.00 USD" in too_much.content.decode()
    target = project()
    done = client.post(reverse("trust-fund-earmark-new", args=[row.pk]), {"amount_usd": "200", "project": target.pk})
    assert done.status_code == 302 and Earmark.objects.get().project == target
    page = client.get(reverse("project-detail", args=[target.pk])).content.decode()
    assert reverse("trust-fund-donor", args=["JP"]) in page and "200" in page
    donor_page = client.get(reverse("trust-fund-donor", args=["JP"])).content.decode()
    assert "Border project MK-P" in donor_page


def test_the_api_records_earmarks_and_refuses_other_personas(roster, oct_officer, focal_point, api_for):
    row = contribution(oct_officer, pledged="100")
    body = {"contribution": row.pk, "amount_usd": "40", "working_group": roster.group.pk}
    assert api_for(focal_point).post("/api/v1/trust-fund/earmarks/", body, format="json").status_code == 404
    created = api_for(oct_officer).post("/api/v1/trust-fund/earmarks/", body, format="json")
    assert created.status_code == 201 and created.json()["amount_usd"] == "40.00"
    over = api_for(oct_officer).post("/api/v1/trust-fund/earmarks/", {**body, "amount_usd": "61"}, format="json")
    assert over.status_code == 400 and "amount_usd" in over.json()
    listed = api_for(focal_point).get("/api/v1/trust-fund/earmarks/").json()["results"]
    assert [e["amount_usd"] for e in listed] == ["40.00"]
    assert api_for(focal_point).delete(f"/api/v1/trust-fund/earmarks/{listed[0]['id']}/").status_code == 404
    assert api_for(oct_officer).delete(f"/api/v1/trust-fund/earmarks/{listed[0]['id']}/").status_code == 204
    detail = api_for(focal_point).get("/api/v1/trust-fund/donors/NO/").json()
    assert detail["pledged_usd"] == "100.00" and detail["earmarks"] == []


def test_the_api_records_and_changes_a_contribution(roster, oct_officer, usg, api_for):
    donor("JP", "Japan")
    body = {"donor": "JP", "year": 2026, "pledged_usd": "10", "evidence": "public", "source": "letter"}
    assert api_for(usg).post("/api/v1/trust-fund/contributions/", body, format="json").status_code == 404
    created = api_for(oct_officer).post("/api/v1/trust-fund/contributions/", body, format="json")
    assert created.status_code == 201 and created.json()["pledged_usd"] == "10.00"
    url = f"/api/v1/trust-fund/contributions/{created.json()['id']}/"
    changed = api_for(oct_officer).patch(url, {"received_usd": "10"}, format="json")
    assert changed.status_code == 200 and changed.json()["received_usd"] == "10.00"
    assert changed.json()["pledged_usd"] == "10.00"


# --- The matrix's donors as links ------------------------------------------------------------------


def test_free_text_donors_are_matched_and_the_rest_kept_as_written():
    known = {"JP": "Japan", "EU": "European Union", "NO": "Norway", "IT": "Italy", "TT": "Trinidad"}
    assert donor_names("Japan; the EU, Norway and Qatar\nJapan") == ["Japan", "the EU", "Norway and Qatar"]
    # "no" is a word, not Norway: only the exact upper-case code on its own is a code.
    assert match_donors("Japan; European Union, Foundation X and no", known) == (["JP", "EU"], "Foundation X and no")
    assert match_donors("Japan and it", known) == ([], "Japan and it")
    assert match_donors("No; it\nnO", known) == ([], "No; it\nnO")
    assert match_donors("NO; IT", known) == (["NO", "IT"], "")
    assert match_donors("", known) == ([], "")


@pytest.mark.parametrize(
    ("text", "codes", "rest"),
    [
        ("Trinidad and Tobago; Japan", ["JP"], "Trinidad and Tobago"),
        ("UK of Great Britain and Northern Ireland", [], "UK of Great Britain and Northern Ireland"),
        ("Bill and Melinda Gates Foundation\njapan", ["JP"], "Bill and Melinda Gates Foundation"),
        ("Korea, Republic of; the European Union", ["EU"], "Korea, Republic of"),
        ("Acme, Japan, Foundation X", ["JP"], "Acme, Foundation X"),
        ("Japan;;  Foundation X.", ["JP"], "Foundation X."),
    ],
)
def test_what_matches_nothing_is_kept_exactly_as_written(text, codes, rest):
    known = {"JP": "Japan", "EU": "European Union", "TT": "Trinidad", "GB": "United Kingdom"}
    assert match_donors(text, known) == (codes, rest)


def test_names_put_back_in_the_note_never_make_it_longer_than_the_field():
    assert donors_text(["Japan", "Norway"], "Foundation X") == "Japan; Norway; Foundation X"
    assert donors_text(["Japan"], "") == "Japan"
    assert donors_text(["Japan"], "japan; Acme") == "japan; Acme"  # already named
    assert donors_text(["Japan", "Norway"], "x" * 490) == "Japan; " + "x" * 490
    assert donors_text(["Japan"], "x" * 500) == "x" * 500


def test_a_project_links_its_donors_and_the_list_filters_by_donor(roster, oct_officer, focal_point, client_for):
    japan, norway = donor("JP", "Japan"), donor()
    linked = project("Linked MK-L")
    project_save(project=linked, actor=oct_officer, fields={"donors": "Foundation X"}, funders=[japan])
    earmarked = project("Earmarked MK-E")
    hidden = project("Hidden MK-H", classification=Classification.CONFIDENTIAL)
    row = contribution(oct_officer, code="NO")
    earmark_add(contribution=row, amount_usd=Decimal(5), project=earmarked, actor=oct_officer)
    earmark_add(contribution=row, amount_usd=Decimal(5), project=hidden, actor=oct_officer)
    page = client_for(focal_point).get(reverse("project-list"), {"donor": "JP"}).content.decode()
    assert "Linked MK-L" in page and "Earmarked MK-E" not in page
    page = client_for(focal_point).get(reverse("project-list"), {"donor": "NO"}).content.decode()
    assert "Earmarked MK-E" in page and "Hidden MK-H" not in page and "Linked MK-L" not in page
    detail = client_for(focal_point).get(reverse("project-detail", args=[linked.pk])).content.decode()
    assert "Foundation X" in detail and "Donors not matched (note)" in detail
    assert reverse("trust-fund-donor", args=["JP"]) in detail
    assert norway.funded_projects.count() == 0


def test_the_exports_and_api_carry_the_links_and_only_readable_earmarks(
    roster, oct_officer, focal_point, client_for, api_for
):
    japan = donor("JP", "Japan")
    target = project("Export MK-X")
    project_save(project=target, actor=oct_officer, fields={}, funders=[japan])
    open_row = contribution(oct_officer, code="JP", pledged="100")
    secret_row = contribution(oct_officer, code="NO", pledged="100", classification=Classification.CONFIDENTIAL)
    earmark_add(contribution=open_row, amount_usd=Decimal("10"), project=target, actor=oct_officer)
    earmark_add(contribution=secret_row, amount_usd=Decimal("7"), project=target, actor=oct_officer)
    rows = {}
    for user in (oct_officer, focal_point):
        body = b"".join(client_for(user).get(reverse("project-export-csv")).streaming_content)
        (rows[user.username],) = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows["officer"]["earmarked_usd"] == "17.00" and rows["focal"]["earmarked_usd"] == "10.00"
    assert rows["focal"]["funders"] == "JP" and rows["focal"]["funder_names"] == "Japan"
    funding = api_for(focal_point).get(f"/api/v1/projects/{target.pk}/").json()["funding"]
    assert funding["earmarked"] == "10.00" and funding["donors"] == ["JP"] and len(funding["earmarks"]) == 1
    assert api_for(focal_point).get("/api/v1/projects/", {"donor": "NO"}).json()["results"] == []
    assert len(api_for(oct_officer).get("/api/v1/projects/", {"donor": "NO"}).json()["results"]) == 1


def test_the_data_migration_links_the_donors_it_can_and_keeps_the_rest_as_a_note(roster):
    """``link_donors`` of the migration that brought earmarks (whatever its number)."""
    (path,) = Path(compact_migrations.__file__).parent.glob("*_earmarks.py")
    migration = importlib.import_module(f"compact.migrations.{path.stem}")
    japan = donor("JP", "Japan")
    mixed, unknown = project("Mixed MK-M", donors="Japan; Foundation X"), project("Unknown MK-U", donors="Acme")
    migration.link_donors(django_apps, None)
    mixed.refresh_from_db()
    unknown.refresh_from_db()
    assert list(mixed.funders.all()) == [japan] and mixed.donors == "Foundation X"
    assert not unknown.funders.exists() and unknown.donors == "Acme"


def test_migrating_back_puts_the_linked_donors_names_back_in_the_note(roster):
    (path,) = Path(compact_migrations.__file__).parent.glob("*_earmarks.py")
    migration = importlib.import_module(f"compact.migrations.{path.stem}")
    japan, norway = donor("JP", "Japan"), donor()
    mixed, linked = project("Mixed MK-M", donors="Foundation X"), project("Linked MK-L")
    mixed.funders.set([japan, norway])
    linked.funders.set([norway])
    untouched = project("Noted MK-N", donors="Acme")
    migration.unlink_donors(django_apps, None)
    for row in (mixed, linked, untouched):
        row.refresh_from_db()
    assert (mixed.donors, linked.donors, untouched.donors) == ("Japan; Norway; Foundation X", "Norway", "Acme")
    migration.link_donors(django_apps, None)  # and forward again: the same links, the same note
    mixed.refresh_from_db()
    assert sorted(mixed.funders.values_list("code", flat=True)) == ["JP", "NO"] and mixed.donors == "Foundation X"


def test_an_earmarked_project_is_not_deleted_until_its_earmark_is_removed(roster, oct_officer, client_for, api_for):
    target = project()
    earmark = earmark_add(
        contribution=contribution(oct_officer), amount_usd=Decimal(1), project=target, actor=oct_officer
    )
    response = client_for(oct_officer).post(reverse("project-delete", args=[target.pk]), follow=True)
    assert "OCT removes the earmark first" in response.content.decode()
    deleted = api_for(oct_officer).delete(f"/api/v1/projects/{target.pk}/")
    assert deleted.status_code == 400 and "earmark" in str(deleted.json())
    earmark_remove(earmark=earmark, actor=oct_officer)
    assert client_for(oct_officer).post(reverse("project-delete", args=[target.pk])).status_code == 302
    assert not type(target).objects.filter(pk=target.pk).exists()


def test_deleting_a_project_does_not_tell_of_an_earmark_the_user_cannot_read(
    roster, oct_officer, focal_point, client_for, api_for
):
    target = project(lead_entity=roster.unesco)
    secret = contribution(oct_officer, pledged="10", classification=Classification.CONFIDENTIAL)
    earmark_add(contribution=secret, amount_usd=Decimal(1), project=target, actor=oct_officer)
    response = client_for(focal_point).post(reverse("project-delete", args=[target.pk]), follow=True)
    page = response.content.decode()
    assert "This project cannot be deleted now; ask OCT." in page and "earmarked to this project" not in page
    deleted = api_for(focal_point).delete(f"/api/v1/projects/{target.pk}/")
    assert deleted.status_code == 400 and "earmark" not in str(deleted.json()).lower()
    assert "ask OCT" in str(deleted.json())
    assert Project.objects.filter(pk=target.pk).exists()


def test_an_earmark_made_as_the_project_is_deleted_is_a_message_not_an_error(
    roster, oct_officer, client_for, api_for, monkeypatch
):
    """The earmark arrives after the check (the check is made to miss it): the database's
    protection of the earmark is told as the same message, not a server error."""
    from compact.matrix import services as matrix_services

    target = project()
    earmark_add(contribution=contribution(oct_officer), amount_usd=Decimal(1), project=target, actor=oct_officer)
    monkeypatch.setattr(matrix_services, "_has_earmarks", lambda project: False)
    response = client_for(oct_officer).post(reverse("project-delete", args=[target.pk]), follow=True)
    assert response.status_code == 200 and "OCT removes the earmark first" in response.content.decode()
    deleted = api_for(oct_officer).delete(f"/api/v1/projects/{target.pk}/")
    assert deleted.status_code == 400 and "earmark" in str(deleted.json())
    assert Project.objects.filter(pk=target.pk).exists()
    assert not AuditEvent.objects.filter(verb="project.deleted").exists()


def test_a_project_earmarked_beyond_its_budget_shows_the_surplus(roster, oct_officer, client_for, api_for):
    target = project(budget_usd=Decimal("100"))
    row = contribution(oct_officer, pledged="1000")
    earmark_add(contribution=row, amount_usd=Decimal("150"), project=target, actor=oct_officer)
    funding = api_for(oct_officer).get(f"/api/v1/projects/{target.pk}/").json()["funding"]
    assert funding["earmarked"] == "150.00" and funding["gap"] == "-50.00"
    page = client_for(oct_officer).get(reverse("project-detail", args=[target.pk])).content.decode()
    assert "over-earmarked by 50" in page and "still to find" not in page
    unbudgeted = project("No budget MK-NB")
    earmark_add(contribution=row, amount_usd=Decimal("5"), project=unbudgeted, actor=oct_officer)
    funding = api_for(oct_officer).get(f"/api/v1/projects/{unbudgeted.pk}/").json()["funding"]
    assert funding["gap"] is None


def test_an_edit_keeps_what_it_was_not_given_as_the_row_holds_it_now(roster, oct_officer, api_for):
    """Two edits of different fields at once do not undo each other: what an edit does not send
    is taken from the locked row, not from the copy the caller read before."""
    row = contribution(oct_officer, pledged="100")
    stale = Contribution.objects.get(pk=row.pk)
    contribution_update(contribution=row, received_usd=Decimal("40"), actor=oct_officer)
    contribution_update(contribution=stale, source="Letter of 3 March", actor=oct_officer)
    row.refresh_from_db()
    assert (row.received_usd, row.source, row.amount_usd) == (Decimal("40"), "Letter of 3 March", Decimal("100"))
    # The API's PATCH sends only what it was given (donor and year are not for changing).
    url = f"/api/v1/trust-fund/contributions/{row.pk}/"
    body = {"received_usd": "55", "year": 1999}
    assert api_for(oct_officer).patch(url, body, format="json").status_code == 200
    row.refresh_from_db()
    assert (row.received_usd, row.source, row.year) == (Decimal("55"), "Letter of 3 March", 2026)
