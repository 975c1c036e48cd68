"""docs/settings.md documents every environment variable of ``TabyinEnv``, with the code's type and default.

The table rows are the lines that start with "| `". Cells are compared after removing backticks.
The rendering rules below are the ones the document follows; change both together.
"""

from __future__ import annotations

import typing
from pathlib import Path

from tabyin.config.env import TabyinEnv, env_name

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
HEADER = "| Variable | Type | Default | Meaning |"


def render_type(annotation: object) -> str:
    """str, bool, int, path, list, or "choice of a, b" for a Literal."""
    if typing.get_origin(annotation) is typing.Literal:
        return "choice of " + ", ".join(str(choice) for choice in typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        return "list"
    names = {str: "str", bool: "bool", int: "int", Path: "path"}
    assert annotation in names, f"no rendering rule for the type {annotation!r}: add one here"
    return names[annotation]  # type: ignore[index]


def render_default(value: object) -> str:
    """Empty string -> (empty), bool -> true/false, list -> comma-joined, else (Path, int, str) -> str."""
    if value in ("", []):
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def code_rows() -> dict[str, tuple[str, str]]:
    return {
        env_name(name): (render_type(field.annotation), render_default(field.default))
        for name, field in TabyinEnv.model_fields.items()
    }


def doc_rows() -> dict[str, tuple[str, str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    assert HEADER in lines, f"{DOC} has no table header {HEADER!r}"
    rows: dict[str, tuple[str, str]] = {}
    for line in lines:
        if not line.startswith("| `"):
            continue
        cells = [cell.strip().replace("`", "") for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, f"a row needs 4 cells (no '|' inside a cell): {line}"
        variable, type_, default, meaning = cells
        assert variable not in rows, f"{variable} is documented twice"
        assert meaning, f"{variable} has no meaning"
        rows[variable] = (type_, default)
    return rows


def test_every_variable_is_documented_and_nothing_else() -> None:
    assert set(doc_rows()) == set(code_rows())


def test_documented_types_match_the_code() -> None:
    documented, code = doc_rows(), code_rows()

    for variable in sorted(documented.keys() & code.keys()):
        assert documented[variable][0] == code[variable][0], variable


def test_documented_defaults_match_the_code() -> None:
    documented, code = doc_rows(), code_rows()

    for variable in sorted(documented.keys() & code.keys()):
        assert documented[variable][1] == code[variable][1], variable


def test_rendering_rules() -> None:
    assert render_default("") == "(empty)"
    assert render_default(False) == "false"
    assert render_default(["a", "b"]) == "a,b"
    assert render_default(Path("var")) == "var"
    assert render_default(4) == "4"
    assert render_type(typing.Literal["fa", "en"]) == "choice of fa, en"
    assert render_type(list[str]) == "list"
