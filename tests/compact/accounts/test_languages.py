"""Each person in their language: the account's language (chosen on the account page or in
the menu, set from a sign-on request) is the language of their pages after sign-in, of every
e-mail and digest sent to them and of their calendar feed; visitors get their browser's."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from icalendar import Calendar

from compact.accounts.services import user_language_set
from compact.core.models import AuditEvent, OutboundEmail, User
from compact.core.outbox import email_queue, recipient_languages
from compact.signon.links import signon_confirmation_token
from compact.signon.services import signon_act, signon_email_confirm, signon_submit
from reporting.calendar.scheduler import scheduler_tick
from reporting.calendar.services import calendar_feed_for
from tests.helpers import calendar_only, deliver_emails, fresh, signon_form_data

pytestmark = pytest.mark.django_db


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def heading(response) -> str:
    """The page's language and its first heading, as a reader meets them."""
    html = response.content.decode()
    return html[html.index("<html") : html.index(">", html.index("<html")) + 1]


# --- Pages --------------------------------------------------------------------------------------------


def test_a_visitor_gets_the_browsers_language_and_the_menu_changes_it():
    client = Client(headers={"accept-language": "fr-CH,fr;q=0.9,en;q=0.5"})
    page = client.get(reverse("signon-form"))
    assert '<html lang="fr" dir="ltr">' in heading(page)
    assert in_language("fr", "Sign on to the UN Global Counter-Terrorism Coordination Compact") in page.content.decode()
    client.post(reverse("set_language"), {"language": "ar", "next": reverse("signon-form")})
    assert '<html lang="ar" dir="rtl">' in heading(client.get(reverse("signon-form")))


def test_a_signed_in_person_reads_their_language_whatever_the_browser_says(client_for, chair):
    user_language_set(user=chair, language="ru")
    client = client_for(chair)
    page = client.get("/", headers={"accept-language": "es"})
    assert '<html lang="ru" dir="ltr">' in heading(page) and page["Content-Language"] == "ru"
    assert in_language("ru", "Home") in page.content.decode()


def test_the_account_page_saves_the_language_with_an_audit_row_and_speaks_it_at_once(client_for, chair):
    client = client_for(chair)
    response = client.post(reverse("account"), {"language": "zh-hans"}, follow=True)
    assert fresh(chair).language == "zh-hans"
    assert '<html lang="zh-hans"' in heading(response)
    assert in_language("zh-hans", "Your language is saved.") in response.content.decode()
    assert client.cookies["django_language"].value == "zh-hans"  # pages after signing out follow
    event = AuditEvent.objects.get(verb="person.language_set")
    assert event.actor == chair and (event.before, event.after) == ({"language": ""}, {"language": "zh-hans"})
    # Saving the same choice again changes nothing and writes nothing.
    client.post(reverse("account"), {"language": "zh-hans"})
    assert AuditEvent.objects.filter(verb="person.language_set").count() == 1


def test_the_menu_saves_a_signed_in_persons_language_too(client_for, chair):
    client = client_for(chair)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert fresh(chair).language == "es"


def test_choosing_the_browsers_language_again_clears_the_choice(client_for, chair):
    user_language_set(user=chair, language="fr")
    client = client_for(chair)
    client.post(reverse("account"), {"language": ""})
    assert fresh(chair).language == ""
    assert '<html lang="es"' in heading(client.get("/", headers={"accept-language": "es"}))


