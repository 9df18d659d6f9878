"""The matrix filter form's selects, drawn once and kept in the cache (issue 19): the same
HTML as Django draws, the selected option marked per request, new HTML as soon as an entity,
working group or organization is added or renamed, and one cached copy per language."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.core.cache import cache
from django.test.html import parse_html
from django.test.signals import template_rendered
from django.utils import translation

from compact.core.widgets import CachedSelect, local_copies_clear, mark_selected
from compact.matrix.forms import CachedCountrySelect, CountrySelect, OverlapFilterForm, ProjectFilterForm
from compact.registry.services import entity_create, entity_rename, organization_create
from workinggroups.services import workinggroup_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_copy_of_the_selects():
    """Each test draws its selects: none kept in this process by an earlier test."""
    local_copies_clear()


PAGE = "/projects/"
SELECTS = ("country", "region", "pillar", "theme", "entity", "partner", "status", "sort")


def _uncached(form: ProjectFilterForm) -> ProjectFilterForm:
    """The same form with Django's own widgets, to compare with."""
    for name in SELECTS:
        field = form.fields[name]
        plain = CountrySelect() if isinstance(field.widget, CachedCountrySelect) else forms.Select()
        plain.choices = field.widget.choices
        plain.is_required = field.widget.is_required
        field.widget = plain
    return form


@pytest.fixture
def query(roster) -> dict[str, str]:
    return {
        "country": "JO",
        "region": "maghreb",
        "pillar": "II",
        "theme": str(roster.group.pk),
        "entity": "UNODC",
        "partner": "kind:partner",
        "status": "completed",
        "sort": "-start",
    }


@pytest.mark.parametrize("cold", [True, False], ids=["drawing", "from-the-cache"])
@pytest.mark.parametrize("selected", [True, False], ids=["filtered", "no-filter"])
def test_the_selects_are_the_html_django_draws(roster, query, cold, selected):
    data = query if selected else {}
    if not cold:
        str(ProjectFilterForm({}))  # warm the cache with nothing selected
    for name in SELECTS:
        cached = ProjectFilterForm(data)[name]
        plain = _uncached(ProjectFilterForm(data))[name]
        assert parse_html(str(cached)) == parse_html(str(plain)), name
        # The sort has no empty choice: with none asked for, neither select marks one.
        assert str(cached).count(" selected") == (0 if name == "sort" and not selected else 1), name


def test_only_the_option_asked_for_is_selected(roster, query):
    html = str(ProjectFilterForm(query)["entity"])
    assert '<option value="UNODC" selected>' in html
    assert html.count("selected") == 1
    # A value no option has selects nothing, as Django's own select would.
    assert "selected" not in str(ProjectFilterForm({"entity": "NOPE"})["entity"])


def test_the_page_draws_the_options_once(roster, client_for, committee_member):
    client = client_for(committee_member)
    drawn: list[str] = []

    def count(sender, template, **kwargs):
        if template.name == "django/forms/widgets/select_option.html":
            drawn.append(template.name)

    template_rendered.connect(count)
    try:
        client.get(PAGE)
        first = len(drawn)
        response = client.get(PAGE, {"country": "TN", "entity": "CTED"})
        second = len(drawn) - first
    finally:
        template_rendered.disconnect(count)
    assert first > 250  # every country at least
    assert second == 0
    page = response.content.decode()
    assert '<option value="CTED" selected>' in page
    tunisia = page[page.index('<option value="TN"') :]
    assert tunisia[: tunisia.index(">")].startswith('<option value="TN" selected ')


def _entity_options(client) -> str:
    page = client.get(PAGE).content.decode()
    start = page.index('name="entity"')
    return page[start : page.index("</select>", start)]


def test_an_entity_added_or_renamed_shows_at_once(roster, client_for, committee_member):
    client = client_for(committee_member)
    assert "UNOCC" not in _entity_options(client)
    entity = entity_create(acronym="UNOCC", name="UN Alliance of Civilizations", kind="secretariat", actor=None)
    assert '<option value="UNOCC">UNOCC</option>' in _entity_options(client)
    entity_rename(
        entity=entity, acronym="UNAOC", name="UN Alliance", effective_on=datetime.date(2020, 1, 1), actor=None
    )
    options = _entity_options(client)
    assert '<option value="UNAOC">UNAOC</option>' in options and "UNOCC" not in options


def test_a_working_group_renamed_and_an_organization_added_show_at_once(roster, client_for, committee_member):
    client = client_for(committee_member)
    assert "Rights and law" not in client.get(PAGE).content.decode()
    workinggroup_update(group=roster.group, actor=None, short_name="Rights and law")
    organization_create(acronym="OSCE", name="Organization for Security and Co-operation", kind="partner", actor=None)
    page = client.get(PAGE).content.decode()
    assert f'<option value="{roster.group.pk}">7. Rights and law</option>' in page
    assert '<option value="OSCE">OSCE</option>' in page


def test_each_language_has_its_own_copy(roster):
    cache.clear()
    with translation.override("en"):
        english = str(ProjectFilterForm({})["status"])
    with translation.override("fr"):
        french = str(ProjectFilterForm({})["status"])
        widget = ProjectFilterForm({}).fields["status"].widget
        key_fr = widget._options_key("status", None, ())
    with translation.override("en"):
        key_en = widget._options_key("status", None, ())
    assert key_fr != key_en
    assert english != french  # "Any status" / "Tout statut"…: the French labels, not the cached English


def test_mark_selected_matches_whole_values_only():
    html = (
        '<select><option value="A&amp;B">x</option><option value="A">y</option><option value="AB">z</option></select>'
    )
    assert mark_selected(html, "A") == html.replace('value="A">', 'value="A" selected>')
    assert mark_selected(html, "A&B") == html.replace('value="A&amp;B">', 'value="A&amp;B" selected>')
    assert mark_selected(html, '"><script>') == html


def test_the_overlap_form_country_is_cached_too(roster):
    assert isinstance(OverlapFilterForm().fields["country"].widget, CachedCountrySelect)
    assert isinstance(ProjectFilterForm().fields["entity"].widget, CachedSelect)


def test_the_process_keeps_its_own_copy_in_front_of_the_shared_cache(roster):
    drawn: list[str] = []

    def count(sender, template, **kwargs):
        if template.name == "django/forms/widgets/select_option.html":
            drawn.append(template.name)

    template_rendered.connect(count)
    try:
        first = str(ProjectFilterForm({})["entity"])
        cache.clear()  # Redis emptied or unreachable: the process's copy still serves
        assert str(ProjectFilterForm({})["entity"]) == first
        assert len(drawn) == first.count("<option ") == 6  # five entities and "Any entity", drawn once
    finally:
        template_rendered.disconnect(count)
