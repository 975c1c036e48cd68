"""The Persian catalog: complete, not fuzzy, compiled, and covering every literal in the code.

The catalog is ``src/tabyin/locale/fa/LC_MESSAGES/django.po``; its compiled ``django.mo`` is
committed beside it. After changing strings, run ``makemessages -l fa`` from ``src/tabyin``,
translate, then ``msgfmt --check -o django.mo django.po`` in that folder.
"""

from __future__ import annotations

import ast
import functools
import gettext as gettext_module
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

import tabyin
from tabyin.core.enums import Role

PACKAGE_DIR = Path(tabyin.__file__).resolve().parent
CATALOG_DIR = PACKAGE_DIR / "locale" / "fa" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "django.po"
MO_FILE = CATALOG_DIR / "django.mo"


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{PO_FILE.name}:{self.line} {self.msgid!r}"


def _unquote(text: str, line_number: int) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"{PO_FILE.name}:{line_number}: bad string {text}"
    return ast.literal_eval(text)  # PO escapes (\\n, \\", \\\\) are a subset of Python's


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader: enough for what makemessages writes (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def start(line_number: int) -> Entry:
        nonlocal current
        if current is None or current.msgstr:
            current = Entry(line=line_number)
            entries.append(current)
        return current

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry = start(number)
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path.name}:{number}: stray string"
            name, index = target
            value = _unquote(line, number)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match or keyword == "msgstr":
            assert current is not None, f"{path.name}:{number}: msgstr without msgid"
            index = int(match[1]) if match else 0
            current.msgstr[index] = _unquote(rest, number)
            target = ("msgstr", index)
        elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
            entry = start(number) if keyword != "msgid_plural" else current
            assert entry is not None, f"{path.name}:{number}: msgid_plural without msgid"
            setattr(entry, keyword, _unquote(rest, number))
            target = (keyword, 0)
        else:
            pytest.fail(f"{path.name}:{number}: cannot read line {raw!r}")
    return entries


@functools.cache
def _entries() -> tuple[Entry, ...]:
    assert PO_FILE.is_file(), f"the Persian catalog is missing: {PO_FILE}"
    return tuple(parse_po(PO_FILE))


def _messages() -> list[Entry]:
    return [entry for entry in _entries() if entry.msgid != ""]


def _header() -> dict[str, str]:
    headers = [entry for entry in _entries() if entry.msgid == "" and entry.msgctxt is None]
    assert len(headers) == 1, "the catalog needs exactly one header entry"
    lines = headers[0].msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


# (a) Complete and not fuzzy ------------------------------------------------------------------------


