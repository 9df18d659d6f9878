"""The cadence of the USG's briefings to Member States (Annex III, V.14): set by the USG or OCT,
the next briefing due the cadence after the last one held, and reminders from the scheduler to
the USG and OCT while none is planned, each sent exactly once."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.core.models import AuditEvent, Classification, OutboundEmail
from compact.outreach.chasing import briefings_chase
from compact.outreach.models import BriefingCadence
from compact.outreach.selectors import briefing_schedule, briefing_schedule_for, months_after
from compact.outreach.services import briefing_cadence_set, briefing_create
from compact.tasks import briefings_chase_task
from reporting.calendar.models import SchedulerEvent
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

CADENCE_URL = "/api/v1/briefing-cadence/"
OTHERS = ["committee_member", "chair", "vice_chair", "focal_point", "outsider"]


def _cadence(actor, **overrides) -> BriefingCadence:
    values = {
        "every_months": 6,
        "first_due_on": datetime.date(2026, 3, 31),
        "reminder_days": [30, 7],
        "active": True,
    }
    return briefing_cadence_set(actor=actor, **{**values, **overrides})


def _held(actor, day: datetime.date, title: str = "Briefing"):
    return briefing_create(
        actor=actor,
        date=day,
        audience="Member States, New York",
        title=title,
        notes="Internal.",
        notes_classification=Classification.CONFIDENTIAL,
    )


def _at(day: datetime.date) -> datetime.datetime:
    """Noon on ``day`` in the site's zone (the day the scheduler sees)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _reminders() -> list[str]:
    return list(SchedulerEvent.objects.filter(key__startswith="briefing-").order_by("id").values_list("key", flat=True))


def _emails() -> list[tuple[str, str]]:
    rows = OutboundEmail.objects.filter(occasion__startswith="briefing-").order_by("id")
    return list(rows.values_list("occasion", "recipient"))


# --- The schedule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 15), 6, datetime.date(2026, 7, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 11, 30), 2, datetime.date(2027, 1, 30)),
        (datetime.date(2026, 12, 1), 24, datetime.date(2028, 12, 1)),
    ],
)
def test_the_next_briefing_is_due_the_cadence_after_the_last(day, months, expected):
    assert months_after(day, months) == expected


def test_without_a_cadence_there_is_no_schedule_and_no_reminder(roster, oct_officer):
    _held(oct_officer, datetime.date(2026, 1, 15))
    assert briefing_schedule(today=datetime.date(2026, 9, 1)) is None
    assert briefings_chase(now=_at(datetime.date(2026, 9, 1))) == 0
    assert _reminders() == [] and _emails() == []


def test_before_any_briefing_the_first_due_date_counts(roster, usg):
    _cadence(usg, first_due_on=datetime.date(2026, 3, 31))
    schedule = briefing_schedule(today=datetime.date(2026, 3, 1))
    assert (schedule.last_held, schedule.planned, schedule.due_on, schedule.days_left) == (
        None,
        None,
        datetime.date(2026, 3, 31),
        30,
    )
    assert not schedule.overdue and not schedule.planned_late


def test_the_last_briefing_held_and_the_next_planned_set_the_schedule(roster, usg, oct_officer):
    _cadence(usg, every_months=3)
    _held(oct_officer, datetime.date(2025, 11, 20), "Older")
    _held(oct_officer, datetime.date(2026, 2, 10), "Last held")
    today = datetime.date(2026, 4, 1)
    schedule = briefing_schedule(today=today)
    assert (schedule.last_held, schedule.due_on, schedule.planned) == (
        datetime.date(2026, 2, 10),
        datetime.date(2026, 5, 10),
        None,
    )
    _held(oct_officer, datetime.date(2026, 5, 20), "Planned late")
    late = briefing_schedule(today=today)
    assert late.planned == datetime.date(2026, 5, 20) and late.planned_late and not late.overdue
    _held(oct_officer, datetime.date(2026, 5, 5), "Planned in time")
    in_time = briefing_schedule(today=today)
    assert in_time.planned == datetime.date(2026, 5, 5) and not in_time.planned_late
    assert briefing_schedule(today=datetime.date(2026, 6, 1)).last_held == datetime.date(2026, 5, 20)


def test_only_the_usg_and_oct_read_the_schedule(roster, request, usg, oct_officer):
    _cadence(usg)
    assert briefing_schedule_for(usg, today=datetime.date(2026, 3, 1)) is not None
    assert briefing_schedule_for(oct_officer, today=datetime.date(2026, 3, 1)) is not None
    for persona in OTHERS:
        assert briefing_schedule_for(request.getfixturevalue(persona), today=datetime.date(2026, 3, 1)) is None


