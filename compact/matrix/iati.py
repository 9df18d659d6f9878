"""The project matrix as an IATI 2.03 activity file (issue 21).

The Compact's entities publish their projects to IATI; this module writes a filter of the matrix
as an ``iati-activities`` file that the IATI validator, d-portal and the entities' own tools read.
docs/iati.md explains every choice made here to the people who publish it.

- **Nothing above unclassified is ever exported**, whoever asks: ``iati_plan`` drops every other
  project before anything is written, and says how many it dropped.
- A project IATI cannot describe is left out with its reason rather than exported half-true:
  IATI requires a start date, a description and at least one participating organisation.
- Codes come from fixed, documented mappings (below) to the official codelists copied unchanged
  in ``data/iati/codelists``; the file is validated against the official XML schema in
  ``data/iati/schemas`` before it is served, so an invalid file is never handed out.
- The reporting organisation's IATI identifier is the deployment's (``IATI_REPORTING_ORG_REF``):
  it prefixes every activity's identifier and cannot be made up here.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree

from compact.core.models import Classification
from compact.lib.text import xml_text
from compact.matrix.models import Project
from compact.matrix.selectors import projects_with_details
from compact.registry.models import Organization, Pillar

IATI_VERSION = "2.03"
IATI_DIR = Path(settings.BASE_DIR) / "data" / "iati"
IATI_CONTENT_TYPE = "application/xml; charset=utf-8"

# --- Mappings to the IATI codelists ---------------------------------------------------------------
# The sector vocabulary is the OECD DAC CRS 5-digit purpose codes (SectorVocabulary 1), the one
# IATI's tools and the DAC read. A working group's subject maps to the purpose code that covers
# it; a project serving several groups is split evenly between their codes.
DAC_5_DIGIT = "1"
SECTOR_OF_WORKING_GROUP = {
    "ctitf-2018-01": "15132",  # Border management and law enforcement: Police
    "ctitf-2018-02": "24010",  # Financing of terrorism: Financial policy and administrative management (AML/CFT)
    "ctitf-2018-03": "15210",  # Foreign terrorist fighters: Security system management and reform
    "ctitf-2018-04": "15210",  # National and regional strategies: Security system management and reform
    "ctitf-2018-05": "15210",  # Weapons of mass destruction: Security system management and reform
    "ctitf-2018-06": "15220",  # Preventing violent extremism: Civilian peace-building, conflict prevention (DAC 2016)
    "ctitf-2018-07": "15160",  # Human rights and the rule of law: Human rights
    "ctitf-2018-08": "15210",  # Critical infrastructure: Security system management and reform
    "ctitf-2018-09": "15160",  # Victims of terrorism: Human rights
    "ctitf-2018-10": "15130",  # Legal and criminal justice: Legal and judicial development
    "ctitf-2018-11": "15170",  # Gender: Women's rights organisations and movements, and government institutions
    "ctitf-2018-12": "15153",  # Communications: Media and free flow of information
}
# A project no mapped working group serves is classified by the Strategy's pillars it serves.
SECTOR_OF_PILLAR = {
    Pillar.CONDITIONS: "15220",
    Pillar.PREVENTING: "15210",
    Pillar.CAPACITY: "15210",
    Pillar.HUMAN_RIGHTS: "15160",
}
# And one with neither, by the purpose code of counter-terrorism capacity work in general.
DEFAULT_SECTOR = "15210"

# Regions in the OECD DAC vocabulary (RegionVocabulary 1), the only one with a codelist IATI
# publishes: UN M49 regions and the matrix's groupings each map to the DAC regions they lie in.
DAC_REGIONS = "1"
REGIONS_OF_PLACE = {
    "m49-africa": ("298",),
    "m49-northern-africa": ("189",),
    "m49-sub-saharan-africa": ("289",),
    "m49-eastern-africa": ("1027",),
    "m49-middle-africa": ("1028",),
    "m49-southern-africa": ("1029",),
    "m49-western-africa": ("1030",),
    "m49-americas": ("498",),
    "m49-latin-america-caribbean": ("498",),
    "m49-caribbean": ("1031",),
    "m49-central-america": ("1032",),
    "m49-south-america": ("489",),
    "m49-northern-america": ("498",),
    "m49-asia": ("798",),
    "m49-central-asia": ("619",),
    "m49-eastern-asia": ("789",),
    "m49-south-eastern-asia": ("789",),
    "m49-southern-asia": ("679",),
    "m49-western-asia": ("589",),
    "m49-europe": ("89",),
    "m49-eastern-europe": ("89",),
    "m49-northern-europe": ("89",),
    "m49-southern-europe": ("89",),
    "m49-western-europe": ("89",),
    "m49-oceania": ("889",),
    "m49-australia-new-zealand": ("889",),
    "m49-melanesia": ("1033",),
    "m49-micronesia": ("1034",),
    "m49-polynesia": ("1035",),
    "sahel": ("289",),
    "maghreb": ("189",),
    "lake-chad-basin": ("289",),
    "horn-of-africa": ("1027",),
    "mena": ("189", "589"),
    "middle-east": ("589",),
    "gulf": ("589",),
    "arab-states": ("189", "589"),
    "asean": ("789",),
    "asia-pacific": ("798", "889"),
    "western-balkans": ("89",),
    "balkans": ("89",),
    "south-eastern-europe": ("89",),
    "mediterranean": ("89", "189", "589"),
    "western-indian-ocean": ("1027",),
}

# ActivityStatus: the matrix says a project ended, not that its accounts are closed (4).
STATUS_CODE = {
    Project.Status.IN_DEVELOPMENT: "1",  # Pipeline/identification
    Project.Status.ONGOING: "2",  # Implementation
    Project.Status.COMPLETED: "3",  # Finalisation
}
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"  # ActivityDateType
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"  # OrganisationRole
MULTILATERAL = "40"  # OrganisationType: every entity of the Compact is a UN or intergovernmental body
GENERAL_DESCRIPTION = "1"  # DescriptionType
DONOR_SEPARATOR = re.compile(r"[;\n]+")


class IatiNotConfiguredError(Exception):
    """The deployment has not said under which IATI organisation identifier it publishes."""


class IatiInvalidError(Exception):
    """The file written does not validate against the IATI schema (a bug: never served)."""


# Why a project of the view is not in the file, in the order the page lists them.
LEFT_OUT_REASONS = {
    "classified": _("above unclassified (never exported)"),
    "no_start": _("no start year (IATI requires a start date)"),
    "no_description": _("no main activities (IATI requires a description)"),
    "no_party": _("no lead, partner or donor named (IATI requires a participating organisation)"),
}


@dataclass
class IatiPlan:
    """What a filter of the matrix gives: the projects that go in the file (a queryset, not
    loaded until the file is written) and how many of the others are left out for each reason."""

    publishable: QuerySet[Project]
    count: int
    left_out: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.count + sum(self.left_out.values())

    @property
    def left_out_lines(self) -> list[tuple[int, str]]:
        reasons = [reason for reason in LEFT_OUT_REASONS if self.left_out[reason]]
        return [(self.left_out[reason], str(LEFT_OUT_REASONS[reason])) for reason in reasons]


def iati_reporting_org() -> tuple[str, str]:
    """The publishing organisation's IATI identifier and name, as the deployment set them."""
    ref = settings.IATI_REPORTING_ORG_REF.strip()
    if not ref:
        raise IatiNotConfiguredError
    return ref, settings.IATI_REPORTING_ORG_NAME


