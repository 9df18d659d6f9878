"""axe-core (Deque's accessibility engine, bundled by axe-playwright-python) on a page in Chromium.

``axe_violations(page)`` returns the rules the page breaks, each with the elements that break
it, ready for ``assert ... == []``. The script is injected through the DevTools protocol, so the
page's Content-Security-Policy (no inline or foreign script) does not stop it and is not
loosened for it."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()


def axe_violations(page: Any, *, within: str | None = None) -> list[str]:
    """Each violated rule as ``"rule-id (impact): selector, selector"``; ``within`` limits the
    check to a part of the page (a CSS selector)."""
    results = _AXE.run(page, context=within) if within else _AXE.run(page)
    return [
        f"{rule['id']} ({rule.get('impact')}): "
        + ", ".join(" ".join(map(str, node["target"])) for node in rule["nodes"])
        for rule in results.response["violations"]
    ]