def test_catalog_has_entries_and_a_persian_header() -> None:
    assert len(_messages()) > 50
    header = _header()
    assert header["Language"] == "fa"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_no_entry_is_fuzzy() -> None:
    fuzzy = [entry.label for entry in _entries() if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy entries (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


def test_every_entry_is_translated() -> None:
    untranslated = []
    for entry in _messages():
        expected_forms = {0, 1} if entry.msgid_plural is not None else {0}
        if set(entry.msgstr) != expected_forms or not all(text.strip() for text in entry.msgstr.values()):
            untranslated.append(entry.label)
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


_PLACEHOLDER = re.compile(r"%\((?P<name>[^)]+)\)[sdif]|\{[a-z_]+\}")


def test_translations_keep_the_placeholders() -> None:
    broken = []
    for entry in _messages():
        wanted = sorted(_PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr.values():
            if sorted(_PLACEHOLDER.findall(text)) != wanted:
                broken.append(f"{entry.label} -> {text!r}")
    assert not broken, "placeholders differ between msgid and msgstr:\n" + "\n".join(broken)


# (b) The committed .mo matches the .po -------------------------------------------------------------


def test_compiled_catalog_is_up_to_date(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt (GNU gettext) is not installed; it is needed to check the compiled catalog")
    assert MO_FILE.is_file(), f"no compiled catalog: run `msgfmt -o django.mo django.po` in {CATALOG_DIR}"
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(fresh), str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt --check failed:\n{result.stderr}"

    with MO_FILE.open("rb") as committed, fresh.open("rb") as compiled:
        committed_catalog = gettext_module.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
        compiled_catalog = gettext_module.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = sorted(
        str(key)
        for key in committed_catalog.keys() | compiled_catalog.keys()
        if committed_catalog.get(key) != compiled_catalog.get(key)
    )
    assert not stale, (
        f"{MO_FILE.name} is out of date; recompile it in {CATALOG_DIR}. Differing messages:\n"
        + "\n".join(stale[:20])
    )


# (c) Django serves the translations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "persian"),
    [
        ("Staff log-in", "ورود کارکنان"),
        ("Public-relations analyst", "کارشناس روابط عمومی"),
        ("Too many failed log-ins", "ورود ناموفق بیش از حد"),
        (
            "That code is not right. Check your phone's clock and try the newest code.",
            "این کد درست نیست. ساعت گوشی خود را بررسی کنید و تازه‌ترین کد را وارد کنید.",
        ),
        ("Skip to content", "پرش به محتوا"),
    ],
)
def test_key_strings_in_persian(english: str, persian: str) -> None:
    with translation.override("fa"):
        assert translation.gettext(english) == persian
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_role_label_in_persian() -> None:
    with translation.override("fa"):
        assert str(Role.ANALYST.label) == "کارشناس روابط عمومی"
    with translation.override("en"):
        assert str(Role.ANALYST.label) == "Public-relations analyst"


def test_persian_plural_rule_is_used() -> None:
    plural = next(entry for entry in _messages() if entry.msgid_plural is not None)
    with translation.override("fa"):
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 1) == plural.msgstr[0]
        assert translation.ngettext(plural.msgid, plural.msgid_plural, 2) == plural.msgstr[1]


# (d) Every literal in the code is in the catalog --------------------------------------------------

_LITERAL = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
# gettext_lazy("..."), gettext("..."), _("...") with one literal or several adjacent ones (implicit
# concatenation); not ngettext/pgettext (other arguments) or f-strings.
_PYTHON_CALL = re.compile(
    r"(?<![\w])(?:gettext_lazy|gettext|_)\(\s*(?P<literals>(?:" + _LITERAL + r"\s*)+)[,)]"
)
_TEMPLATE_TAG = re.compile(r"\{%\s*(?:translate|trans)\s+(?P<literal>" + _LITERAL + ")")


def _literals_in_code() -> dict[str, str]:
    """msgid -> first place it occurs. blocktranslate blocks are left to makemessages."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _PYTHON_CALL.finditer(text):
            msgid = ast.literal_eval(f"({match['literals']})")
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(msgid, f"{path.relative_to(PACKAGE_DIR)}:{line}")
    for path in sorted(PACKAGE_DIR.rglob("*.html")):
        if "static" in path.relative_to(PACKAGE_DIR).parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _TEMPLATE_TAG.finditer(text):
            # Template strings are taken as written (no escapes); makemessages doubles a "%".
            msgid = match["literal"][1:-1].replace("%", "%%")
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(msgid, f"{path.relative_to(PACKAGE_DIR)}:{line}")
    return found


def test_literal_scan_finds_the_known_strings() -> None:
    literals = _literals_in_code()
    assert "Public-relations analyst" in literals  # python, gettext_lazy as _
    assert "That code is not right. Check your phone's clock and try the newest code." in literals
    assert "Skip to content" in literals  # template, double quotes
    assert "Staff" in literals  # template, single quotes


def test_every_literal_in_the_code_is_in_the_catalog() -> None:
    msgids = {entry.msgid for entry in _messages()}
    literals = _literals_in_code()
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in literals.items() if msgid not in msgids)
    assert not missing, (
        "strings missing from the Persian catalog; run makemessages -l fa in src/tabyin and translate:\n"
        + "\n".join(missing)
    )


def test_translation_functions_are_imported_under_names_makemessages_knows() -> None:
    """makemessages (xgettext) extracts calls of _, gettext, gettext_lazy, ngettext…, not of an
    alias such as ``gettext_lazy as _lazy``: such strings never reach the catalog and stay English."""
    alias = re.compile(r"import\s+(?:\w*gettext\w*)\s+as\s+(?P<name>\w+)")
    found = [
        f"{path.relative_to(PACKAGE_DIR)}: as {match['name']}"
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        for match in alias.finditer(path.read_text(encoding="utf-8"))
        if match["name"] != "_"
    ]
    assert not found, found
