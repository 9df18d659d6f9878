"""The reference loader into a database without the roster (a bad file, unknown names, the
command's first run), or with the test roster before it. Apart from test_reference_loader.py,
whose tests share one first load of the roster."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compact.lib.csvfiles import ReferenceFileError
from compact.registry.models import Entity
from portal.reference import reference_load
from tests.portal.test_reference_loader import copy_data, rewrite, table_sizes

pytestmark = pytest.mark.django_db


def test_a_bad_file_loads_nothing(tmp_path):
    data = copy_data(tmp_path)
    rewrite(
        data / "memberships.csv",
        lambda row: row.update(effective_from="23/02/2018") if row["entity"] == "WHO" else None,
    )
    with pytest.raises(ReferenceFileError, match=r"memberships\.csv, line .*not a YYYY-MM-DD date"):
        reference_load(data_dir=data)
    assert table_sizes() == dict.fromkeys(table_sizes(), 0)


def test_unknown_names_are_reported_not_guessed(tmp_path):
    data = copy_data(tmp_path)
    with (data / "working_group_roles.csv").open("a") as handle:
        handle.write("7,European Union,member,2018-02-23,public,\n")
    report = reference_load(data_dir=data)
    assert any("unknown entity 'European Union'" in warning for warning in report.warnings)


def test_the_command_reports_what_it_did(tmp_path):
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "entities created: 37" in out.getvalue()
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "nothing to change" in out.getvalue()
    with pytest.raises(CommandError, match="file not found"):
        call_command("load_reference", data_dir=tmp_path)


# --- Names in the six languages -------------------------------------------------------------------


def test_a_name_the_secretariat_corrected_in_a_language_is_kept_on_a_rerun(oct_officer):
    from compact.registry.services import entity_update

    reference_load()
    unodc = Entity.objects.get(acronym="UNODC")
    corrected = {**unodc.name_translations, "fr": {"name": "ONUDC (corrigé)"}}
    entity_update(entity=unodc, actor=oct_officer, name_translations=corrected)
    reference_load()
    unodc.refresh_from_db()
    assert unodc.name_translations["fr"] == {"name": "ONUDC (corrigé)"}
