"""The estimators are a pure package: importable (and usable) without Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"

CODE = """
import sys
import tabyin.campaigns.effects.estimate, tabyin.campaigns.effects.holdout
import tabyin.campaigns.effects.validation
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(loaded)
"""


def test_the_estimators_import_no_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert done.stdout.strip() == "[]"
