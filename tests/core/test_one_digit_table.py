"""One digit table: only core's display kit and text normaliser may map digits between scripts.

A module elsewhere that builds its own table (``str.maketrans("0123456789", "۰۱۲۳…")``, a string
of Persian or Arabic-Indic digits, a per-language number or percent formatter) drifts from the
others: that is how the charts came to disagree on the minus sign. Use ``core.display.numbers``.
"""

from __future__ import annotations

import re
from pathlib import Path

import tabyin

SRC = Path(tabyin.__file__).parent
# The modules that own digit tables: the normaliser (parsing) and the display kit (showing).
OWNERS = {SRC / "core" / "persian_text.py", SRC / "core" / "display" / "numbers.py"}

# A digit alphabet («۰۱۲…» or «٠١٢…»), a translate table from ASCII digits, a mapping of one
# digit to another, or code-point arithmetic from the first Persian/Arabic-Indic digit.
DIGIT_RUN = re.compile(
    r"\u06f0\u06f1\u06f2|\u0660\u0661\u0662|maketrans\(\s*[\"']0123456789"
    r"|[\"']0[\"']\s*:\s*[\"'][\u06f0\u0660]|0x0?6[fF]0|0x0?660"
)
# Hand-made number punctuation: the Persian separators or percent sign as a replacement target.
PUNCTUATION = re.compile(r"""replace\(\s*["'][.,%]["']\s*,\s*["'][\u066a\u066b\u066c]["']""")


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """Source lines outside docstrings and comments (sample texts in strings may hold numbers)."""
    lines = []
    in_doc = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        quotes = stripped.count('"""') + stripped.count("'''")
        if in_doc or stripped.startswith(('"""', "'''", "#")):
            if quotes % 2 == 1:
                in_doc = not in_doc
            continue
        lines.append((number, line.split("  #")[0]))
    return lines


def offenders(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path in OWNERS or "migrations" in path.parts:
            continue
        for number, line in _code_lines(path):
            if DIGIT_RUN.search(line) or PUNCTUATION.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_module_outside_core_defines_its_own_digit_table() -> None:
    assert offenders() == []


def test_the_check_finds_a_private_table(tmp_path: Path) -> None:
    (tmp_path / "charts.py").write_text(
        '"""A chart: ۰۱۲۳ in the docstring is fine."""\n'
        "# so is ۰۱۲۳۴ in a comment\n"
        '_FA = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")\n'
        'SAMPLE = "ساعت ۱۲۳۴ و ۰۹۱۲۰۰۰۰۰۰۰"\n'
        'DIGITS = {"0": "۰"}\n'
        'text = value.replace(".", "٫")\n',
        encoding="utf-8",
    )
    assert offenders(tmp_path) == [
        'charts.py:3: _FA = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")',
        'charts.py:5: DIGITS = {"0": "۰"}',
        'charts.py:6: text = value.replace(".", "٫")',
    ]
