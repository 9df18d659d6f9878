"""Issue 14, hole 3: guessing passwords and API tokens, and asking which addresses exist.

An attacker sent 40 wrong passwords for the USG, then the right one, and was signed in; the
same with 40 bad API tokens. Now five wrong passwords for one account from one address lock
that account out at that address for 15 minutes (django-axes, counted in the database), ten
bad tokens from one address are answered 429 with Retry-After, each lockout is an audit row
that OCT sees with the lockouts in force on the system page, where OCT can lift one. The
password reset page did twice the work for an address with an account: now the request only
records the address and the worker does the rest.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compact.accounts.models import PasswordResetRequest
from compact.core.models import AuditEvent, OutboundEmail
from compact.registry.services import person_create
from compact.tasks import emails_send_pending_task, password_reset_send_task
from config.celery import app as celery_app
from tests.helpers import deliver_emails
from tests.test_celery_worker import module_worker, wait_for, worker  # noqa: F401  (the worker fixtures)

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.20"
PASSWORD = "pw"  # the personas' password (tests/conftest.py)
WRONG = "Correct-Horse-Battery-7"
START = datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)
# What differs between two identical requests' SQL: the time and the savepoints' names.
VARYING = re.compile(r"'\d{4}-\d\d-\d\d[T ][0-9:.+]+'(::timestamptz)?|\"s\d+_x\d+\"")


def browser(address: str = ATTACKER) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str, path: str = "/accounts/login/") -> object:
    return client.post(path, {"username": username, "password": password})


def guess(username: str, times: int, *, address: str = ATTACKER, path: str = "/accounts/login/") -> None:
    client = browser(address)
    for _ in range(times):
        sign_in(client, username, WRONG, path)


def signed_in_as(client: Client, user: object) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


# --- Sign-in pages ---------------------------------------------------------------------------


def test_forty_wrong_passwords_then_the_right_one_is_refused_on_the_sign_in_page(usg):
    guess("usg", 40)
    client = browser()
    response = sign_in(client, "usg", PASSWORD)
    assert response.status_code == 429
    assert not signed_in_as(client, usg)
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    page = response.content.decode()
    assert "Signing in is paused" in page and "oct-secretariat@localhost" in page


def test_forty_wrong_passwords_then_the_right_one_is_refused_on_the_admin_sign_in(roster):
    admin = person_create(
        username="sysadmin", email="sysadmin@example.org", first_name="Sys", last_name="Admin",
        password=PASSWORD, is_staff=True, actor=None,
    )  # fmt: skip
    guess("sysadmin", 40, path="/admin/login/")
    client = browser()
    response = sign_in(client, "sysadmin", PASSWORD, "/admin/login/")
    assert response.status_code == 429
    assert not signed_in_as(client, admin)


def test_the_lockout_ends_after_the_cool_off(usg, time_machine):
    time_machine.move_to(START)
    guess("usg", 5)
    time_machine.move_to(START + datetime.timedelta(minutes=14))
    assert sign_in(browser(), "usg", PASSWORD).status_code == 429
    time_machine.move_to(START + datetime.timedelta(minutes=15, seconds=1))
    client = browser()
    assert sign_in(client, "usg", PASSWORD).status_code == 302
    assert signed_in_as(client, usg)


def test_attempts_refused_during_a_lockout_do_not_extend_it(usg, time_machine):
    time_machine.move_to(START)
    guess("usg", 5)
    time_machine.move_to(START + datetime.timedelta(minutes=10))
    guess("usg", 20)
    time_machine.move_to(START + datetime.timedelta(minutes=15, seconds=1))
    assert sign_in(browser(), "usg", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_the_account(usg):
    guess("usg", 4)
    assert sign_in(browser(), "usg", PASSWORD).status_code == 302


def test_guessing_from_one_address_does_not_lock_the_usg_out_from_another(usg):
    guess("usg", 40)
    client = browser(ELSEWHERE)
    assert sign_in(client, "usg", PASSWORD).status_code == 302
    assert signed_in_as(client, usg)


def test_guessing_one_account_does_not_lock_other_accounts_at_that_address(usg, oct_officer):
    guess("usg", 40)
    client = browser()
    assert sign_in(client, "officer", PASSWORD).status_code == 302
    assert signed_in_as(client, oct_officer)


def test_a_successful_sign_in_clears_the_failures_at_that_address(usg):
    for _ in range(2):
        guess("usg", 4)
        client = browser()
        assert sign_in(client, "usg", PASSWORD).status_code == 302
        client.post(reverse("logout"))
    assert not AccessAttempt.objects.exists()


def test_a_username_in_other_cases_counts_for_the_same_account(usg):
    for username in ("USG", "Usg", "uSG", " usg ", "USG"):
        guess(username, 1)
    assert sign_in(browser(), "usg", PASSWORD).status_code == 429


def test_wrong_current_passwords_on_the_password_change_page_lock_out_too(usg):
    client = browser()
    client.force_login(usg)
    change = {"new_password1": "Kestrel-Harbour-81", "new_password2": "Kestrel-Harbour-81"}
    for _ in range(5):
        client.post(reverse("password_change"), {"old_password": WRONG, **change})
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, **change})
    assert response.status_code == 429
    usg.refresh_from_db()
    assert usg.check_password(PASSWORD)
    attempt = AccessAttempt.objects.get()
    assert WRONG not in attempt.post_data and "Kestrel" not in attempt.post_data


class UnreachableCache(BaseCache):
    """A cache whose server is down: every operation fails."""

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)

    def __getattribute__(self, name: str) -> object:
        if name in {"get", "set", "add", "incr", "delete", "get_many", "set_many", "touch", "has_key", "clear"}:
            raise ConnectionError(f"cache.{name}: the cache server is down")
        return super().__getattribute__(name)


def test_sign_in_and_its_lockouts_do_not_use_the_cache(usg, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.UnreachableCache"}}
    with pytest.raises(ConnectionError):
        caches["default"].get("anything")
    guess("usg", 5)
    assert sign_in(browser(), "usg", PASSWORD).status_code == 429
    client = browser(ELSEWHERE)
    assert sign_in(client, "usg", PASSWORD).status_code == 302 and signed_in_as(client, usg)


def test_the_admins_password_change_leads_to_the_counted_page(oct_officer):
    client = browser()
    client.force_login(oct_officer)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


# --- IPv6: one host holds a whole /64, so a /64 counts as one address ----------------------------

NETWORK_64 = "2001:db8:1:2::"  # how a lockout of any address of 2001:db8:1:2::/64 is recorded


def address_in_64(n: int, network: str = "2001:db8:1:2") -> str:
    return f"{network}:{n:x}:{n:x}:{n:x}:{n:x}"


def guess_from_each(username: str, addresses: list[str]) -> None:
    for address in addresses:
        guess(username, 1, address=address)


def test_five_wrong_passwords_from_five_addresses_of_one_ipv6_64_lock_out_the_whole_64(usg):
    guess_from_each("usg", [address_in_64(n) for n in range(1, 6)])
    client = browser(address_in_64(6))
    response = sign_in(client, "usg", PASSWORD)
    assert response.status_code == 429
    assert not signed_in_as(client, usg)
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Signing in is paused" in response.content.decode()


def test_a_lockout_of_one_ipv6_64_does_not_reach_the_next_64(usg):
    guess_from_each("usg", [address_in_64(n) for n in range(1, 6)])
    assert sign_in(browser(address_in_64(6)), "usg", PASSWORD).status_code == 429
    client = browser(address_in_64(1, network="2001:db8:1:3"))
    assert sign_in(client, "usg", PASSWORD).status_code == 302
    assert signed_in_as(client, usg)


def test_ipv4_addresses_are_still_counted_one_by_one_unlike_an_ipv6_64(usg):
    guess_from_each("usg", [address_in_64(n) for n in range(1, 6)])
    guess_from_each("usg", [f"203.0.113.{n}" for n in range(1, 6)])
    assert sign_in(browser(address_in_64(6)), "usg", PASSWORD).status_code == 429
    client = browser("203.0.113.6")
    assert sign_in(client, "usg", PASSWORD).status_code == 302
    assert signed_in_as(client, usg)
    ipv4_addresses = {f"203.0.113.{n}" for n in range(1, 6)}
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {NETWORK_64, *ipv4_addresses}


def test_an_ipv4_mapped_ipv6_address_counts_as_its_ipv4_address(usg):
    guess("usg", 3, address=ATTACKER)
    guess("usg", 2, address=f"::ffff:{ATTACKER}")
    assert sign_in(browser(ATTACKER), "usg", PASSWORD).status_code == 429
    assert sign_in(browser(f"::ffff:{ATTACKER}"), "usg", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    client = browser("::ffff:203.0.113.67")  # mapped addresses are not lumped together as one /64
    assert sign_in(client, "usg", PASSWORD).status_code == 302
    assert signed_in_as(client, usg)


def test_oct_sees_and_lifts_an_ipv6_lockout_as_its_64(usg, oct_officer, client_for):
    guess_from_each("usg", [address_in_64(n) for n in range(1, 6)])
    (row,) = AuditEvent.objects.filter(verb="security.lockout")
    assert row.after["ip_address"] == NETWORK_64 and row.after["failures"] == 5
    page = client_for(oct_officer).get(reverse("system-status"))
    (lockout,) = page.context["lockouts"]
    assert (lockout.username, lockout.ip_address, lockout.failures) == ("usg", NETWORK_64, 5)
    assert NETWORK_64 in page.content.decode()
    response = client_for(oct_officer).post(reverse("lockout-clear"), {"username": "usg", "ip_address": NETWORK_64})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    (cleared,) = AuditEvent.objects.filter(verb="security.lockout_cleared")
    assert cleared.after["ip_address"] == NETWORK_64
    assert sign_in(browser(address_in_64(6)), "usg", PASSWORD).status_code == 302


# --- Telling OCT ---------------------------------------------------------------------------------


def test_a_lockout_is_one_audit_row_without_the_password(usg):
    guess("usg", 40)
    (row,) = AuditEvent.objects.filter(verb="security.lockout")
    assert row.actor is None and row.object_id == str(usg.pk)
    assert row.after == {
        "account": "usg",
        "ip_address": ATTACKER,
        "failures": 5,
        "channel": "sign-in",
        "page": "/accounts/login/",
    }
    assert WRONG not in json.dumps([row.before, row.after, row.note, row.object_repr])


def test_a_password_typed_as_the_username_is_neither_audited_nor_shown_to_oct(oct_officer, client_for):
    guess(WRONG, 5)
    (row,) = AuditEvent.objects.filter(verb="security.lockout")
    assert row.after["account"] is None and row.object_id == ""
    assert WRONG not in json.dumps([row.before, row.after, row.note, row.object_repr])
    page = client_for(oct_officer).get(reverse("system-status"))
    (lockout,) = page.context["lockouts"]
    assert lockout.username is None and lockout.ip_address == ATTACKER
    assert WRONG.lower() not in page.content.decode().lower()


def test_oct_sees_the_lockouts_in_force_on_the_system_page(usg, oct_officer, client_for, time_machine):
    time_machine.move_to(START, tick=False)
    guess("usg", 5)
    response = client_for(oct_officer).get(reverse("system-status"))
    (lockout,) = response.context["lockouts"]
    assert (lockout.username, lockout.ip_address, lockout.failures) == ("usg", ATTACKER, 5)
    assert lockout.account == usg and lockout.locked_until == START + datetime.timedelta(minutes=15)
    assert ATTACKER in response.content.decode()
    time_machine.move_to(START + datetime.timedelta(minutes=16))
    assert client_for(oct_officer).get(reverse("system-status")).context["lockouts"] == []


def test_oct_lifts_a_lockout_and_it_is_audited(usg, oct_officer, client_for):
    guess("usg", 5)
    response = client_for(oct_officer).post(reverse("lockout-clear"), {"username": "usg", "ip_address": ATTACKER})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    (row,) = AuditEvent.objects.filter(verb="security.lockout_cleared")
    assert row.actor == oct_officer and row.after["ip_address"] == ATTACKER and row.after["account"] == "usg"
    assert sign_in(browser(), "usg", PASSWORD).status_code == 302


@pytest.mark.parametrize("persona", ["usg", "committee_member", "outsider"])
def test_only_oct_lifts_a_lockout(persona, request, client_for):
    user = request.getfixturevalue(persona)
    guess("usg", 5)
    response = client_for(user).post(reverse("lockout-clear"), {"username": "usg", "ip_address": ATTACKER})
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="usg").exists()
    assert not AuditEvent.objects.filter(verb="security.lockout_cleared").exists()


def test_lifting_a_lockout_takes_a_post(usg, oct_officer, client_for):
    guess("usg", 5)
    before = list(AccessAttempt.objects.order_by("pk").values())
    lift = {"username": "usg", "ip_address": ATTACKER}
    assert client_for(oct_officer).get(reverse("lockout-clear"), lift).status_code == 405
    assert list(AccessAttempt.objects.order_by("pk").values()) == before  # still locked out
    assert not AuditEvent.objects.filter(verb="security.lockout_cleared").exists()


# --- API tokens ----------------------------------------------------------------------------------


def token_client(key: str, address: str = ATTACKER) -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_forty_bad_tokens_are_answered_429_with_retry_after(usg, time_machine):
    time_machine.move_to(START, tick=False)  # all in one rate-limit window
    statuses = []
    for attempt in range(40):
        response = token_client(f"{attempt:040x}").get("/api/v1/entities/")
        statuses.append(response.status_code)
    assert statuses == [401] * 9 + [429] * 31
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    (row,) = AuditEvent.objects.filter(verb="security.lockout")
    assert row.after == {
        "account": None,
        "ip_address": ATTACKER,
        "failures": 10,
        "channel": "api",
        "page": "/api/v1/entities/",
    }


def test_a_valid_token_from_a_locked_address_is_refused_until_the_window_ends(usg, time_machine):
    time_machine.move_to(START, tick=False)
    key = Token.objects.create(user=usg).key
    for attempt in range(10):
        token_client(f"{attempt:040x}").get("/api/v1/entities/")
    assert token_client(key).get("/api/v1/entities/").status_code == 429
    assert token_client(key, ELSEWHERE).get("/api/v1/entities/").status_code == 200
    time_machine.move_to(START + datetime.timedelta(minutes=15, seconds=1))
    assert token_client(key).get("/api/v1/entities/").status_code == 200


def test_with_the_cache_down_tokens_are_checked_without_a_limit(usg, monkeypatch, caplog):
    def cache_down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("compact.accounts.authentication.get_usage", cache_down)
    key = Token.objects.create(user=usg).key
    assert token_client(key).get("/api/v1/entities/").status_code == 200
    assert token_client("0" * 40).get("/api/v1/entities/").status_code == 401
    assert "the cache is unavailable" in caplog.text


# --- Password reset ------------------------------------------------------------------------------


def ask_for_reset(email: str, address: str = ATTACKER) -> tuple[object, list[str], int]:
    """POST the reset form; returns the response, the SQL it ran (the address and what varies
    blanked) and the number of callbacks it left for after the commit."""
    client = browser(address)
    with CaptureQueriesContext(connection) as queries, TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(reverse("password_reset"), {"email": email})
    statements = [VARYING.sub("<varies>", query["sql"].replace(email, "<email>")) for query in queries]
    return response, statements, len(callbacks)


def test_a_known_and_an_unknown_address_get_the_same_answer_for_the_same_work(usg):
    known = ask_for_reset(usg.email)
    unknown = ask_for_reset("nobody@example.org", ELSEWHERE)
    for answer in (known[0], unknown[0]):
        assert (answer.status_code, answer["Location"]) == (302, reverse("password_reset_done"))
    assert known[0].content == unknown[0].content
    assert known[1] == unknown[1] and known[2] == unknown[2] == 1
    assert PasswordResetRequest.objects.count() == 2
    assert not OutboundEmail.objects.exists()  # nothing is looked up or queued in the request


def test_the_reset_email_arrives_once_through_the_worker(usg):
    ask_for_reset(usg.email.upper())
    reset = PasswordResetRequest.objects.get()
    password_reset_send_task(reset.pk)
    password_reset_send_task(reset.pk)  # delivered twice: sent once
    (message,) = deliver_emails()
    assert message.to == [usg.email]
    assert not PasswordResetRequest.objects.exists()
    link = re.search(r"https?://[^/\s]+(/accounts/password/set/\S+)", message.body).group(1)
    client = browser()
    form = client.get(link, follow=True).redirect_chain[-1][0]
    new = "Kestrel-Harbour-81"
    assert client.post(form, {"new_password1": new, "new_password2": new}).status_code == 302
    usg.refresh_from_db()
    assert usg.check_password(new)


def test_an_unknown_address_gets_no_email_and_is_forgotten(roster):
    ask_for_reset("nobody@example.org")
    password_reset_send_task(PasswordResetRequest.objects.get().pk)
    assert deliver_emails() == [] and not PasswordResetRequest.objects.exists()


def test_the_reset_is_handed_to_the_worker_after_the_commit(usg, monkeypatch, django_capture_on_commit_callbacks):
    handed = []
    monkeypatch.setattr("compact.accounts.services.task_publish", lambda task, *args, **_: handed.append((task, args)))
    with django_capture_on_commit_callbacks(execute=True):
        browser().post(reverse("password_reset"), {"email": usg.email})
    ((task, args),) = handed
    assert args == (PasswordResetRequest.objects.get().pk,)
    assert task.name == password_reset_send_task.name and task.name in celery_app.tasks


@pytest.mark.long
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reset_once(usg, worker):  # noqa: F811  (the imported fixture)
    worker.wait_ready()
    assert browser().post(reverse("password_reset"), {"email": usg.email}).status_code == 302
    sent = OutboundEmail.objects.filter(recipient=usg.email, sent_at__isnull=False)
    if not wait_for(sent.exists, seconds=30):
        worker.fail("the reset e-mail was not sent")
    assert not PasswordResetRequest.objects.exists()
    assert OutboundEmail.objects.filter(recipient=usg.email).count() == 1


def test_the_minute_sweep_sends_resets_the_broker_never_delivered(usg):
    ask_for_reset(usg.email)  # the task queued after the commit never runs here
    emails_send_pending_task()
    assert [m.to for m in mail.outbox] == [[usg.email]]


def test_resets_for_one_address_are_rate_limited_with_the_same_answer(usg, time_machine):
    time_machine.move_to(START, tick=False)  # all in one rate-limit window
    answers = [ask_for_reset(usg.email, f"192.0.2.{n}")[0] for n in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, reverse("password_reset_done"))}
    assert PasswordResetRequest.objects.count() == 3


def test_resets_from_one_client_address_are_rate_limited(roster, time_machine):
    time_machine.move_to(START, tick=False)  # all in one rate-limit window
    for n in range(25):
        ask_for_reset(f"someone{n}@example.org")
    assert PasswordResetRequest.objects.count() == 20


def test_a_signon_request_keeps_the_exact_address_while_lockouts_count_its_64(rf):
    from compact.accounts.authentication import client_address, lockout_address

    request = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert (client_address(request), lockout_address(request)) == ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::")
    mapped = rf.get("/", REMOTE_ADDR="::ffff:192.0.2.7")
    assert client_address(mapped) == lockout_address(mapped) == "192.0.2.7"
