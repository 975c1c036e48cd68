"""Every file, folder and module the architecture pages name exists, so a move cannot leave them stale.

A name is what a page sets in backticks and reads as a file or folder (``monitor/alerts/services.py``,
``sources/``, ``brief.html``: a last part with a file suffix, or a trailing slash) or a dotted module
(``tabyin.monitor.alerts.tasks``, optionally followed by a function or class of it). Placeholders
(``<app>``, ``tasks*.py``), addresses, time zones and anything with a space are prose, not names.
A path is looked for from the repository, ``src/`` and ``src/tabyin/``; a partial one (``rss/feed.py``
on the monitor page) must be the end of some file's or folder's path in ``src/``, ``tests/`` or
``benchmarks/``. The module page names addresses with slashes (``staff/monitor/sources/``), so
there only names with a suffix count.
"""

from __future__ import annotations

import importlib
import re
from importlib import util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["docs/architecture.md", "docs/modules/monitor.md", "CONTRIBUTING.md"]
TICKED = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?$")
DOTTED = re.compile(r"^tabyin(\.[A-Za-z_][A-Za-z0-9_]*)+$")
SUFFIXES = {"py", "html", "txt", "css", "md", "toml", "json", "jsonl", "yaml", "po", "sh", "cfg"}
# Named on purpose but never in the tree: the default data directory and files the running site
# makes there, and the example source list in ../shared/data/persian/news_sources/ (not shipped).
NOT_IN_TREE = {"./var", "tabyin.sqlite3", "scheduler.lock", "feeds_and_channels.example.yaml"}
BASES = [ROOT, ROOT / "src", ROOT / "src" / "tabyin"]
TREE = sorted(
    "/" + str(found.relative_to(ROOT))
    for top in ("src", "tests", "benchmarks")
    for found in (ROOT / top).rglob("*")
    if "__pycache__" not in found.parts
)


def names(page: str) -> tuple[list[str], list[str]]:
    paths, modules = [], []
    for found in TICKED.findall((ROOT / page).read_text(encoding="utf-8")):
        if DOTTED.match(found):
            modules.append(found)
        elif PATH.match(found) and (found.endswith("/") or found.rsplit(".", 1)[-1] in SUFFIXES):
            if found.endswith("/") and page.startswith("docs/modules/"):
                continue
            paths.append(found)
    return paths, modules


def path_exists(name: str) -> bool:
    if name in NOT_IN_TREE or any((base / name.rstrip("/")).exists() for base in BASES):
        return True
    tail = "/" + name.rstrip("/").removeprefix("./")
    return any(found.endswith(tail) for found in TREE)


def module_exists(dotted: str) -> bool:
    """The longest importable prefix is a module; what follows must be its attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        try:
            spec = util.find_spec(module)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        found: object = importlib.import_module(module)
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


@pytest.mark.parametrize("page", PAGES)
def test_every_path_a_page_names_exists(page: str) -> None:
    paths, _ = names(page)
    assert len(paths) > 2, "the pattern no longer finds the page's paths"
    assert [name for name in paths if not path_exists(name)] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_module_a_page_names_exists(page: str) -> None:
    _, modules = names(page)
    assert [name for name in modules if not module_exists(name)] == []


def test_a_stale_path_is_caught() -> None:
    assert path_exists("monitor/alerts/services.py")
    assert path_exists("rss/feed.py")
    assert not path_exists("monitor/services_alerts.py")
    assert not path_exists("services_alerts.py")
    assert module_exists("tabyin.monitor.alerts.tasks.deliver_alert")
    assert not module_exists("tabyin.monitor.tasks_alerts")