BLANK = r"^\s*$"
NO_DONOR = r"^[\s;]*$"  # the donors field holds names separated by ";" or new lines


def _left_out_conditions() -> list[tuple[str, Q]]:
    """Each reason as a condition, in the order they are tested: a project is counted under the
    first that applies. Counted in the database, so the page loads no project."""
    partners = Project.partner_entities.through.objects.filter(project=OuterRef("pk"))
    funders = Project.funders.through.objects.filter(project=OuterRef("pk"))
    return [
        ("classified", ~Q(classification=Classification.UNCLASSIFIED)),
        ("no_start", Q(start_year__isnull=True)),
        ("no_description", Q(main_activities__regex=BLANK)),
        (
            "no_party",
            Q(lead_entity__isnull=True)
            & ~Exists(partners)
            & Q(partner_organizations=[])
            & ~Exists(funders)
            & Q(donors__regex=NO_DONOR),
        ),
    ]


def iati_plan(projects: QuerySet[Project]) -> IatiPlan:
    """Split a filter of the matrix (already limited to what the reader may read) into the
    projects the file holds and the number of others left out for each reason."""
    left_out: Counter[str] = Counter()
    remaining = projects
    for reason, condition in _left_out_conditions():
        counted = remaining.filter(condition).count()
        if counted:
            left_out[reason] = counted
        remaining = remaining.exclude(condition)
    return IatiPlan(publishable=remaining, count=remaining.count(), left_out=left_out)


