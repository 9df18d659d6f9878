"""The Trust Fund for Counter-Terrorism (objective IV(h)): the 2018 contributors of A/72/840,
Annex V loaded in their order with their source and evidence mark, shown and served within
each reader's clearance."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compact.core.models import Classification
from compact.funding.models import Contribution, Donor
from compact.funding.services import contribution_record, donor_ensure
from compact.lib.csvfiles import ReferenceFileError
from compact.registry.models import Evidence
from portal.reference import DEFAULT_DATA_DIR, reference_load

pytestmark = pytest.mark.django_db


def _donor(code="NO", name="Norway") -> Donor:
    return donor_ensure(
        code=code, name=name, kind=Donor.Kind.MEMBER_STATE, evidence=Evidence.SECRETARIAT, source="OCT", actor=None
    )[0]


def test_a_bad_row_loads_nothing(tmp_path, django_db_blocker):
    data = tmp_path / "reference"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    path = data / "trust_fund_contributors.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",US,", ",USA,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReferenceFileError, match="line 3"):
        reference_load(data_dir=data)
    assert not Contribution.objects.exists() and not Donor.objects.exists()


def test_the_page_needs_a_sign_in(client_for):
    response = client_for(None).get(reverse("trust-fund"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_classified_contribution_reaches_only_those_cleared_for_it(
    roster, oct_officer, focal_point, client_for, api_for
):
    contribution_record(
        donor=_donor(),
        year=2025,
        rank=1,
        amount_usd=Decimal("1500000"),
        classification=Classification.CONFIDENTIAL,
        evidence=Evidence.SECRETARIAT,
        source="MK-FUND-C pledge letter",
        actor=oct_officer,
    )
    assert "MK-FUND-C" in client_for(oct_officer).get(reverse("trust-fund")).content.decode()
    assert "MK-FUND-C" not in client_for(focal_point).get(reverse("trust-fund")).content.decode()
    assert api_for(focal_point).get("/api/v1/trust-fund/contributions/").json()["results"] == []
    (row,) = api_for(oct_officer).get("/api/v1/trust-fund/contributions/", {"year": 2025}).json()["results"]
    assert row["amount_usd"] == "1500000.00" and row["donor"]["code"] == "NO"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 1800}, "year"),
        ({"rank": 0}, "rank"),
        ({"amount_usd": Decimal("-1")}, "amount_usd"),
        ({"source": " "}, "source"),
    ],
)
def test_a_bad_contribution_names_the_field_and_saves_nothing(roster, kwargs, field):
    values = {"donor": _donor(), "year": 2025, "evidence": Evidence.SECRETARIAT, "source": "OCT", "actor": None}
    with pytest.raises(ValidationError) as refused:
        contribution_record(**{**values, **kwargs})
    assert field in refused.value.message_dict and not Contribution.objects.exists()


def test_two_contributions_of_a_year_cannot_share_a_rank_and_a_donor_has_one_a_year(roster):
    norway, japan = _donor(), _donor("JP", "Japan")
    values = {"year": 2025, "evidence": Evidence.SECRETARIAT, "source": "OCT", "actor": None}
    contribution_record(donor=norway, rank=1, **values)
    with pytest.raises(ValidationError):
        contribution_record(donor=japan, rank=1, **values)
    assert contribution_record(donor=norway, rank=2, **values)[1] is False  # already recorded: kept
    assert list(Contribution.objects.values_list("donor__code", "rank")) == [("NO", 1)]


@pytest.mark.parametrize("code", ["USA", "1A", "", "U"])
def test_a_donor_needs_an_iso_code(roster, code):
    with pytest.raises(ValidationError):
        _donor(code=code)
    assert not Donor.objects.exists()
