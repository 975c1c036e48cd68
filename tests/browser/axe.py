"""axe-core in the browser tests: the engine comes from the ``axe-playwright-python`` package (a
dev dependency pinned in uv.lock with its hash), is evaluated in the page by Playwright and is
never served to visitors or fetched from a CDN."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import axe_playwright_python
from playwright.sync_api import Page

# WCAG 2.1 levels A and AA (the product's bar), nothing from best-practice or experimental rules.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@cache
def axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_version(page: Page) -> str:
    inject(page)
    return str(page.evaluate("axe.version"))


def inject(page: Page) -> None:
    # evaluate() runs outside the page's Content-Security-Policy (which allows no inline script).
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())


def violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations on the page as it is now, one short dict per rule."""
    inject(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(WCAG_TAGS),
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": [" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
            "why": v["nodes"][0]["failureSummary"].splitlines()[:3] if v["nodes"] else [],
        }
        for v in result["violations"]
    ]
