"""The compiled reports' PDFs, read back: what they say, on which page, and how they are marked.

Each test renders the real templates (templates/reporting/pdf/) through the real WeasyPrint
pipeline (reporting.lib.pdf.pdf_render) and extracts the text of every page with pypdf,
which returns Arabic in its logical order.
"""

from __future__ import annotations

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from compact.core.models import Classification
from compact.registry.models import Entity, Membership
from reporting.compiled.contents import annual_contents, consolidated_contents
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.lib.pdf import StaticOnlyFetcher, pdf_render
from reporting.submissions.models import Submission
from reporting.submissions.services import ActivityLine, submission_act, submission_draft_create, submission_save_draft
from tests.factories import EntityFactory, MembershipFactory, WorkingGroupFactory
from tests.reporting import pdf_fixtures as fx
from workinggroups.models import WorkingGroup
from workinggroups.services import role_assign

ROUND_DAY = datetime.date(2026, 7, 20)
WG7_MARKER = "OHCHR hosted the group's retreat in Geneva on 12 March 2026."
WG7_REQUEST = "The group asks the Committee to endorse the joint guidance note at its next meeting."
WG2_MARKER = "The group completed its survey of financial intelligence units in October."
HOSTILE = "<b>x</b><img src='file:///etc/passwd'>"


# --- Set-up --------------------------------------------------------------------------------------


def _accept_wg7(period, *, chair, officer, classification=Classification.UNCLASSIFIED) -> Submission:
    """WG 7's input, written by its chair and accepted by OCT, through the workflow."""
    submission = period.submissions.get(working_group__number=7)
    fields = fx.report_fields(submission, seed=7)
    fields["summary"] = f"{WG7_MARKER}\n\n{fields['summary']}"
    fields["requests_to_committee"] = WG7_REQUEST
    lines = [
        ActivityLine(id=line.pk, status="ongoing", narrative=f"Drafting continued with {line.title.lower()}.")
        for line in submission.activity_progress.all()
    ]
    submission = submission_save_draft(
        submission=submission,
        actor=chair,
        base_revision=submission.revision,
        fields=fields,
        classification=classification,
        activities=lines,
    )
    submission_act(submission=submission, action="submit", actor=chair)
    return submission_act(submission=submission, action="accept", actor=officer)


def _group(number: int, name: str, short_name: str, chair_entity: Entity) -> WorkingGroup:
    group = WorkingGroupFactory(number=number, name=name, short_name=short_name)
    role_assign(group=group, entity=chair_entity, role="chair", starts_on=datetime.date(2020, 1, 1), actor=None)
    return group


@pytest.fixture
def round_report(roster, chair, vice_chair, oct_officer, report_period) -> ConsolidatedReport:
    """The 2026 mid-year round: WG 7 accepted (through the workflow), WG 9 accepted in
    Arabic, WG 4 submitted and not yet accepted, WG 2 never submitted."""
    _accept_wg7(report_period, chair=chair, officer=oct_officer)
    victims = _group(9, "Supporting and highlighting victims of terrorism", "Victims", roster.unesco)
    arabic, _ = submission_draft_create(period=report_period, group=victims)
    fx.accept_directly(arabic, fields=fx.arabic_fields(arabic))
    strategies = _group(4, "National and regional counter-terrorism strategies", "Strategies", roster.cted)
    pending, _ = submission_draft_create(period=report_period, group=strategies)
    fx.submit_directly(pending, fields=fx.report_fields(pending, seed=4))
    return ConsolidatedReport.objects.create(
        period=report_period,
        symbol="OCT/CC/2026/2",
        executive_summary=f"The round saw most groups report on time.\n\n{HOSTILE}",
        observations="The secretariat observes that joint programming is growing.",
    )


def _render_round(report: ConsolidatedReport) -> fx.Rendered:
    contents = consolidated_contents(report, today=ROUND_DAY)
    return fx.render_compiled(contents, template="reporting/pdf/consolidated.html")


# --- Reading the PDF -----------------------------------------------------------------------------


