"""scripts/audit-deps runs the real pip-audit against a local OSV stand-in (pytest-httpserver): a
known vulnerability fails, an advisory in the ignore file with a reason does not, an entry without
a reason is refused, and an unreachable service skips in one plain line (or fails when required)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.cli_helpers import clean_env, free_port

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-deps"
ADVISORY = "GHSA-q2x7-8rv6-6q7h"


def _osv(request: Request) -> Response:
    """Django 4.0 has one advisory (fixed in 4.0.2); every other package has none."""
    query = json.loads(request.get_data())
    if query["package"]["name"] == "django" and query["version"] == "4.0":
        vuln = {
            "id": ADVISORY,
            "summary": "Sample advisory served by the test",
            "affected": [
                {
                    "package": {"name": "django", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.0.2"}]}],
                }
            ],
        }
        return Response(json.dumps({"vulns": [vuln]}), content_type="application/json")
    return Response("{}", content_type="application/json")


@pytest.fixture
def osv(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/v1/query", method="POST").respond_with_handler(_osv)
    return httpserver.url_for("/v1/query")


def _requirements(tmp_path: Path, django: str) -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text(f"six==1.16.0\ndjango=={django}\n")
    return path


def _audit(
    tmp_path: Path, requirements: Path, osv_url: str, ignore: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    ignore_file = tmp_path / "audit-ignore.txt"
    ignore_file.write_text(ignore)
    closed = f"http://127.0.0.1:{free_port()}"
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--requirements",
            str(requirements),
            "--osv-url",
            osv_url,
            "--pypi-url",
            closed,
            "--ignore-file",
            str(ignore_file),
        ],
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_known_vulnerability_fails(tmp_path: Path, osv: str) -> None:
    done = _audit(tmp_path, _requirements(tmp_path, "4.0"), osv)

    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("audit-deps: 2 locked packages against osv, 0 advisories ignored\n")
    assert f"django 4.0     {ADVISORY} 4.0.2\n" in done.stdout
    assert "Found 1 known vulnerability in 1 package" in done.stderr


def test_a_fixed_version_passes(tmp_path: Path, osv: str) -> None:
    done = _audit(tmp_path, _requirements(tmp_path, "4.0.2"), osv)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "No known vulnerabilities found" in done.stdout + done.stderr


def test_an_advisory_ignored_with_a_reason_passes(tmp_path: Path, osv: str) -> None:
    done = _audit(
        tmp_path,
        _requirements(tmp_path, "4.0"),
        osv,
        ignore=f"# why each is safe\n{ADVISORY}  affects only a feature Tabyin never enables\n",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("audit-deps: 2 locked packages against osv, 1 advisories ignored\n")


def test_an_ignore_entry_without_a_reason_is_refused(tmp_path: Path, osv: str) -> None:
    done = _audit(tmp_path, _requirements(tmp_path, "4.0"), osv, ignore=f"{ADVISORY}\n")

    assert done.returncode == 2
    assert done.stderr == (
        f"audit-deps: error: audit-ignore.txt:1: {ADVISORY} needs a reason (why it does not affect Tabyin)\n"
    )


def test_an_unreachable_service_skips_in_one_line(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1/query"

    done = _audit(tmp_path, _requirements(tmp_path, "4.0"), closed)

    assert done.returncode == 0
    assert done.stdout.startswith(
        "audit-deps: SKIPPED: no advisory service reachable, 2 packages not audited (OSV ("
    )
    assert done.stdout.count("\n") == 1


def test_an_unreachable_service_fails_when_the_audit_is_required(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1/query"

    done = _audit(tmp_path, _requirements(tmp_path, "4.0"), closed, TABYIN_AUDIT_REQUIRED="1")

    assert done.returncode == 1
    assert done.stderr.startswith("audit-deps: FAILED: no advisory service reachable (OSV (")