# --- Setting the cadence ----------------------------------------------------------------------------


def test_the_usg_sets_the_cadence_and_it_is_audited_once(roster, usg, oct_officer):
    cadence = _cadence(usg, reminder_days=[7, 30, 1])
    assert (cadence.every_months, cadence.reminder_days, cadence.updated_by) == (6, [30, 7, 1], usg)
    _cadence(usg, reminder_days=[1, 7, 30])  # the same cadence again: nothing changes
    _cadence(oct_officer, every_months=4)
    events = AuditEvent.objects.filter(verb="outreach.cadence_set").order_by("id")
    assert [(e.actor_id, e.after) for e in events] == [
        (usg.pk, {"every_months": 6, "first_due_on": "2026-03-31", "reminder_days": [30, 7, 1], "active": True}),
        (oct_officer.pk, {"every_months": 4, "reminder_days": [30, 7]}),
    ]
    assert events[1].before == {"every_months": 6, "reminder_days": [30, 7, 1]}
    assert BriefingCadence.objects.count() == 1


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_else_sets_the_cadence(roster, request, persona):
    with pytest.raises(PermissionDenied):
        _cadence(request.getfixturevalue(persona))
    assert not BriefingCadence.objects.exists()
    assert not AuditEvent.objects.filter(verb="outreach.cadence_set").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("every_months", 0),
        ("every_months", 25),
        ("every_months", True),
        ("every_months", "6"),
        ("first_due_on", None),
        ("first_due_on", "2026-03-31"),
        ("reminder_days", [-1]),
        ("reminder_days", [181]),
        ("reminder_days", [7, 7]),
        ("reminder_days", [1, 2, 3, 4, 5, 6]),
        ("reminder_days", [True]),
        ("reminder_days", "30"),
    ],
)
def test_a_bad_cadence_names_the_field_and_saves_nothing(roster, usg, field, value):
    _cadence(usg)
    with pytest.raises(ValidationError) as refused:
        _cadence(usg, **{field: value})
    assert set(refused.value.message_dict) == {field}
    cadence = BriefingCadence.objects.get()
    assert (cadence.every_months, cadence.first_due_on, cadence.reminder_days) == (
        6,
        datetime.date(2026, 3, 31),
        [30, 7],
    )
    assert AuditEvent.objects.filter(verb="outreach.cadence_set").count() == 1


# --- Reminders ------------------------------------------------------------------------------------------


def test_each_reminder_and_the_overdue_notice_go_to_the_usg_and_oct_once(roster, usg, oct_officer):
    _cadence(usg, every_months=6, reminder_days=[30, 7])
    _held(oct_officer, datetime.date(2026, 1, 15))  # the next is due on 15 July 2026
    recipients = {usg.email, settings.OCT_SECRETARIAT_EMAIL}
    sent = {}
    for day in [
        datetime.date(2026, 6, 14),  # 31 days before: nothing yet
        datetime.date(2026, 6, 15),  # 30 days before
        datetime.date(2026, 6, 15),  # the same day again (a second tick, a retry)
        datetime.date(2026, 6, 20),  # still the 30-day reminder: already sent
        datetime.date(2026, 7, 8),  # 7 days before
        datetime.date(2026, 7, 15),  # due today: the 7-day reminder is the latest reached
        datetime.date(2026, 7, 16),  # the day after: overdue
        datetime.date(2026, 8, 30),  # long after: the notice is not repeated
    ]:
        sent[day] = sent.get(day, 0) + briefings_chase(now=_at(day))
    assert sent == {
        datetime.date(2026, 6, 14): 0,
        datetime.date(2026, 6, 15): 1,
        datetime.date(2026, 6, 20): 0,
        datetime.date(2026, 7, 8): 1,
        datetime.date(2026, 7, 15): 0,
        datetime.date(2026, 7, 16): 1,
        datetime.date(2026, 8, 30): 0,
    }
    assert _reminders() == [
        "briefing-reminder:2026-07-15:30",
        "briefing-reminder:2026-07-15:7",
        "briefing-escalation:2026-07-15:1",
    ]
    emails = _emails()
    assert len(emails) == 6 and {recipient for _, recipient in emails} == recipients
    due = OutboundEmail.objects.get(occasion="briefing-reminder:2026-07-15:30", recipient=usg.email)
    assert "15 July 2026" in due.subject or "July 15, 2026" in due.subject
    assert "due in 30 days" in due.body_text and "none is planned" in due.body_text
    assert "/outreach/briefings/" in due.body_text
    overdue = OutboundEmail.objects.get(occasion="briefing-escalation:2026-07-15:1", recipient=usg.email)
    assert overdue.subject.startswith("Overdue") and "was due on" in overdue.body_text