def _flat(text: str) -> str:
    """A page's text as one line: WeasyPrint's hyphenation (U+2010 at a line end) undone, a
    word wrapped at its own hyphen joined again, other line breaks made spaces."""
    return fx.flat(text.replace("\u2010\n", "").replace("-\n", "-"))


def _body(texts: list[str]) -> str:
    """The document after the cover and the contents, as one line."""
    return " ".join(_flat(text) for text in texts[2:])


def _between(body: str, start: str, end: str | None) -> str:
    assert start in body, f"{start!r} is not in the document"
    begin = body.index(start) + len(start)
    return body[begin : body.index(end, begin)] if end else body[begin:]


TOC_ENTRY = re.compile(r"(\d+\.\d*) (.+?) (?:\. ?){3,}(\d+)")


def _toc(texts: list[str]) -> list[tuple[str, int]]:
    """The contents page's entries: ("3.1 Working group 7: …", page number)."""
    flat = _flat(texts[1])
    assert flat.startswith("Contents"), flat[:80]
    return [(f"{number} {title}", int(page)) for number, title, page in TOC_ENTRY.findall(flat)]


def assert_toc_matches_headings(texts: list[str]) -> list[str]:
    """Every entry of the contents names the page where that heading really is."""
    entries = _toc(texts)
    for heading, page in entries:
        found = [n + 1 for n, text in enumerate(texts) if n > 1 and heading in _flat(text)]
        assert found, f"heading {heading!r} is not in the document"
        assert found[0] == page, f"{heading!r}: contents say page {page}, the heading is on page {found[0]}"
    return [heading for heading, _ in entries]


def assert_pages_numbered(texts: list[str]) -> None:
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in _flat(text), f"page {n}: {_flat(text)[-120:]}"


def assert_every_page_marked(texts: list[str], label: str) -> None:
    """The marking at the top and the bottom of every page, the cover included."""
    for n, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines()]
        assert lines.count(label) >= 2, f"page {n} is not marked {label} twice: {lines[-6:]}"


# --- The consolidated report ---------------------------------------------------------------------


def test_each_accepted_input_appears_under_its_groups_heading(round_report):
    rendered = _render_round(round_report)
    body = _body(rendered.texts)

    wg7 = _between(body, "3.1 Working group 7: Human rights and the rule of law", "3.2 Working group 9")
    assert "Chair: OHCHR (Chair Tester)" in wg7
    assert "Vice-chair: UNODC (Vicechair Tester)" in wg7
    assert WG7_MARKER in wg7
    assert "Drafting continued with draft the guidance note." in wg7  # its activity lines
    wg9 = _between(body, "3.2 Working group 9: Supporting and highlighting victims of terrorism", "4. ")
    assert fx.ARABIC_PHRASE in wg9
    assert WG7_MARKER not in wg9
    # The issue WG 7 raised for the Committee is also collected in chapter 6.
    assert WG7_REQUEST in _between(body, "6. Issues of concern raised for the Committee", None)
    # The cover names the document.
    cover = _flat(rendered.texts[0])
    assert "United Nations — Office of Counter-Terrorism" in cover
    assert "Consolidated progress report of the working groups of the Global Counter-Terrorism" in cover
    assert "Mid-year progress report, 1 January 2026 to 30 June 2026" in cover
    assert "OCT/CC/2026/2" in cover


def test_groups_that_did_not_report_are_listed_and_not_reproduced(round_report):
    body = _body(_render_round(round_report).texts)

    missing = _between(body, "4. Working groups that did not report", "5. Reporting compliance")
    not_reported, not_accepted = missing.split("has not accepted yet")
    assert "Working group 2: Countering the financing of terrorism" in not_reported
    assert "Working group 4: National and regional counter-terrorism strategies" in not_accepted
    groups = _between(body, "3. Progress of the working groups", "4. Working groups that did not report")
    assert "Working group 2" not in groups and "Working group 4" not in groups
    compliance = _between(body, "5. Reporting compliance", "6. Issues of concern")
    assert "Inputs expected: 4. Submitted: 3" in compliance
    for row in ("WG 2: Financing", "WG 4: Strategies", "WG 7: Human rights", "WG 9: Victims"):
        assert row in compliance


