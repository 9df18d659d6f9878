"""The calendar the Compact starts with (OCT edits it on the calendar page).

Quarterly briefings are due two weeks after their quarter ends; the mid-year report on
15 July and the end-of-year report on 31 January (Annex III, V.16). Chairs are reminded 14, 7
and 1 days before a due date and escalated 1 and 7 days after, in New York time.
"""

from django.db import migrations

DEFAULTS = [
    # kind, due month, due day, due in the following year, opens days before due
    ("q1", 4, 15, False, 30),
    ("q2", 7, 15, False, 30),
    ("q3", 10, 15, False, 30),
    ("q4", 1, 15, True, 30),
    ("mid-year", 7, 15, False, 45),
    ("end-of-year", 1, 31, True, 61),
]


def create_rules(apps, schema_editor):
    CalendarRule = apps.get_model("reporting", "CalendarRule")
    for kind, month, day, following, opens in DEFAULTS:
        CalendarRule.objects.get_or_create(
            kind=kind,
            defaults={
                "due_month": month,
                "due_day": day,
                "due_following_year": following,
                "opens_days_before_due": opens,
                "closes_days_after_due": 30,
                "reminder_days": [14, 7, 1],
                "escalation_days": [1, 7],
                "time_zone": "America/New_York",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_calendar_and_scheduler")]
    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
