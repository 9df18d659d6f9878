"""The private iCalendar feed of deadlines: what each role's feed holds (read back with the
icalendar parser), the feed's address (no login, token only, replaceable), and the settings page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from compact.lib.emails import absolute_url
from reporting.calendar.models import CalendarFeed, CalendarRule
from reporting.calendar.services import calendar_feed_for, extension_act, extension_request_create
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.periods.services import period_create
from reporting.submissions.services import submission_act, submission_save_draft
from tests.helpers import calendar_only

pytestmark = pytest.mark.django_db

D = datetime.date
JULY_1 = "2026-07-01 12:00Z"
DOMAIN = "@compact-tracker"


@pytest.fixture(autouse=True)
def _only_mid_year_scheduled(db):
    """The default calendar plans six kinds of period; with the mid-year report alone the
    planned periods in a feed are few enough to list exactly."""
    calendar_only(ReportingPeriod.Kind.MID_YEAR)


def wg(period: ReportingPeriod, number: int) -> Submission:
    return Submission.objects.get(period=period, working_group__number=number)


def feed_url(user) -> str:
    return reverse("reporting-feed", args=[calendar_feed_for(user=user).token])


def fetch(user) -> Calendar:
    response = Client().get(feed_url(user))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, tuple[datetime.date, str, bool]]:
    """uid → (day, summary, has a reminder)."""
    return {
        str(event["uid"]): (event.decoded("dtstart"), str(event["summary"]), bool(event.walk("VALARM")))
        for event in calendar.walk("VEVENT")
    }


def event(calendar: Calendar, uid: str):
    return next(e for e in calendar.walk("VEVENT") if str(e["uid"]) == uid)


def extend(submission: Submission, chair, officer, until: datetime.date):
    request = extension_request_create(submission=submission, actor=chair, until=until, reason="Field mission in July")
    return extension_act(request=request, action="approve", actor=officer)


def planned_mid_year_2027_expected(group) -> tuple[str, tuple[datetime.date, str, bool]]:
    return (
        f"planned-mid-year-20270101-group-{group.pk}-expected{DOMAIN}",
        (D(2027, 7, 15), f"Mid-year progress report 2027 due (expected) — {group}", True),
    )


# --- What each role's feed holds ---------------------------------------------------------------------


def test_chair_feed_has_the_groups_due_date_with_the_extension(time_machine, chair, oct_officer, roster, report_period):
    time_machine.move_to(JULY_1)
    mine = wg(report_period, 7)
    extend(mine, chair, oct_officer, D(2026, 7, 31))

    calendar = fetch(chair)

    assert events(calendar) == {
        f"submission-{mine.pk}-due{DOMAIN}": (
            D(2026, 7, 31),
            "Mid-year progress report 2026 due — WG 7: Human rights",
            True,
        ),
        # The 2026 mid-year period exists: only the next one is planned.
        **dict([planned_mid_year_2027_expected(roster.group)]),
    }
    due = event(calendar, f"submission-{mine.pk}-due{DOMAIN}")
    assert due.decoded("dtend") == D(2026, 8, 1)
    assert str(due["url"]) == absolute_url(reverse("reporting-submission", args=[mine.pk]))
    assert str(due["description"]).splitlines() == [
        "Mid-year progress report 2026 (1 January 2026 – 30 June 2026)",
        "Working group: WG 7: Human rights",
        "Due: 31 July 2026 (OCT extended it from 15 July 2026)",
        "",
        absolute_url(reverse("reporting-submission", args=[mine.pk])),
    ]


def test_vice_chair_feed_has_the_same_group_deadline(time_machine, vice_chair, roster, report_period):
    time_machine.move_to(JULY_1)

    assert events(fetch(vice_chair)) == {
        f"submission-{wg(report_period, 7).pk}-due{DOMAIN}": (
            D(2026, 7, 15),
            "Mid-year progress report 2026 due — WG 7: Human rights",
            True,
        ),
        **dict([planned_mid_year_2027_expected(roster.group)]),
    }


def test_chair_feed_leaves_out_other_groups_and_submission_text(time_machine, chair, roster, report_period):
    time_machine.move_to(JULY_1)
    mine = wg(report_period, 7)
    submission_save_draft(
        submission=mine,
        actor=chair,
        base_revision=mine.revision,
        fields={"summary": "Confidential assessment of Member State X"},
        classification=mine.classification,
    )

    body = Client().get(feed_url(chair)).content.decode()

    assert f"submission-{wg(report_period, 2).pk}-" not in body
    assert "WG 2" not in body
    assert "Financing" not in body
    assert "Member State X" not in body


def test_pending_extension_request_is_not_a_deadline(time_machine, chair, report_period):
    time_machine.move_to(JULY_1)
    mine = wg(report_period, 7)
    extension_request_create(submission=mine, actor=chair, until=D(2026, 7, 31), reason="Waiting for a mission")

    calendar = fetch(chair)

    assert events(calendar)[f"submission-{mine.pk}-due{DOMAIN}"][0] == D(2026, 7, 15)
    assert D(2026, 7, 31) not in {day for day, _title, _alarm in events(calendar).values()}
    assert "Waiting for a mission" not in calendar.to_ical().decode()


def test_chair_feed_drops_accepted_reports(time_machine, chair, oct_officer, roster, report_period):
    time_machine.move_to(JULY_1)
    mine = wg(report_period, 7)
    mine = submission_save_draft(
        submission=mine,
        actor=chair,
        base_revision=mine.revision,
        fields={"summary": "Done."},
        classification="unclassified",
    )
    submission_act(submission=mine, action="submit", actor=chair)
    submission_act(submission=Submission.objects.get(pk=mine.pk), action="accept", actor=oct_officer)

    assert events(fetch(chair)) == dict([planned_mid_year_2027_expected(roster.group)])


def test_chair_feed_expects_the_due_date_of_a_scheduled_period(time_machine, chair, roster, report_period):
    time_machine.move_to(JULY_1)
    # Scheduled, not open: no drafts yet, but the group's input will be due.
    q3 = period_create(
        kind="q3",
        covers_from=D(2026, 7, 1),
        covers_until=D(2026, 9, 30),
        opens_on=D(2026, 9, 15),
        due_on=D(2026, 10, 10),
        actor=None,
    )

    assert events(fetch(chair))[f"period-{q3.pk}-group-{roster.group.pk}-expected{DOMAIN}"] == (
        D(2026, 10, 10),
        "Quarterly briefing, third quarter 2026 due (expected) — WG 7: Human rights",
        True,
    )


def test_planned_periods_follow_the_calendar_rules(time_machine, chair, roster, report_period):
    time_machine.move_to(JULY_1)
    CalendarRule.objects.filter(kind="q3").update(active=True)

    found = events(fetch(chair))

    # Q3 2026 (due 15 October) is planned and not created; so is Q3 2027.
    assert found[f"planned-q3-20260701-group-{roster.group.pk}-expected{DOMAIN}"][0] == D(2026, 10, 15)
    assert found[f"planned-q3-20270701-group-{roster.group.pk}-expected{DOMAIN}"][0] == D(2027, 10, 15)


def test_planned_periods_already_due_are_left_out(time_machine, chair, roster, report_period):
    time_machine.move_to("2026-07-20 12:00Z")
    CalendarRule.objects.filter(kind="q2").update(active=True)

    found = events(fetch(chair))

    # Q2 2026 was due on 15 July and never created: not a deadline any more. Q2 2027 is.
    assert f"planned-q2-20260401-group-{roster.group.pk}-expected{DOMAIN}" not in found
    assert found[f"planned-q2-20270401-group-{roster.group.pk}-expected{DOMAIN}"][0] == D(2027, 7, 15)


def test_oct_feed_has_openings_due_dates_extensions_and_plans(time_machine, chair, oct_officer, roster, report_period):
    time_machine.move_to(JULY_1)
    mine = wg(report_period, 7)
    extend(mine, chair, oct_officer, D(2026, 7, 31))
    period = report_period.pk

    calendar = fetch(oct_officer)

    assert events(calendar) == {
        f"period-{period}-opens{DOMAIN}": (D(2026, 6, 15), "Mid-year progress report 2026 opens", False),
        f"period-{period}-due{DOMAIN}": (D(2026, 7, 15), "Mid-year progress report 2026 due", True),
        f"submission-{mine.pk}-extended{DOMAIN}": (
            D(2026, 7, 31),
            "Mid-year progress report 2026 due (extended) — WG 7: Human rights",
            True,
        ),
        # 45 days before 15 July 2027, by the default mid-year rule.
        f"planned-mid-year-20270101-opens{DOMAIN}": (
            D(2027, 5, 31),
            "Mid-year progress report 2027 opens (planned)",
            False,
        ),
        f"planned-mid-year-20270101-due{DOMAIN}": (D(2027, 7, 15), "Mid-year progress report 2027 due (planned)", True),
    }
    assert str(event(calendar, f"period-{period}-due{DOMAIN}")["url"]) == absolute_url(
        reverse("reporting-period", args=[period])
    )
    assert "Field mission" not in calendar.to_ical().decode()


def test_oct_feed_leaves_out_closed_periods(time_machine, oct_officer, report_period):
    time_machine.move_to(JULY_1)
    ReportingPeriod.objects.filter(pk=report_period.pk).update(state=ReportingPeriod.State.CLOSED)

    assert not any(uid.startswith(f"period-{report_period.pk}-") for uid in events(fetch(oct_officer)))


@pytest.mark.parametrize("persona", ["focal_point", "committee_member"])
def test_others_get_open_due_dates_for_information(time_machine, request, persona, report_period):
    time_machine.move_to(JULY_1)
    user = request.getfixturevalue(persona)

    calendar = fetch(user)

    assert events(calendar) == {
        f"period-{report_period.pk}-due{DOMAIN}": (D(2026, 7, 15), "Mid-year progress report 2026 due", False),
    }
    assert str(event(calendar, f"period-{report_period.pk}-due{DOMAIN}")["url"]) == absolute_url(
        reverse("reporting-home")
    )


# --- The .ics file and its address -------------------------------------------------------------------


def test_feed_is_a_calendar_file_with_refresh_hints(time_machine, chair, report_period):
    time_machine.move_to(JULY_1)

    response = Client().get(feed_url(chair))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    assert response["X-Robots-Tag"] == "noindex"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert "Compact Tracker" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == "Compact Tracker — Chair Tester"
    assert calendar.decoded("refresh-interval") == datetime.timedelta(hours=1)
    assert str(calendar["x-published-ttl"]) == "PT1H"
    due = event(calendar, f"submission-{wg(report_period, 7).pk}-due{DOMAIN}")
    assert due.decoded("dtstamp") == datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)
    assert str(due["dtstart"].params.get("VALUE")) == "DATE"
    (alarm,) = due.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -datetime.timedelta(days=1)


def test_feed_is_in_the_site_language_whatever_the_client_asks(time_machine, chair, report_period):
    time_machine.move_to(JULY_1)

    response = Client(headers={"accept-language": "fr"}).get(feed_url(chair))

    due = event(Calendar.from_ical(response.content), f"submission-{wg(report_period, 7).pk}-due{DOMAIN}")
    assert "Due: 15 July 2026" in str(due["description"])
    assert "juillet" not in response.content.decode()


def test_unknown_token_is_404(db):
    assert Client().get(reverse("reporting-feed", args=["no-such-token"])).status_code == 404


def test_inactive_users_feed_is_404(chair, report_period):
    url = feed_url(chair)
    chair.is_active = False
    chair.save(update_fields=["is_active"])

    assert Client().get(url).status_code == 404


def test_replacing_the_address_kills_the_old_one(time_machine, client_for, chair, report_period):
    time_machine.move_to(JULY_1)
    old = feed_url(chair)

    response = client_for(chair).post(reverse("reporting-feed-settings"), follow=True)

    new = feed_url(chair)
    assert new != old
    assert "the old one no longer works" in response.content.decode()
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_last_read_is_recorded_at_most_hourly(time_machine, chair, report_period):
    time_machine.move_to(JULY_1, tick=False)
    url = feed_url(chair)
    Client().get(url)
    first = CalendarFeed.objects.get(user=chair).last_read_at
    assert first == datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC)

    time_machine.move_to("2026-07-01 12:40Z", tick=False)
    Client().get(url)
    assert CalendarFeed.objects.get(user=chair).last_read_at == first

    time_machine.move_to("2026-07-01 13:30Z", tick=False)
    Client().get(url)
    assert CalendarFeed.objects.get(user=chair).last_read_at == datetime.datetime(
        2026, 7, 1, 13, 30, tzinfo=datetime.UTC
    )


def test_head_request_is_answered(chair):
    assert Client().head(feed_url(chair)).status_code == 200


# --- The settings page -------------------------------------------------------------------------------


def test_settings_page_requires_login(chair):
    token = calendar_feed_for(user=chair).token

    assert Client().get(reverse("reporting-feed-settings")).status_code == 302
    assert Client().post(reverse("reporting-feed-settings")).status_code == 302
    assert CalendarFeed.objects.get(user=chair).token == token


def test_settings_page_shows_the_private_address_and_the_preview(time_machine, client_for, chair, report_period):
    time_machine.move_to(JULY_1)

    response = client_for(chair).get(reverse("reporting-feed-settings"))

    page = response.content.decode()
    https = absolute_url(feed_url(chair))
    assert response.status_code == 200
    assert f'value="{https}"' in page
    assert f'value="webcal://{https.split("://", 1)[1]}"' in page
    assert "Mid-year progress report 2026 due — WG 7: Human rights" in page
    assert "Replace the address" in page


def test_settings_page_shows_a_users_own_address_only(client_for, chair, vice_chair):
    page = client_for(vice_chair).get(reverse("reporting-feed-settings")).content.decode()

    assert calendar_feed_for(user=vice_chair).token in page
    assert calendar_feed_for(user=chair).token not in page


# --- The Committee's action points and the biennial review ------------------------------------------


def test_owners_get_their_open_action_points_without_their_text(time_machine, chair, focal_point, oct_officer, roster):
    from reporting.committee.services import action_point_act, action_point_add, meeting_act, meeting_create

    time_machine.move_to(JULY_1)
    meeting = meeting_act(
        meeting=meeting_create(
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            actor=oct_officer,
            date=D(2026, 6, 20),
            place="New York",
        ),
        action="hold",
        actor=oct_officer,
    )
    secret = "Confidential follow-up with the Member State concerned."
    group_point = action_point_add(
        meeting=meeting, actor=oct_officer, text=secret, due_on=D(2026, 7, 20), owner_group=roster.group
    )
    entity_point = action_point_add(
        meeting=meeting, actor=oct_officer, text=secret, due_on=D(2026, 8, 1), owner_entity=roster.unesco
    )
    chair_feed = events(fetch(chair))
    assert chair_feed[f"action-point-{group_point.pk}-due{DOMAIN}"] == (
        D(2026, 7, 20),
        f"Committee action point due: {roster.group}",
        True,
    )
    assert f"action-point-{entity_point.pk}-due{DOMAIN}" not in chair_feed  # not the chair's
    assert f"action-point-{entity_point.pk}-due{DOMAIN}" in events(fetch(focal_point))
    assert secret not in Client().get(feed_url(chair)).content.decode()
    action_point_act(point=group_point, action="mark_done", actor=chair)
    assert f"action-point-{group_point.pk}-due{DOMAIN}" not in events(fetch(chair))


def test_focal_points_get_the_review_deadline_until_their_entity_comments(time_machine, focal_point, oct_officer):
    from reporting.review.services import comment_create, review_act, review_create

    time_machine.move_to("2026-10-25 12:00Z")
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        opens_on=D(2026, 10, 20),
        comments_due_on=D(2026, 11, 10),
    )
    uid = f"review-{review.pk}-entity-{focal_point.profile.entity_id}-due{DOMAIN}"
    assert uid not in events(fetch(focal_point))  # not open yet
    review = review_act(review=review, action="open", actor=oct_officer)
    assert events(fetch(focal_point))[uid] == (
        D(2026, 11, 10),
        "UNESCO's comment on the biennial review 2027–2028 due",
        True,
    )
    assert events(fetch(oct_officer))[f"review-{review.pk}-entity-all-due{DOMAIN}"][0] == D(2026, 11, 10)
    comment_create(
        review=review,
        entity=focal_point.profile.entity,
        actor=focal_point,
        text="UNESCO's view.",
        classification="unclassified",
    )
    assert uid not in events(fetch(focal_point))