def test_contents_page_numbers_match_the_headings(round_report):
    texts = _render_round(round_report).texts

    headings = assert_toc_matches_headings(texts)
    assert headings == [
        "1. Executive summary",
        "2. Observations",
        "3. Progress of the working groups",
        "3.1 Working group 7: Human rights and the rule of law",
        "3.2 Working group 9: Supporting and highlighting victims of terrorism",
        "4. Working groups that did not report",
        "5. Reporting compliance",
        "6. Issues of concern raised for the Committee",
    ]


def test_every_page_is_numbered_and_marked(round_report):
    texts = _render_round(round_report).texts

    assert len(texts) > 4
    assert_pages_numbered(texts)
    assert_every_page_marked(texts, "UNCLASSIFIED")


def test_one_confidential_input_marks_every_page_confidential(round_report):
    Submission.objects.filter(period=round_report.period, working_group__number=9).update(
        classification=Classification.CONFIDENTIAL
    )
    texts = _render_round(round_report).texts

    assert_every_page_marked(texts, "CONFIDENTIAL")
    assert not any("UNCLASSIFIED" in text or "STRICTLY" in text for text in texts)
    assert "This input is classified CONFIDENTIAL." in _body(texts)


def test_arabic_is_shaped_right_to_left_and_reads_in_logical_order(round_report):
    rendered = _render_round(round_report)
    body = _body(rendered.texts)

    # Mixed English and Arabic in one report, both in reading order.
    assert WG7_MARKER in body
    assert fx.ARABIC_PHRASE in body
    assert fx.ARABIC_PHRASE[::-1] not in body
    assert any("Arabic" in name for name in fx.font_names(rendered.pdf.content))
    assert 'dir="rtl"' in rendered.html and 'dir="ltr"' in rendered.html
    # Right-to-left: a paragraph's short last line sits against the right margin.
    starts = _line_starts(rendered.pdf.content, "بشأن ترتيب الأولويات")
    assert starts and min(starts) > A4_WIDTH_PT / 2


A4_WIDTH_PT = 595.3


def _line_starts(content: bytes, fragment: str) -> list[float]:
    """Where (x, in points from the page's left edge) the text runs containing ``fragment`` begin."""
    starts: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if fragment in text:
            starts.append(tm[4] * cm[0] + cm[4])

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return starts


def test_user_text_is_escaped_and_fetches_nothing(round_report, monkeypatch):
    fetched = []
    real_fetch = StaticOnlyFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", recording_fetch)
    rendered = _render_round(round_report)

    assert HOSTILE in _body(rendered.texts)
    assert "&lt;img src=&#x27;file:///etc/passwd&#x27;&gt;" in rendered.html
    assert "<img src='file:" not in rendered.html
    assert fetched == ["static:reporting/pdf/mark.svg"]


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("عقد الفريق العامل", "rtl"),
        ("1. (أ) عقد الفريق", "rtl"),
        ("«عقد» the group", "rtl"),
        ("The group met (عقد)", "ltr"),
        ("2026 — Группа провела", "ltr"),
        ("12345", "ltr"),
        ("", "ltr"),
    ],
)
def test_user_text_takes_the_direction_of_its_first_letter(text, direction):
    html = render_to_string("reporting/pdf/partials/usertext.html", {"text": text})

    assert f'<div class="usertext" dir="{direction}">' in html


def test_each_paragraph_of_a_mixed_text_runs_in_its_own_direction():
    text = "The group met twice.\n\nعقد الفريق العامل اجتماعين.\nسطر ثان <b>"
    html = render_to_string("reporting/pdf/partials/usertext.html", {"text": text})

    assert '<p dir="ltr">The group met twice.</p>' in html
    assert '<p dir="rtl">عقد الفريق العامل اجتماعين.<br>سطر ثان &lt;b&gt;</p>' in html


# --- The annual report ---------------------------------------------------------------------------


