"""Benchmark of the compiled reports' PDFs: a consolidated report for 12 working groups with
realistic text (about two pages each) and the annual report of the same year.

    .venv/bin/python bench/reports.py [--groups 12] [--pages-per-group 2] [--database-url URL]

It creates a throwaway test database (in-memory SQLite by default), N working groups with a
chair each, a mid-year report round in which every group's input is accepted (a summary, a
line per work-plan activity, joint work, challenges, the cross-cutting considerations and
requests to the Committee, about ``--pages-per-group`` pages of text; one group writes in
Arabic), and the four quarterly briefings of the same year. It then generates, through the
same services the worker runs (``edition_request`` + ``edition_render``), the round's
consolidated report and the year's annual report, and prints for each: pages, seconds, and
the process's peak resident memory before and after (it includes Pango's and HarfBuzz's
allocations, which a Python allocation tracer would not see, and is what a worker needs).
It checks that every group's heading is in each PDF and exits non-zero otherwise.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

YEAR = 2026
PARAGRAPH = (
    "The working group convened its members in a hybrid meeting to review progress against the "
    "biennial work plan, agreed on the division of labour for the next quarter, and exchanged "
    "information on the technical assistance delivered to Member States, including the lessons "
    "learned from joint programming and the coordination with the resident coordinators. "
)
ARABIC = (
    "عقد الفريق العامل اجتماعين لاستعراض التقدم المحرز في تنفيذ خطة العمل، واتفق الأعضاء على "
    "تقسيم العمل للربع القادم وتبادلوا المعلومات بشأن المساعدة التقنية المقدمة إلى الدول الأعضاء. "
)
# About 550 words fill an A4 page of the report at its body size.
WORDS_PER_PAGE = 550


def text(words: int, arabic: bool) -> str:
    unit = ARABIC if arabic else PARAGRAPH
    count = max(1, words // len(unit.split()))
    return "\n\n".join(unit.strip() for _ in range(count))


def world(groups: int, pages_per_group: float) -> tuple:
    """The roster, a mid-year round with every input accepted, and the year's briefings."""
    from compact.core.roles import Role, roles_ensure_groups
    from compact.registry.models import Entity, Evidence, Membership
    from compact.registry.services import person_create
    from reporting.submissions.models import ReportingPeriod, Submission
    from reporting.submissions.periods.services import period_create, period_open
    from reporting.submissions.services import submission_act, submission_save_draft
    from workinggroups.models import WorkingGroup, WorkPlan, WorkPlanActivity, WorkPlanOutput
    from workinggroups.services import role_assign

    roles_ensure_groups()
    signed = datetime.date(2018, 2, 23)
    officer = person_create(
        username="bench-officer",
        email="oct@bench.example.org",
        first_name="Bench",
        last_name="Officer",
        roles=(Role.OCT,),
        clearance="strictly-confidential",
        actor=None,
    )
    chairs = {}
    for number in range(1, groups + 1):
        entity = Entity.objects.create(
            acronym=f"E{number:02d}",
            name=f"Bench entity {number}",
            kind=Entity.Kind.SECRETARIAT,
            evidence=Evidence.SEED,
        )
        Membership.objects.create(entity=entity, status="member", effective_from=signed, evidence=Evidence.SEED)
        chair = person_create(
            username=f"chair{number}",
            email=f"chair{number}@bench.example.org",
            first_name="Chair",
            last_name=str(number),
            entity=entity,
            actor=None,
        )
        group = WorkingGroup.objects.create(
            number=number, name=f"Working group {number}", short_name=f"Group {number}", evidence=Evidence.SEED
        )
        role_assign(group=group, entity=entity, role="chair", starts_on=signed, person=chair, actor=None)
        plan = WorkPlan.objects.create(working_group=group, biennium_start=YEAR)
        output = WorkPlanOutput.objects.create(work_plan=plan, title="Technical assistance to Member States")
        for position in range(1, 6):
            WorkPlanActivity.objects.create(output=output, position=position, title=f"Activity {position}")
        chairs[group.pk] = chair

    def period(kind: str, first: datetime.date, last: datetime.date) -> ReportingPeriod:
        created = period_create(
            kind=kind,
            covers_from=first,
            covers_until=last,
            opens_on=last,
            due_on=last + datetime.timedelta(days=15),
            actor=None,
        )
        period_open(period=created, actor=None)
        return created

    words = int(WORDS_PER_PAGE * pages_per_group)
    mid_year = period("mid-year", datetime.date(YEAR, 1, 1), datetime.date(YEAR, 6, 30))
    quarters = [
        period(f"q{n}", datetime.date(YEAR, 3 * n - 2, 1), datetime.date(YEAR, 3 * n, 30 if n in (2, 3) else 31))
        for n in range(1, 5)
    ]
    for submission in Submission.objects.filter(period__in=[mid_year, *quarters]).select_related("working_group"):
        arabic = submission.working_group.number == 3
        share = words // (len(submission.content_fields) + (5 if not submission.period.is_briefing else 0))
        chair = chairs[submission.working_group_id]
        submission_save_draft(
            submission=submission,
            actor=chair,
            base_revision=submission.revision,
            fields={name: text(share, arabic) for name in submission.content_fields},
            classification="unclassified",
        )
        for line in submission.activity_progress.all():
            line.status, line.narrative = "ongoing", text(share, arabic)
            line.save()
        submission_act(submission=submission, action="submit", actor=chair)
        submission_act(submission=submission, action="accept", actor=officer)
    return officer, mid_year


def measure(label: str, report, officer, groups: int, checks: list[bool]) -> None:
    from pypdf import PdfReader

    from reporting.compiled.editions import edition_render, edition_request

    edition = edition_request(report=report, actor=officer)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    rendered = edition_render(edition_id=edition.pk)
    seconds = time.perf_counter() - began
    edition.refresh_from_db()
    if not rendered:
        print(f"{label}: FAILED — {edition.error}")
        checks.append(False)
        return
    with edition.file.open("rb") as handle:
        content = handle.read()
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    missing = [n for n in range(1, groups + 1) if f"Working group {n}" not in pdf_text]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<20} {edition.pages:>4} pages  {seconds:5.1f} s ({seconds / edition.pages:.2f} s a page)  "
        f"process peak RSS {rss:4.0f} MiB (was {rss_before:.0f} before)  PDF {len(content) / 2**10:,.0f} KiB"
    )
    checks.append(not missing)
    print(
        f"{'OK' if not missing else 'FAILED':<7} every group's heading is in the {label.lower()}"
        + (f" (missing {missing})" if missing else "")
    )


def run(groups: int, pages_per_group: float) -> bool:
    from reporting.compiled.services import annual_report_start, consolidated_report_start

    began = time.perf_counter()
    officer, mid_year = world(groups, pages_per_group)
    took = time.perf_counter() - began
    print(f"Set-up: {groups} groups, 5 rounds accepted ({pages_per_group:g} pages a group a report) in {took:.1f} s\n")
    checks: list[bool] = []
    measure("Consolidated report", consolidated_report_start(period=mid_year, actor=officer), officer, groups, checks)
    measure("Annual report", annual_report_start(year=YEAR, actor=officer), officer, groups, checks)
    return all(checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=12)
    parser.add_argument("--pages-per-group", type=float, default=2.0)
    parser.add_argument("--database-url", help="e.g. postgres://user:pw@127.0.0.1/compact (uses test_<name>)")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        passed = run(max(1, args.groups), max(0.2, args.pages_per_group))
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        teardown_test_environment()
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
