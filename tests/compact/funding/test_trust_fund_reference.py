"""The 2018 contributors of A/72/840, Annex V, loaded by the reference loader: their order,
source and evidence, on the page and in the API. Every test here reads the module's load."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compact.core.models import AuditEvent
from compact.funding.models import Contribution, Donor
from compact.registry.models import Evidence
from portal.reference import reference_load
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

ANNEX_V = [
    "Saudi Arabia", "United States", "Japan", "Norway", "Spain", "Russian Federation", "European Union",
    "United Kingdom", "China", "Canada", "Sweden", "Denmark", "Netherlands", "Germany", "Republic of Korea",
    "United Arab Emirates", "Switzerland", "Kazakhstan", "Qatar", "Belgium", "Italy", "Colombia", "Turkey",
    "Liechtenstein", "Morocco", "Australia", "Nigeria", "Kenya", "Algeria",
]  # fmt: skip
SOURCE = "A/72/840, Annex V"


@pytest.fixture(scope="module")
def _annex_v(django_db_setup, django_db_blocker):
    """The reference data loaded once for the module (every test here reads it)."""
    from tests.helpers import shared_until_rolled_back

    with shared_until_rolled_back(django_db_blocker, reference_load) as report:
        yield report


@pytest.fixture
def reader(_annex_v):
    """Someone signed in with no role: the contributors are for everyone signed in."""
    from compact.registry.services import person_create

    return person_create(
        username="reader", email="reader@example.org", first_name="R", last_name="Eader", password="pw", actor=None
    )


def test_the_annex_v_contributors_load_in_their_order_with_source_and_evidence(_annex_v):
    rows = list(Contribution.objects.filter(year=2018).order_by("rank").select_related("donor"))
    assert [row.donor.name for row in rows] == ANNEX_V
    assert [row.rank for row in rows] == list(range(1, 30))
    assert all(row.amount_usd is None for row in rows)  # the report gives no amounts
    assert {row.evidence for row in rows} == {row.donor.evidence for row in rows} == {Evidence.SEED}
    assert all(row.source.startswith(SOURCE) and "undocs.org/A/72/840" in row.source for row in rows)
    eu = Donor.objects.get(code="EU")
    assert eu.kind == Donor.Kind.OBSERVER and Donor.objects.exclude(code="EU").filter(kind="observer").count() == 0
    assert _annex_v.counts["trust fund contributions created"] == 29


def test_loading_again_changes_nothing(_annex_v):
    before = AuditEvent.objects.count()
    report = reference_load()
    assert report.counts["trust fund contributions unchanged"] == 29 and report.changed == 0
    assert AuditEvent.objects.count() == before and Contribution.objects.count() == 29


def test_the_page_lists_them_in_order_and_says_the_rank_is_the_only_figure(_annex_v, reader, client_for):
    page = html_tree(client_for(reader).get(reverse("trust-fund")).content.decode())
    table = page.find("table", class_="trust-fund")
    names = [" ".join(th.text.split()).rsplit(" ", 1)[0] for th in table.find_all("th", scope="row")]
    assert names == ANNEX_V
    section = " ".join(page.find("section", class_="panel").text.split())
    assert "the rank is the only figure" in section and "Stated in the 2018 report (A/72/840)" in section


def test_the_api_filters_by_year_and_refuses_a_bad_one(_annex_v, reader, api_for):
    api = api_for(reader)
    body = api.get("/api/v1/trust-fund/contributions/", {"year": 2018, "page_size": 50}).json()
    assert [row["donor"]["name"] for row in body["results"]] == ANNEX_V
    assert api.get("/api/v1/trust-fund/contributions/", {"year": "x"}).status_code == 400
    assert api_for(None).get("/api/v1/trust-fund/contributions/").status_code == 401