def test_a_planned_briefing_stops_the_reminders_and_a_held_one_moves_the_due_date(roster, usg, oct_officer):
    _cadence(usg, every_months=6, reminder_days=[30])
    _held(oct_officer, datetime.date(2026, 1, 15))
    _held(oct_officer, datetime.date(2026, 7, 10), "Planned")
    assert briefings_chase(now=_at(datetime.date(2026, 6, 15))) == 0  # planned: nobody is chased
    # Held on 10 July, the next is due on 10 January 2027: a new round of reminders.
    assert briefings_chase(now=_at(datetime.date(2026, 12, 11))) == 1
    assert _reminders() == ["briefing-reminder:2027-01-10:30"]


def test_reminders_off_send_nothing(roster, usg, oct_officer):
    _cadence(usg, active=False)
    assert briefings_chase(now=_at(datetime.date(2026, 3, 30))) == 0
    assert briefings_chase(now=_at(datetime.date(2026, 4, 2))) == 0
    assert _reminders() == [] and _emails() == []


def test_after_an_outage_only_the_latest_reminder_is_sent(roster, usg):
    _cadence(usg, first_due_on=datetime.date(2026, 3, 31), reminder_days=[30, 7, 1])
    assert briefings_chase(now=_at(datetime.date(2026, 3, 30))) == 1  # nothing ran for a month
    assert _reminders() == ["briefing-reminder:2026-03-31:1"]


def test_the_task_runs_the_chase_and_a_second_run_sends_nothing(roster, usg, time_machine):
    _cadence(usg, first_due_on=datetime.date(2026, 3, 31), reminder_days=[7])
    time_machine.move_to(_at(datetime.date(2026, 3, 24)), tick=False)
    assert briefings_chase_task() == 1
    assert briefings_chase_task() == 0
    assert len(_emails()) == 2
    schedule = settings.CELERY_BEAT_SCHEDULE["every-hour-remind-of-briefings-to-member-states"]
    assert schedule["task"] == briefings_chase_task.name


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_list_says_where_the_briefings_stand(roster, usg, oct_officer, client_for, time_machine):
    time_machine.move_to(_at(datetime.date(2026, 6, 1)), tick=False)
    client = client_for(usg)
    empty = html_tree(client.get(reverse("outreach-briefing-list")).content.decode())
    assert "No cadence is set" in empty.find("section", class_="briefing-cadence").text
    _cadence(usg, every_months=6, reminder_days=[30, 7])
    _held(oct_officer, datetime.date(2026, 1, 15))
    panel = html_tree(client.get(reverse("outreach-briefing-list")).content.decode()).find(
        "section", class_="briefing-cadence"
    )
    text = " ".join(panel.text.split())
    assert "every 6 months" in text and "in 44 days; none is planned yet" in text
    assert "reminded 30, 7 days before" in text
    time_machine.move_to(_at(datetime.date(2026, 7, 20)), tick=False)
    overdue = html_tree(client_for(usg).get(reverse("outreach-briefing-list")).content.decode())
    assert "Overdue" in overdue.find("section", class_="briefing-cadence").text


def test_the_usg_sets_the_cadence_on_its_page(roster, usg, client_for):
    client = client_for(usg)
    url = reverse("outreach-briefing-cadence")
    form = {"every_months": "4", "first_due_on": "2026-09-30", "reminder_days": "٣٠، ٧", "active": "on"}
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"] == reverse("outreach-briefing-list")
    cadence = BriefingCadence.objects.get()
    assert (cadence.every_months, cadence.first_due_on, cadence.reminder_days, cadence.active) == (
        4,
        datetime.date(2026, 9, 30),
        [30, 7],
        True,
    )
    assert 'value="30, 7"' in client.get(url).content.decode()


