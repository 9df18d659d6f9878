"""The load test's users: people who sign in once through the real sign-in form, then browse.

    locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8765

Run by bench/load/run.py, which builds the database, starts gunicorn and writes the accounts
file that ``LOAD_ACCOUNTS`` names (a JSON object: persona -> list of accounts; the chairs'
accounts carry the draft they lead). Every simulated user takes an account of its own, so two
users never share a session, a draft or django-axes' failure count.

Personas (weights as the people who use the tracker most during a reporting round):

- **OCT officer** (3): the home page and its task inbox, the matrix list with and without
  filters, the matrix API, a project page, the reporting page, the working groups, notifications.
- **Working-group chair** (as many as there are open drafts, at most 12): the home page, their report editor
  (``reporting-submission-edit``) and its automatic save (a POST with the CSRF token, as
  autosave.js sends it), the reporting page, the working groups, notifications.
- **Committee member or focal point** (2): the home page, the matrix list and a project page,
  the working groups, the reporting page, notifications.

Think time: 1 to 5 seconds between requests (uniform), as someone reading a page and clicking
on. A browser fetches the pages' CSS and scripts once (then caches them): each user does so
after signing in, under the name "static (once)".
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import defaultdict
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

ACCOUNTS: dict[str, list[dict[str, Any]]] = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
TAKEN: dict[str, count] = defaultdict(count)
FILTERS = ["country=JO&pillar=I&status=ongoing", "status=completed", "pillar=IV&country=IQ", "q=border"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATIC = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')

SIGN_IN_FORM = "sign-in form"
SIGN_IN = "sign-in (POST, PBKDF2)"
STATIC_ONCE = "static (once)"


class EditorForm(HTMLParser):
    """The fields of the report editor's form (``id="editor"``) as the browser would post them,
    and where its automatic save goes."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.autosave_url = ""
        self.text_boxes: list[str] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("id") == "editor":
            self._inside, self.autosave_url = True, a.get("data-autosave-url", "")
        if self._inside and tag == "option" and self._select:
            # The selected option, or the first one (what a browser posts when none is).
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = a.get("value", "")
            return
        if not self._inside or "name" not in a:
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "checkbox", "radio"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
            self.text_boxes.append(a["name"])
        elif tag == "select":
            self._select = a["name"]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


class SignedInUser(HttpUser):
    """Signs in once, through the form, with an account no other simulated user has."""

    abstract = True
    persona = ""
    wait_time = between(1, 5)

    def on_start(self) -> None:
        number = next(TAKEN[self.persona])
        accounts = ACCOUNTS[self.persona]
        if number >= len(accounts):
            raise StopUser(f"only {len(accounts)} {self.persona} accounts")
        self.account = accounts[number]
        form = self.client.get("/accounts/login/", name=SIGN_IN_FORM)
        token = CSRF_INPUT.search(form.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.account["username"],
                "password": self.account["password"],
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name=SIGN_IN,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/accounts/login" in answer.headers.get("Location", ""):
                answer.failure(f"not signed in: HTTP {answer.status_code}")
                raise StopUser()
        home = self.client.get("/", name="home (task inbox)")
        for path in dict.fromkeys(STATIC.findall(home.text)):
            self.client.get(path, name=STATIC_ONCE)

    def csrf_token(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home (task inbox)")

    @task(1)
    def notifications(self) -> None:
        self.client.get("/notifications/", name="notifications")

    @task(1)
    def working_groups(self) -> None:
        self.client.get("/working-groups/", name="working groups")

    @task(1)
    def reporting(self) -> None:
        self.client.get("/reporting/", name="reporting")

    def project(self) -> None:
        pk = random.choice(ACCOUNTS["projects"])["pk"]
        self.client.get(f"/projects/{pk}/", name="project page")


class OctOfficer(SignedInUser):
    persona = "oct"
    weight = 3

    @task(3)
    def matrix(self) -> None:
        self.client.get("/projects/", name="matrix list")

    @task(3)
    def matrix_filtered(self) -> None:
        self.client.get(f"/projects/?{random.choice(FILTERS)}", name="matrix list, filtered")

    @task(2)
    def matrix_api(self) -> None:
        filters = random.choice(["", *FILTERS])
        self.client.get(f"/api/v1/projects/?{filters}", name="matrix API")

    @task(2)
    def project_page(self) -> None:
        self.project()


class Chair(SignedInUser):
    """A chair writing the group's report: opens the editor, types, the editor saves itself."""

    persona = "chair"
    # One chair per open draft (two chairs typing into one draft would make conflicts, not load).
    fixed_count = min(len(ACCOUNTS["chair"]), 12)

    def on_start(self) -> None:
        super().on_start()
        self.editor: EditorForm | None = None
        self.typed = 0

    @task(3)
    def open_editor(self) -> None:
        page = self.client.get(f"/reporting/submissions/{self.account['submission']}/edit/", name="report editor")
        editor = EditorForm()
        editor.feed(page.text)
        usable = editor.autosave_url and editor.text_boxes and "base_revision" in editor.fields
        self.editor = editor if usable else None

    @task(4)
    def autosave(self) -> None:
        if self.editor is None:
            self.open_editor()
            if self.editor is None:
                return
        self.typed += 1
        fields = dict(self.editor.fields)
        box = self.editor.text_boxes[self.typed % len(self.editor.text_boxes)]
        fields[box] = f"{fields[box]} Load-test sentence {self.typed}.".strip()
        with self.client.post(
            self.editor.autosave_url,
            data=fields,
            headers={"X-CSRFToken": self.csrf_token(), "Referer": f"{self.host}/"},
            name="report editor autosave (POST)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:120]}")
                self.editor = None
                return
            self.editor.fields.update(fields, base_revision=str(answer.json()["revision"]))


class Reader(SignedInUser):
    """A Committee member or an entity's focal point."""

    persona = "reader"
    weight = 2

    @task(2)
    def matrix(self) -> None:
        self.client.get("/projects/", name="matrix list")

    @task(1)
    def matrix_filtered(self) -> None:
        self.client.get(f"/projects/?{random.choice(FILTERS)}", name="matrix list, filtered")

    @task(2)
    def project_page(self) -> None:
        self.project()