@pytest.fixture
def annual_report(roster, chair, vice_chair, oct_officer, usg, report_period, briefing_period) -> AnnualReport:
    """2026: WG 7's mid-year report accepted, WG 2's third-quarter briefing accepted, one new
    signatory and one observer."""
    _accept_wg7(report_period, chair=chair, officer=oct_officer)
    briefing = briefing_period.submissions.get(working_group__number=2)
    fields = fx.report_fields(briefing, seed=2)
    fields["work_plan_progress"] = f"{WG2_MARKER}\n\n{fields['work_plan_progress']}"
    fx.accept_directly(briefing, fields=fields)
    icao = EntityFactory(acronym="ICAO", name="International Civil Aviation Organization")
    MembershipFactory(entity=icao, effective_from=datetime.date(2026, 3, 2))
    interpol = EntityFactory(acronym="INTERPOL", name="International Criminal Police Organization")
    MembershipFactory(entity=interpol, status=Membership.Status.OBSERVER, effective_from=datetime.date(2026, 5, 12))
    return AnnualReport.objects.create(
        year=2026, executive_summary="The Compact grew in 2026.", observations="Reporting improved."
    )


def test_annual_report_has_its_chapters_with_the_years_inputs(annual_report):
    contents = annual_contents(annual_report, today=datetime.date(2026, 12, 20))
    texts = fx.render_compiled(contents, template="reporting/pdf/annual.html").texts
    body = _body(texts)

    cover = _flat(texts[0])
    assert "Annual report of the Under-Secretary-General for Counter-Terrorism to the Secretary-General" in cover
    assert "1 January to 31 December 2026" in cover
    headings = assert_toc_matches_headings(texts)
    assert headings[:4] == [
        "1. Executive summary",
        "2. Observations",
        "3. Membership of the Compact",
        "3.1 New signatories",
    ]
    assert "5.1 Working group 2: Countering the financing of terrorism" in headings
    assert "7. The project matrix in figures" in headings
    assert_pages_numbered(texts)
    assert_every_page_marked(texts, "UNCLASSIFIED")

    assert "ICAO International Civil Aviation Organization 2 March 2026" in _between(body, "3.1 New signatories", "3.2")
    assert "INTERPOL" in _between(body, "3.2 Observers", "3.3")
    committee = _between(body, "4. The Coordination Committee", "5. Progress of the working groups")
    assert "OHCHR Chair Tester WG 7: Human rights" in committee
    wg2 = _between(body, "5.1 Working group 2", "5.2 Working group 7")
    assert "Quarterly briefing, third quarter, 1 July – 30 September 2026" in wg2
    assert WG2_MARKER in wg2
    wg7 = _between(body, "5.2 Working group 7", "6. Reporting compliance")
    assert "Mid-year progress report, 1 January – 30 June 2026" in wg7
    assert WG7_MARKER in wg7
    compliance = _between(body, "6. Reporting compliance", "7. The project matrix")
    assert "Mid-year report" in compliance and "Q3 briefing" in compliance


def test_long_tables_repeat_their_header_and_never_split_a_row():
    # Rows of uneven height (three to nine lines), so that some fall across a page break.
    rows = [
        SimpleNamespace(
            # A group's name as the templates read it: in the edition's language (local_name).
            group=SimpleNamespace(
                number=n, local_name=f"Assistance in {', '.join(['border security'] * (3 + n % 7))}, row {n} ends"
            ),
            status="Late — not submitted",
            due_on=datetime.date(2026, 7, 15),
            submitted_at=None,
        )
        for n in range(1, 61)
    ]
    table = render_to_string("reporting/pdf/partials/group_rows.html", {"rows": rows, "submitted": True})
    css = render_to_string("reporting/pdf/print.css", {"LANGUAGE_BIDI": False})
    texts = fx.page_texts(pdf_render(f"<!DOCTYPE html><html><body>{table}</body></html>", stylesheets=[css]).content)

    assert len(texts) > 2
    for text in texts:
        assert _flat(text).startswith("Working group Status Due Submitted")
    for n in range(1, 61):
        starts = {i for i, text in enumerate(texts) if f"Working group {n}:" in _flat(text)}
        ends = {i for i, text in enumerate(texts) if f"row {n} ends" in _flat(text)}
        assert len(starts) == 1 and starts == ends, f"row {n} is split over pages {starts | ends}"
