"""The backup drill: `tabyin demo`, `tabyin backup`, `tabyin restore` into empty data directories,
run for real in subprocesses, then every violation report opened by its handlers and the demo
receipt code tried in the restored copy (``backup_drill.py``), compared with the original."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tabyin.core.backup.archive import OpeningReader
from tests.cli_helpers import clean_env, run

# The first test also builds the demo (a minute or two, more on a loaded machine).
pytestmark = [pytest.mark.cli, pytest.mark.timeout(900)]

PASSPHRASE = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


def _drill(data_dir: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "core" / "backup_drill.py")],
        env=clean_env(TABYIN_DATA_DIR=str(data_dir)),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def _members(archive: Path) -> list[str]:
    with (
        archive.open("rb") as source,
        tarfile.open(fileobj=OpeningReader(source, PASSPHRASE), mode="r|gz") as tar,
    ):  # type: ignore[call-overload]
        return [member.name for member in tar]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One demo data directory (it takes a minute or two), its drill, and two archives of it."""
    base = tmp_path_factory.mktemp("backup")
    source = base / "source"
    made = run("demo", "--no-serve", timeout=600, TABYIN_DATA_DIR=str(source))
    assert made.returncode == 0, made.stderr[-3000:]
    passphrase_file = base / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n")
    archives = {}
    for name, extra in (("plain", []), ("with-secret", ["--include-receipt-secret"])):
        archive = base / f"{name}.tbk"
        done = run(
            "backup",
            str(archive),
            "--passphrase-file",
            str(passphrase_file),
            *extra,
            TABYIN_DATA_DIR=str(source),
        )
        assert done.returncode == 0, done.stderr
        archives[name] = archive
    before = _drill(source)
    return {"base": base, "source": source, "archives": archives, "before": before, "pass": passphrase_file}


