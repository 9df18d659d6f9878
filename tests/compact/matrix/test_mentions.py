"""Entities as the report names them, places with meaning, and the data-quality figures, on the
seed matrix (A/72/840) imported through the real import service."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from compact.core.models import AuditEvent
from compact.matrix.imports.mentions import MappingError, mention_map
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import NonEntityName, Project, ProjectMention
from compact.matrix.quality import mentions_linked, places_resolved, quality_figures, regional_on_country_pages
from compact.matrix.selectors import in_country
from compact.registry.models import Entity, EntityAlias, Membership, Organization
from compact.registry.selectors import entities_visible_to, organization_resolve
from tests.helpers import oct_person

SEED = Path(__file__).resolve().parents[3] / "data" / "seed" / "a72-840-ctitf-matrix.txt"


@pytest.fixture
def importer(registry):
    return oct_person("importer", "strictly-confidential")


def _import(actor, data: bytes | None = None):
    data = data if data is not None else SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    assert preview.ok, preview.errors
    return matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=actor)


@pytest.fixture
def seeded(importer):
    _import(importer)
    return importer


def _mentions(key: str) -> list[tuple[str, str]]:
    project = Project.objects.get(source_key=key)
    return [
        (m.name, m.entity.acronym if m.entity else m.organization.acronym if m.organization else "")
        for m in project.mentions.select_related("entity", "organization")
    ]


def test_a_mission_is_linked_to_its_parent_with_the_name_as_written(seeded):
    minusma = ProjectMention.objects.filter(name="MINUSMA").select_related("entity")
    assert minusma.count() == 9 and {m.entity.acronym for m in minusma} == {"DPO"}
    assert ("UNRCCA", "DPPA") in [
        (m.name, m.entity.acronym) for m in ProjectMention.objects.filter(name="UNRCCA").select_related("entity")
    ]
    bwc = ProjectMention.objects.filter(name="BWC-ISU").select_related("entity").get()
    assert bwc.entity.acronym == "UNODA"


def test_the_lead_is_the_first_compact_entity_named(seeded):
    # Pillar I row 14: "UNCCT, PMYP, ILO" — UNCCT (UNOCT) leads; PMYP and ILO are not parties.
    assert _mentions("a72-840:I:14") == [("UNCCT", "UNOCT"), ("PMYP", "PMYP"), ("ILO", "ILO")]
    project = Project.objects.get(source_key="a72-840:I:14")
    assert project.lead_entity.acronym == "UNOCT"
    assert project.partner_organizations == ["PMYP", "ILO"]


def test_pam_is_wfp_and_partners_are_no_compact_members(seeded):
    assert organization_resolve("PAM").acronym == "WFP"
    wfp = Organization.objects.get(acronym="WFP")
    assert wfp.kind == Organization.Kind.UN_NOT_PARTY
    assert Organization.objects.get(acronym="EU").kind == Organization.Kind.PARTNER
    # Never in the Compact's registry, its memberships or its roster pages.
    acronyms = set(Entity.objects.values_list("acronym", flat=True))
    assert not acronyms & {"WFP", "EU", "AU", "UNFPA", "ILO", "GCTF", "IATA"}
    assert not Membership.objects.filter(entity__acronym__in=["WFP", "EU"]).exists()
    oct_user = seeded
    assert not entities_visible_to(oct_user).filter(acronym__in=["WFP", "EU"]).exists()


def test_a_scope_column_organisation_becomes_a_partner_not_a_place(seeded):
    project = Project.objects.filter(scope_text__icontains="OSCE").get()
    assert "OSCE" in project.partner_organizations
    assert "OSCE" not in " ".join(project.region_rows.values_list("region", flat=True))


def test_a_grouping_expands_to_its_countries_on_their_pages(seeded):
    project = Project.objects.filter(region_rows__region="sahel").first()
    assert project is not None
    for country in ("BF", "ML", "MR", "NE", "TD"):
        assert Project.objects.filter(in_country(country, with_regional=True), pk=project.pk).exists()
    assert not Project.objects.filter(in_country("FR", with_regional=True), pk=project.pk).exists()


def test_the_seed_reaches_the_targets(seeded):
    linked, places, regional = mentions_linked(), places_resolved(), regional_on_country_pages()
    assert linked.total == 446 and linked.share >= 0.98, linked.gaps
    assert places.total == 317 and places.share >= 0.99, places.gaps
    assert regional.total > 0 and regional.share == 1.0, regional.gaps
    figures = {figure.key: figure for figure in quality_figures()}
    assert list(figures) == [
        "mentions",
        "places",
        "regional",
        "title-countries",
        "themes-suggested",
        "themes-confirmed",
        "dates",
        "stage",
    ]
    # Every seed project has a suggested theme; none is confirmed until OCT confirms.
    assert figures["themes-suggested"].done == figures["themes-suggested"].total == 317
    assert figures["themes-confirmed"].done == 0 and figures["themes-confirmed"].gaps[0][1] == 317


def test_mapping_an_unlinked_name_resolves_it_on_the_next_import(importer):
    # Without one organization in the registry, its name stays unlinked after the import.
    seeded = importer
    Organization.objects.filter(acronym="IAP").delete()
    _import(seeded)
    assert ProjectMention.objects.filter(name="IAP", entity=None, organization=None).count() == 1
    assert "IAP" in [name for name, _count, _ids in mentions_linked().gaps]
    unodc = Entity.objects.get(acronym="UNODC")
    mention_map(name="IAP", entity=unodc, actor=seeded)
    assert EntityAlias.objects.filter(name="IAP", entity=unodc).exists()
    assert AuditEvent.objects.filter(verb="matrix.mention_mapped").count() == 1
    assert "IAP" not in [name for name, _count, _ids in mentions_linked().gaps]
    _import(seeded)  # the next import resolves it, and keeps the mapping
    assert set(ProjectMention.objects.filter(name="IAP").values_list("entity__acronym", flat=True)) == {"UNODC"}


def test_not_an_entity_is_kept_across_imports(importer):
    seeded = importer
    Organization.objects.filter(acronym="PMYP").delete()
    _import(seeded)
    mention_map(name="PMYP", not_an_entity=True, actor=seeded)
    assert NonEntityName.objects.filter(name="PMYP").exists()
    _import(seeded)
    mention = ProjectMention.objects.get(name="PMYP")
    assert mention.not_an_entity and mention.entity is None
    with pytest.raises(MappingError):
        mention_map(name="PMYP", not_an_entity=True, actor=seeded)


def test_reimport_changes_nothing(seeded):
    before = list(ProjectMention.objects.order_by("pk").values_list("pk", "name", "entity", "organization"))
    audit = AuditEvent.objects.count()
    batch = _import(seeded)
    assert batch.unchanged == 317
    assert list(ProjectMention.objects.order_by("pk").values_list("pk", "name", "entity", "organization")) == before
    assert AuditEvent.objects.count() == audit + 1


def test_only_oct_maps_names(importer, django_user_model):
    someone = django_user_model.objects.create_user("someone", password="pw")
    with pytest.raises(PermissionDenied):
        mention_map(name="Something", not_an_entity=True, actor=someone)
    assert not NonEntityName.objects.exists()


def test_a_mapping_needs_exactly_one_target(importer):
    seeded = importer
    with pytest.raises(MappingError):
        mention_map(name="Something", actor=seeded)
    with pytest.raises(MappingError):
        mention_map(name="Something", entity=Entity.objects.first(), not_an_entity=True, actor=seeded)


def test_a_country_named_only_in_the_title_is_suggested_and_kept_once_accepted(seeded):
    from compact.matrix.quality import title_countries_placed
    from compact.matrix.services import project_save

    figure = title_countries_placed()
    codes, _count, ids = figure.gaps[0]
    project = Project.objects.get(pk=ids[0])
    assert not set(codes.split()) & set(project.country_rows.values_list("country", flat=True))  # not applied
    project_save(
        project=project,
        actor=None,
        fields={},
        countries=[*project.country_rows.values_list("country", flat=True), *codes.split()],
    )
    _import(seeded)
    assert set(codes.split()) <= set(project.country_rows.values_list("country", flat=True))
    assert project.pk not in [pk for _c, _n, pks in title_countries_placed().gaps for pk in pks]


def test_matrix_quality_prints_the_figures(seeded, capsys):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("matrix_quality", stdout=out)
    text = out.getvalue()
    print(text)  # noqa: T201 - shown with pytest -s, the figures on the seed
    assert "Entity mentions linked to the registry: " in text and "(target 98%)" in text
    assert "Place strings resolved or classed as not a place: 317/317" in text


def test_the_matrix_filters_by_organization_and_by_kind(seeded, client):
    from compact.matrix.selectors import projects_filtered

    un_bodies = set(projects_filtered(seeded, partner="kind:un-not-party").values_list("source_key", flat=True))
    assert "a72-840:I:14" in un_bodies  # ILO
    eu = set(projects_filtered(seeded, partner="EU").values_list("source_key", flat=True))
    assert "a72-840:I:18" in eu and "a72-840:I:14" not in eu
    client.force_login(seeded)
    page = client.get("/projects/?partner=kind:un-not-party").content.decode()
    assert "Capacity-Building of Technical and Vocational Training Institutes" in page
    assert "Technical Assistance on the Management of Violent Extremist Offenders" not in page