def test_a_language_that_is_not_one_of_the_six_is_refused_on_the_account_page(client_for, chair):
    response = client_for(chair).post(reverse("account"), {"language": "de"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert fresh(chair).language == ""
    assert not AuditEvent.objects.filter(verb="person.language_set").exists()


# --- E-mails and digests ------------------------------------------------------------------------------


def test_a_french_focal_point_is_invited_in_french_and_keeps_french(roster, oct_officer):
    data = signon_form_data()
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    request = signon_submit(fields=fields, working_groups=[], letter=None, submitted_from=None, language="fr")
    request = signon_email_confirm(token=signon_confirmation_token(request))
    signon_act(request=request, action="start_consultation", actor=oct_officer)
    signon_act(request=request, action="approve", actor=oct_officer, status="member")
    invitation = next(m for m in deliver_emails() if "/accounts/password/set/" in m.body)
    with translation.override("fr"):
        subject = gettext("You are invited to Compact Tracker as a focal point of %(acronym)s") % {"acronym": "ICAO"}
    assert invitation.subject == subject
    with translation.override("fr"):
        greeting = gettext("Dear %(name)s,") % {"name": "Amina O'Brien"}
    assert invitation.body.startswith(greeting), invitation.body[:80]
    html = invitation.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html
    focal_point = User.objects.get(email__iexact=request.focal_email)
    assert focal_point.language == "fr"  # set at invitation from the request's language


def test_a_digest_reaches_an_arabic_speaking_chair_in_arabic_and_oct_in_english(report_period, chair, usg):
    """The Committee's digest of very late inputs goes to its chair (the USG), who reads Arabic."""
    user_language_set(user=usg, language="ar")
    calendar_only()
    scheduler_tick(now=datetime.datetime(2026, 8, 3, 14, 0, tzinfo=datetime.UTC))  # a Monday, 19 days late
    digest = OutboundEmail.objects.get(occasion__startswith="committee-digest:", recipient=usg.email)
    late = sum(line.startswith("- ") for line in digest.body_text.splitlines())
    with translation.override("ar"):
        subject = ngettext(
            "%(groups)s working-group input more than a week late",
            "%(groups)s working-group inputs more than a week late",
            2,
        ) % {"groups": 2}
    assert digest.subject == subject and late == 2
    assert '<html lang="ar" dir="rtl">' in digest.body_html
    oct_digest = OutboundEmail.objects.get(occasion__startswith="oct-digest:")
    assert oct_digest.subject.startswith("Weekly reporting digest")  # OCT's address has no account: English


def test_one_message_goes_to_each_recipient_in_their_own_language(roster, chair, vice_chair, oct_officer):
    user_language_set(user=chair, language="ar")
    user_language_set(user=vice_chair, language="zh-hans")
    with transaction.atomic():
        emails = email_queue(
            occasion="test:languages",
            recipients=[chair.email, vice_chair.email, oct_officer.email, "someone@example.org"],
            template="password-reset",
            context={"user": chair, "reset_url": "https://example.org/reset"},
            language="fr",  # what the message would be in for whoever has no language of their own
        )
    by_recipient = {email.recipient: email for email in emails}
    assert '<html lang="ar"' in by_recipient[chair.email].body_html
    assert '<html lang="zh-hans"' in by_recipient[vice_chair.email].body_html
    assert '<html lang="fr"' in by_recipient["someone@example.org"].body_html
    assert '<html lang="fr"' in by_recipient[oct_officer.email].body_html  # no choice of their own
    assert recipient_languages(["CHAIR@example.org".lower(), "nobody@example.org"]) == {
        "chair@example.org": recipient_languages([chair.email])[chair.email.lower()],
        "nobody@example.org": "en",
    }
    assert len(mail.outbox) == 0  # queued, not sent, until the transaction's commit and the worker


# --- The calendar feed --------------------------------------------------------------------------------


def test_the_feed_is_in_its_owners_language_whatever_the_calendar_client_asks(time_machine, chair, report_period):
    time_machine.move_to("2026-07-01 12:00Z")
    user_language_set(user=chair, language="fr")
    url = reverse("reporting-feed", args=[calendar_feed_for(user=chair).token])
    response = Client(headers={"accept-language": "en-US"}).get(url)
    assert response["Content-Language"] == "fr"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    due = events[next(uid for uid in events if uid.startswith("submission-"))]
    with translation.override("fr"):
        period = str(report_period.get_kind_display())
        working_group = gettext("Working group: %(group)s") % {"group": ""}
    summary, description = str(due["summary"]), str(due["description"])
    assert period in summary and "due" not in summary.split(), summary
    assert working_group.strip() in description, description
