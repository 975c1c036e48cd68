"""Scaled mode for real: `tabyin serve` and `tabyin worker` processes on PostgreSQL and Redis.

`tabyin beat` sends the periodic jobs. An administrator logs in to the web process (password
and second factor) and presses "send a test task"; the web process enqueues it on Redis after
its transaction commits; the worker process picks it up and writes a heartbeat to PostgreSQL,
signed with the worker's own pid.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_otp.oath import totp

from tabyin.core.enums import Role
from tabyin.core.models import Heartbeat, SealedTotpDevice
from tests import factories
from tests.cli_helpers import free_port, start, stop, wait_http

pytestmark = [pytest.mark.scaled, pytest.mark.postgresql, pytest.mark.timeout(240)]
REDIS_URL = "redis://127.0.0.1:6379/15"


class Browser:
    """A cookie-keeping HTTP client that submits Django forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=15) as response:
            return str(response.read().decode())

    def submit(self, path: str, fields: dict[str, str], action: str = "") -> tuple[str, str]:
        page = self.get(path)
        path = action or path
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:500]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=15) as response:
            return response.geturl(), str(response.read().decode())


@pytest.mark.django_db(transaction=True)
def test_web_process_enqueues_and_a_real_worker_completes(tmp_path: Path) -> None:
    factories.seed_org()
    admin = factories.persona("ops.admin", "hq", Role.ADMINISTRATOR)
    device = SealedTotpDevice.objects.get(user=admin)
    # The test process hashes with MD5 for speed; the real server knows only its real hashers.
    admin.password = PBKDF2PasswordHasher().encode(factories.PASSWORD, "scaledtestsalt")
    admin.save(update_fields=["password"])
    redis.Redis.from_url(REDIS_URL).flushdb()
    db = connection.settings_dict
    env: dict[str, Any] = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "TABYIN_SECRET_KEY": "scaled-test-secret-key-not-for-production-0123456789",
        "TABYIN_OTP_KEY": settings.TABYIN_OTP_KEY,  # the key the test sealed the device with
        "TABYIN_DATA_DIR": str(tmp_path / "data"),
        "TABYIN_WEB_WORKERS": "2",
        "TABYIN_HEARTBEAT_SECONDS": "5",
    }
    port = free_port()
    web = start("serve", "--port", str(port), log=tmp_path / "web.log", **env)
    worker = start("worker", "--concurrency", "1", log=tmp_path / "worker.log", **env)
    beat_process = start("beat", log=tmp_path / "beat.log", **env)
    try:
        health = json.loads(wait_http(f"http://127.0.0.1:{port}/healthz"))
        client = Browser(f"http://127.0.0.1:{port}")
        url, _ = client.submit("/staff/login/", {"username": "ops.admin", "password": factories.PASSWORD})
        assert url.endswith("/staff/login/code/")
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        url, _ = client.submit("/staff/login/code/", {"code": code})
        assert url.endswith("/staff/")

        client.submit("/staff/system/", {}, action="/staff/system/probe/")
        beat = _wait_for_heartbeat(timeout=60, key="probe")
        page = client.get("/staff/system/")
        ran_in_worker = beat is not None and (
            beat.worker.endswith(f":{worker.pid}") or _is_child_of(beat.worker, worker.pid)
        )
        periodic = _wait_for_heartbeat(timeout=60, key="tasks")
    finally:
        stop(web)
        stop(beat_process)
        stop(worker)

    assert health["ok"] is True
    assert health["database"]["engine"] == "postgresql"
    assert health["cache"] == {"ok": True, "engine": "RedisCache"}
    age = health["tasks"].pop("last_heartbeat_seconds_ago")
    assert health["tasks"] == {"ok": True, "engine": "celery"}
    assert age is None or 0 <= age < 60  # beat may or may not have fired by the first request
    assert beat is not None, (tmp_path / "worker.log").read_text()[-3000:]
    assert ran_in_worker, beat.worker
    assert 'data-testid="probe-result"><span class="status-ok">' in page
    # `tabyin beat` scheduled the periodic heartbeat and the worker ran it.
    assert periodic is not None, (tmp_path / "beat.log").read_text()[-3000:]
    assert periodic.token == ""


def _wait_for_heartbeat(timeout: float, key: str) -> Heartbeat | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(key=key).first()
        if beat is not None:
            return beat
        time.sleep(0.25)
    return None


def _is_child_of(worker: str, parent_pid: int) -> bool:
    """Celery runs tasks in child processes of the worker we started."""
    pid = int(worker.rsplit(":", 1)[1])
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return False
    return int(stat.read_text().split(") ", 1)[1].split()[1]) == parent_pid
