"""Every e-mail says what it is about: each ``email_queue`` call in the code names a category
that exists, so that people's choices apply to it."""

from __future__ import annotations

import ast
from pathlib import Path

from compact.core.categories import REQUIRED_CATEGORIES, Delivery, EmailCategory, delivery_of, is_required

ROOT = Path(__file__).resolve().parents[3]
CODE = ["compact", "reporting", "workinggroups", "portal", "config"]


def email_queue_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == (
                    "email_queue"
                ):
                    calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def test_the_scan_finds_the_calls():
    # Guard against a scan that finds nothing and so passes whatever the code does.
    assert len(email_queue_calls()) >= 20


def test_every_email_queue_call_names_a_category_that_exists():
    missing = []
    for where, call in email_queue_calls():
        keyword = next((k for k in call.keywords if k.arg == "category"), None)
        if keyword is None:
            missing.append(f"{where}: no category")
            continue
        for name in _category_names(keyword.value):
            if name not in EmailCategory.__members__:
                missing.append(f"{where}: EmailCategory.{name} does not exist")
    assert missing == []


def _category_names(node: ast.expr) -> list[str]:
    """The ``EmailCategory.X`` members an expression names (a conditional names two)."""
    names = [
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and getattr(n.value, "id", "") == ("EmailCategory")
    ]
    assert names, f"category is not an EmailCategory member: {ast.unparse(node)}"
    return names


def test_deadlines_and_account_emails_are_required_and_others_are_not():
    assert {EmailCategory.DEADLINES, EmailCategory.ACCOUNT} <= REQUIRED_CATEGORIES
    assert not is_required(EmailCategory.EXTENSIONS)
    assert delivery_of({"deadlines": "off"}, EmailCategory.DEADLINES) == Delivery.IMMEDIATELY
    assert delivery_of({"extensions": "off"}, EmailCategory.EXTENSIONS) == Delivery.OFF
    assert delivery_of({"extensions": "weekly"}, EmailCategory.EXTENSIONS) == Delivery.IMMEDIATELY
    assert delivery_of({}, EmailCategory.MEETINGS) == Delivery.IMMEDIATELY
