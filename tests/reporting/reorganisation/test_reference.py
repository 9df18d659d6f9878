"""The 2019 reorganisation known from public sources, loaded by the reference loader as a draft
for OCT to check: the date and the number of groups carry the public source; the new groups'
names and the mapping are marked unverified and badged; a second load changes nothing; a broken
file loads nothing."""

from __future__ import annotations

import datetime
import shutil

import pytest
from django.conf import settings
from django.urls import reverse

from compact.core.roles import Role
from compact.lib.csvfiles import ReferenceFileError
from compact.registry.models import Entity, Evidence
from compact.registry.services import person_create
from portal.reference import reference_load
from reporting.reorganisation.models import Reorganisation
from reporting.reorganisation.selectors import reorganisation_plan
from tests.helpers import html_tree
from workinggroups.models import WorkingGroup

pytestmark = pytest.mark.django_db
DATA = settings.BASE_DIR / "data" / "reference"


def test_the_2019_reorganisation_is_loaded_with_its_sources_and_marks(client_for):
    first = reference_load()
    officer = person_create(
        username="officer", email="officer@example.org", first_name="O", last_name="T",
        entity=Entity.objects.get(acronym="UNOCT"), roles=(Role.OCT,), password="pw", actor=None,
    )  # fmt: skip
    draft = Reorganisation.objects.get(effective_on=datetime.date(2019, 4, 16))
    assert draft.state == Reorganisation.State.DRAFT and draft.evidence == Evidence.PUBLIC
    assert "https://www.un.int/ghana/news/new-approach-coordinate-un-work-counter-terrorism" in draft.source
    targets = list(draft.targets.order_by("number"))
    assert [t.number for t in targets] == list(range(1, 9))
    assert {t.evidence for t in targets} == {Evidence.UNVERIFIED}
    lines = draft.mappings.all()
    assert lines.count() == 12 and {line.evidence for line in lines} == {Evidence.UNVERIFIED}
    assert all(line.note for line in lines)  # each says why it is not confirmed
    plan = reorganisation_plan(draft)
    assert plan.adoptable, plan.problems
    assert not plan.warnings  # every one of the twelve groups is mapped

    Reorganisation.objects.filter(pk=draft.pk).update(title="Eight groups (checked by OCT)")
    second = reference_load()
    assert Reorganisation.objects.count() == 1  # found again by its file's key, whatever OCT renamed
    assert second.counts["reorganisations (drafts) unchanged"] == 1
    assert (
        first.counts["reorganisations (drafts) created"] == 1
        and "reorganisations (drafts) created" not in second.counts
    )

    page = html_tree(client_for(officer).get(reverse("reorganisation-detail", args=[draft.pk])))
    badges = page.find(id="new-structure").find_all(class_="evidence-unverified")
    assert len(badges) == 8


def test_a_line_naming_a_group_that_is_not_here_skips_its_reorganisation_with_a_warning(tmp_path):
    for name in DATA.iterdir():
        shutil.copy(name, tmp_path / name.name)
    lines = tmp_path / "reorganisation_mappings.csv"
    lines.write_text(lines.read_text().replace("ctitf-2018-12", "ctitf-2018-99"))
    report = reference_load(data_dir=tmp_path)
    assert not Reorganisation.objects.exists()
    assert report.warnings == [
        "reorganisation '2019-eight-groups' not loaded: no working group has the code 'ctitf-2018-99'"
    ]
    assert WorkingGroup.objects.filter(code="ctitf-2018-12").exists()  # the rest of the roster is loaded


def test_a_line_without_its_source_stops_the_load(tmp_path):
    for name in DATA.iterdir():
        shutil.copy(name, tmp_path / name.name)
    lines = tmp_path / "reorganisation_mappings.csv"
    lines.write_text(lines.read_text().replace("Not confirmed: inferred from the groups' names", ""))
    with pytest.raises(ReferenceFileError, match="a line needs a source"):
        reference_load(data_dir=tmp_path)
    assert not Reorganisation.objects.exists() and not WorkingGroup.objects.exists()  # one transaction