# --- Writing ----------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return xml_text(value).strip()


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {name.replace("_", "-"): value for name, value in attributes.items()})
    if text is not None:
        etree.SubElement(element, "narrative").text = _text(text)
    return element


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _donors(project: Project) -> list[str]:
    """The linked donors' names (by name), then the names of the note of donors not matched,
    each name once."""
    linked = [donor.name for donor in sorted(project.funders.all(), key=lambda donor: donor.name)]
    noted = (_text(part) for part in DONOR_SEPARATOR.split(project.donors or ""))
    names: dict[str, str] = {}
    for name in (*map(_text, linked), *noted):
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _shares(codes: list[str]) -> list[tuple[str, Decimal]]:
    """Even percentages (two decimals) that add up to exactly 100, the remainder on the last."""
    if not codes:
        return []
    each = (Decimal(100) / len(codes)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [(code, each) for code in codes]
    shares[-1] = (codes[-1], Decimal(100) - each * (len(codes) - 1))
    return shares


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def project_sectors(project: Project) -> list[str]:
    """The DAC purpose codes of a project: its working groups', else its pillars', else the default."""
    by_group = _unique(
        SECTOR_OF_WORKING_GROUP[group.code]
        for group in sorted(project.themes.all(), key=lambda group: group.number or 0)
        if group.code in SECTOR_OF_WORKING_GROUP
    )
    if by_group:
        return by_group
    by_pillar = _unique(SECTOR_OF_PILLAR[pillar] for pillar in project.pillars if pillar in SECTOR_OF_PILLAR)
    return by_pillar or [DEFAULT_SECTOR]


def project_places(project: Project) -> tuple[list[str], list[str]]:
    """The project's recipient countries (IATI's Country codes) and DAC regions."""
    known = country_codes()
    countries = sorted({row.country for row in project.country_rows.all() if row.country in known})
    places = sorted(row.region for row in project.region_rows.all())
    regions = _unique(code for place in places for code in REGIONS_OF_PLACE.get(place, ()))
    return countries, regions


def _dates(activity: etree._Element, project: Project) -> None:
    started = project.status != Project.Status.IN_DEVELOPMENT
    start = datetime.date(project.start_year, project.start_month or 1, 1)
    _sub(activity, "activity-date", type=ACTUAL_START if started else PLANNED_START, iso_date=start.isoformat())
    if project.end_year:
        month = project.end_month or 12
        end = datetime.date(project.end_year, month, calendar.monthrange(project.end_year, month)[1])
        ended = project.status == Project.Status.COMPLETED
        _sub(activity, "activity-date", type=ACTUAL_END if ended else PLANNED_END, iso_date=end.isoformat())


def _organisations(activity: etree._Element, project: Project, organizations: dict[str, Organization]) -> None:
    if project.lead_entity_id:
        for role in (ACCOUNTABLE, IMPLEMENTING):
            _sub(activity, "participating-org", project.lead_entity.name, role=role, type=MULTILATERAL)
    for entity in sorted(project.partner_entities.all(), key=lambda entity: entity.acronym.lower()):
        _sub(activity, "participating-org", entity.name, role=IMPLEMENTING, type=MULTILATERAL)
    for name in project.partner_organizations:
        organization = organizations.get(str(name).strip().lower())
        un_body = organization is not None and organization.kind == Organization.Kind.UN_NOT_PARTY
        attributes = {"role": IMPLEMENTING, **({"type": MULTILATERAL} if un_body else {})}
        _sub(activity, "participating-org", organization.name if organization else str(name), **attributes)
    for donor in _donors(project):
        _sub(activity, "participating-org", donor, role=FUNDING)


def _activity(root: etree._Element, project: Project, *, ref: str, name: str, organizations: dict) -> None:
    activity = _sub(root, "iati-activity", last_updated_datetime=_iso(project.updated_at), default_currency="USD")
    activity.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    _sub(activity, "iati-identifier").text = f"{ref}-{project.pk}"
    _sub(activity, "reporting-org", name, ref=ref, type=MULTILATERAL)
    _sub(activity, "title", project.title)
    _sub(activity, "description", project.main_activities, type=GENERAL_DESCRIPTION)
    _organisations(activity, project, organizations)
    _sub(activity, "activity-status", code=STATUS_CODE[project.status])
    _dates(activity, project)
    # IATI wants the countries' and regions' percentages to add up to 100 together.
    countries, regions = project_places(project)
    shares = _shares([*countries, *regions])
    for code, share in shares[: len(countries)]:
        _sub(activity, "recipient-country", code=code, percentage=str(share))
    for code, share in shares[len(countries) :]:
        _sub(activity, "recipient-region", code=code, vocabulary=DAC_REGIONS, percentage=str(share))
    for code, share in _shares(project_sectors(project)):
        _sub(activity, "sector", vocabulary=DAC_5_DIGIT, code=code, percentage=str(share))


def iati_response(document: bytes, *, file_name: str) -> HttpResponse:
    """A written file as a download (the page's and the API's)."""
    response = HttpResponse(document, content_type=IATI_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def iati_document(plan: IatiPlan, *, now: datetime.datetime | None = None) -> bytes:
    """The ``iati-activities`` file of a plan's projects, validated against the IATI schema.
    A plan with no project has no valid file (IATI requires one activity): the caller says so."""
    ref, name = iati_reporting_org()
    root = etree.Element("iati-activities", version=IATI_VERSION, **{"generated-datetime": _iso(now or timezone.now())})
    organizations = {organization.acronym.lower(): organization for organization in Organization.objects.all()}
    for project in projects_with_details(plan.publishable).prefetch_related("funders"):
        _activity(root, project, ref=ref, name=name, organizations=organizations)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    iati_validate(document)
    return document


# --- The official definitions -------------------------------------------------------------------


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI_DIR / "schemas" / "iati-activities-schema.xsd")))


def iati_parse(document: bytes) -> etree._ElementTree:
    """Parse an IATI file without resolving entities or reaching the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.ElementTree(etree.fromstring(document, parser))


def iati_schema_errors(document: bytes) -> list[str]:
    """The schema's complaints about a file, empty when it validates."""
    schema = _schema()
    if schema.validate(iati_parse(document)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def iati_validate(document: bytes) -> None:
    errors = iati_schema_errors(document)
    if errors:
        raise IatiInvalidError("; ".join(errors[:10]))


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of one of the IATI codelists copied in ``data/iati/codelists``."""
    tree = etree.parse(str(IATI_DIR / "codelists" / f"{name}.xml"))
    return frozenset(code.text.strip() for code in tree.iterfind("codelist-items/codelist-item/code"))


def country_codes() -> frozenset[str]:
    return codelist("Country")