def test_a_mistake_on_the_cadence_page_keeps_the_input_and_saves_nothing(roster, usg, client_for):
    _cadence(usg)
    response = client_for(usg).post(
        reverse("outreach-briefing-cadence"),
        {"every_months": "30", "first_due_on": "2026-09-30", "reminder_days": "7, 7"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The cadence was not saved" in html and 'value="30"' in html
    assert BriefingCadence.objects.get().every_months == 6


@pytest.mark.parametrize("persona", OTHERS)
def test_the_cadence_page_is_not_found_for_others(roster, request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("outreach-briefing-cadence")
    assert client.get(url).status_code == 404
    assert client.post(url, {"every_months": "3", "first_due_on": "2026-09-30"}).status_code == 404
    assert not BriefingCadence.objects.exists()


# --- API ----------------------------------------------------------------------------------------------------


def test_the_api_reads_and_sets_the_cadence(roster, usg, oct_officer, api_for, time_machine):
    time_machine.move_to(_at(datetime.date(2026, 6, 1)), tick=False)
    api = api_for(usg)
    assert api.get(CADENCE_URL).status_code == 404
    body = {"every_months": 6, "first_due_on": "2026-03-31", "reminder_days": [30, 7], "active": True}
    answer = api.put(CADENCE_URL, body, format="json")
    assert answer.status_code == 200, answer.json()
    _held(oct_officer, datetime.date(2026, 1, 15))
    read = api_for(oct_officer).get(CADENCE_URL).json()
    assert read["every_months"] == 6 and read["updated_by"]["username"] == usg.username
    assert read["schedule"] == {
        "last_held": "2026-01-15",
        "planned": None,
        "due_on": "2026-07-15",
        "days_left": 44,
        "overdue": False,
        "planned_late": False,
    }
    bad = api.put(CADENCE_URL, {**body, "every_months": 0, "reminder_days": [-3]}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"every_months", "reminder_days"}
    assert BriefingCadence.objects.get().every_months == 6


@pytest.mark.parametrize("persona", [None, *OTHERS])
def test_the_cadence_api_is_for_the_usg_and_oct_only(roster, usg, request, api_for, persona):
    _cadence(usg)
    api = api_for(request.getfixturevalue(persona) if persona else None)
    expected = 401 if persona is None else 404
    assert api.get(CADENCE_URL).status_code == expected
    body = {"every_months": 1, "first_due_on": "2026-03-31", "reminder_days": [], "active": False}
    assert api.put(CADENCE_URL, body, format="json").status_code == expected
    assert BriefingCadence.objects.get().every_months == 6


def test_the_schema_documents_the_cadence(roster, outsider, api_for):
    paths = api_for(outsider).get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths[CADENCE_URL]) == {"get", "put"}
    assert set(paths[CADENCE_URL]["put"]["responses"]) >= {"200", "400", "404"}
    schedule = paths[CADENCE_URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert schedule.endswith("/BriefingCadenceDetail")


# --- What waits on the USG and OCT ------------------------------------------------------------------


def _briefing_tasks(user, day: datetime.date) -> list:
    from portal.inbox import tasks_for

    return [task for task in tasks_for(user, today=day) if task.kind == "briefing"]


def test_the_next_briefing_waits_in_the_usgs_and_octs_lists_from_the_first_reminder_day(
    roster, request, usg, oct_officer
):
    _cadence(usg, every_months=6, reminder_days=[14, 3])
    _held(oct_officer, datetime.date(2026, 1, 15))  # due on 15 July 2026
    for person in (usg, oct_officer):
        assert _briefing_tasks(person, datetime.date(2026, 6, 30)) == []  # 15 days before
        (task,) = _briefing_tasks(person, datetime.date(2026, 7, 1))  # 14 days before
        assert task.due_on == datetime.date(2026, 7, 15) and task.url == reverse("outreach-briefing-list")
        assert task.title == "Plan the next briefing to Member States" and "every 6 months" in task.detail
        assert task.is_overdue(datetime.date(2026, 7, 16))
    for persona in OTHERS:
        assert _briefing_tasks(request.getfixturevalue(persona), datetime.date(2026, 7, 1)) == []
    _held(oct_officer, datetime.date(2026, 7, 20), "Planned")
    assert _briefing_tasks(usg, datetime.date(2026, 7, 1)) == []  # planned: nothing waits


def test_with_reminders_off_the_briefing_still_waits_thirty_days_before(roster, usg):
    _cadence(usg, first_due_on=datetime.date(2026, 3, 31), reminder_days=[], active=False)
    assert _briefing_tasks(usg, datetime.date(2026, 2, 28)) == []
    assert len(_briefing_tasks(usg, datetime.date(2026, 3, 1))) == 1


def test_the_home_page_and_the_tasks_api_show_it(roster, usg, client_for, api_for, time_machine):
    time_machine.move_to(_at(datetime.date(2026, 3, 20)), tick=False)
    _cadence(usg, first_due_on=datetime.date(2026, 3, 31), reminder_days=[30])
    home = client_for(usg).get(reverse("home")).content.decode()
    assert "Plan the next briefing to Member States" in home.split('class="task-list"')[1]
    kinds = [task["kind"] for task in api_for(usg).get("/api/v1/tasks/").json()]
    assert "briefing" in kinds
