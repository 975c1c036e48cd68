"""The jury package stays pure Python: no Django, so anyone can run the method outside the site."""

import ast
from pathlib import Path

import tabyin.ideas.jury

PACKAGE = Path(tabyin.ideas.jury.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_of_the_jury_imports_django() -> None:
    modules = sorted(PACKAGE.glob("*.py"))

    imports = {p.name: imported_roots(p) for p in modules}

    assert [p.name for p in modules] == [
        "__init__.py",
        "agreement.py",
        "assign.py",
        "inputs.py",
        "normalize.py",
        "ranking.py",
        "types.py",
    ]
    assert set().union(*imports.values()) <= {
        "__future__",
        "ast",
        "choix",
        "collections",
        "dataclasses",
        "datetime",
        "hashlib",
        "hmac",
        "math",
        "numpy",
        "random",
        "scipy",
        "statistics",
        "tabyin",
        "typing",
    }