def _restore(
    demo: dict[str, Any], archive: str, target: Path, *extra: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return run("restore", str(demo["archives"][archive]), *extra, TABYIN_DATA_DIR=str(target), **env)


def test_the_original_opens_every_report_and_the_receipt(demo: dict[str, Any]) -> None:
    """The baseline the restored copies are compared with is itself complete."""
    before = demo["before"]
    assert len(before["reports"]) == 20
    for report, views in before["reports"].items():
        opened = [v for v in views.values() if not v.startswith("refused")]
        assert opened, f"report {report} opened by no demo handler: {views}"
    assert before["receipt"]["opens"] is True
    assert before["receipt"]["messages"], "the demo receipt's report has the handler's reply"


def test_the_receipt_secret_stays_out_unless_asked(demo: dict[str, Any]) -> None:
    plain = _members(demo["archives"]["plain"])
    with_secret = _members(demo["archives"]["with-secret"])

    assert "data/receipt_pepper" not in plain
    assert "data/receipt_pepper" in with_secret
    assert (
        plain[0] == "backup.json" and plain[1] == "database/tabyin.sqlite3" and plain[-1] == "manifest.json"
    )
    assert "data/secret_key" in plain and "data/demo-case-passphrases.txt" in plain
    assert any(name.startswith("data/reports/") for name in plain)
    assert not any(name.startswith(("data/static/", "data/run/")) for name in plain)
    assert not any(name.startswith("data/tabyin.sqlite3") for name in plain)
    assert sorted(set(with_secret) - set(plain)) == ["data/receipt_pepper"]


def test_restore_with_the_kept_receipt_secret_brings_everything_back(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    """The documented path: the operator puts back the receipt secret kept apart, then restores."""
    target = tmp_path / "restored"
    target.mkdir()
    shutil.copy2(demo["source"] / "receipt_pepper", target / "receipt_pepper")

    done = _restore(demo, "plain", target, "--passphrase-file", str(demo["pass"]))

    assert done.returncode == 0, done.stderr
    assert "the receipt secret in place is the one the archived receipts were made with" in done.stdout
    assert done.stderr == ""
    after = _drill(target)
    assert after["reports"] == demo["before"]["reports"]
    assert after["receipt"] == demo["before"]["receipt"]
    assert (target / "secret_key").read_text() == (demo["source"] / "secret_key").read_text()
    assert (target / "secret_key").stat().st_mode & 0o777 == 0o600


def test_restore_without_the_receipt_secret_warns_and_receipts_stay_closed(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "restored"

    done = _restore(demo, "plain", target, TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("WARNING: no receipt secret in place. Put the one you kept at ")
    after = _drill(target)
    assert after["reports"] == demo["before"]["reports"]  # handlers' keys do not depend on it
    assert after["receipt"] == {"opens": False}


def test_an_archive_with_the_receipt_secret_needs_nothing_else(demo: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "restored"

    done = _restore(demo, "with-secret", target, TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert done.returncode == 0, done.stderr
    after = _drill(target)
    assert after["reports"] == demo["before"]["reports"]
    assert after["receipt"] == demo["before"]["receipt"]


def test_a_wrong_passphrase_is_refused_and_changes_nothing(demo: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "restored"

    done = _restore(demo, "plain", target, TABYIN_BACKUP_PASSPHRASE="not the right passphrase")

    assert done.returncode == 2
    assert _one_error_line(done.stderr) == (
        "tabyin: error: wrong passphrase (or the archive's header is damaged): nothing was restored."
    )
    assert list(target.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda size: size // 2, "tabyin: error: the archive is altered or damaged (a part at byte "),
        (lambda size: size - 3, "tabyin: error: the archive is altered or damaged (a part at byte "),
        (lambda size: 12, "tabyin: error: the archive's header is damaged (impossible key-derivation cost)."),
        (lambda size: 30, "tabyin: error: wrong passphrase (or the archive's header is damaged)"),
    ],
    ids=["middle", "last-chunk", "work-factor", "salt"],
)
def test_a_tampered_archive_is_refused_and_changes_nothing(
    demo: dict[str, Any], tmp_path: Path, where: Any, message: str
) -> None:
    tampered = tmp_path / "tampered.tbk"
    data = bytearray(demo["archives"]["plain"].read_bytes())
    data[where(len(data))] ^= 0x40
    tampered.write_bytes(bytes(data))
    target = tmp_path / "restored"

    done = run("restore", str(tampered), TABYIN_DATA_DIR=str(target), TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert done.returncode == 2
    assert _one_error_line(done.stderr).startswith(message)
    assert list(target.iterdir()) == []


def test_a_truncated_archive_is_refused(demo: dict[str, Any], tmp_path: Path) -> None:
    cut = tmp_path / "cut.tbk"
    data = demo["archives"]["plain"].read_bytes()
    cut.write_bytes(data[: len(data) - 5000])

    done = run("restore", str(cut), TABYIN_DATA_DIR=str(tmp_path / "t"), TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert done.returncode == 2
    assert (
        _one_error_line(done.stderr) == "tabyin: error: the archive is truncated: its last part is missing."
    )


def test_a_non_empty_target_is_refused_unless_forced(demo: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "restored"
    assert _restore(demo, "with-secret", target, TABYIN_BACKUP_PASSPHRASE=PASSPHRASE).returncode == 0
    (target / "media" / "stray.txt").write_text("left from before")

    again = _restore(demo, "with-secret", target, TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert again.returncode == 2
    line = _one_error_line(again.stderr)
    assert line.startswith(f"tabyin: error: the target is not empty ({target / 'tabyin.sqlite3'}, ")
    assert line.endswith("or add --force to replace what is there.")

    forced = _restore(demo, "with-secret", target, "--force", TABYIN_BACKUP_PASSPHRASE=PASSPHRASE)

    assert forced.returncode == 0, forced.stderr
    assert not (target / "media" / "stray.txt").exists()  # media/ is the archive's, whole
    after = _drill(target)
    assert after["reports"] == demo["before"]["reports"]
    assert after["receipt"] == demo["before"]["receipt"]


def test_no_passphrase_without_a_terminal_is_a_clear_error(demo: dict[str, Any], tmp_path: Path) -> None:
    done = _restore(demo, "plain", tmp_path / "t")

    assert done.returncode == 2
    assert _one_error_line(done.stderr) == (
        "tabyin: error: no passphrase: use --passphrase-file FILE or set TABYIN_BACKUP_PASSPHRASE "
        "(or run in a terminal to be asked)."
    )


def test_the_passphrase_is_never_an_argument() -> None:
    done = run("backup", "x.tbk", "--passphrase", PASSPHRASE)

    assert done.returncode == 2
    assert "unrecognized arguments: --passphrase" in done.stderr
