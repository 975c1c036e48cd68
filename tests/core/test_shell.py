from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_and_tasks() -> None:
    response = Client().get("/healthz")

    body = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["cache"] == {"ok": True, "engine": "LocMemCache"}
    assert body["tasks"] == {
        "ok": True,
        "engine": "in-process",
        "threads": 2,
        "last_heartbeat_seconds_ago": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_every_response_carries_the_security_headers(org: None) -> None:
    response = Client().get("/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "http" not in csp.replace("'self'", "")  # no third-party origin anywhere
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # only when served over HTTPS


def test_hsts_and_secure_cookies_over_https(org: None, settings: object) -> None:
    from django.conf import settings as s

    s.SECURE_HSTS_SECONDS = 31_536_000
    s.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_home_is_persian_rtl_by_default_and_english_under_en(org: None) -> None:
    fa = Client().get("/").content.decode()
    en = Client().get("/en/").content.decode()

    assert '<html lang="fa" dir="rtl">' in fa
    assert "demo-banner" not in fa  # a real deployment carries no sample-data banner
    assert '<html lang="en" dir="ltr">' in en
    assert 'href="/en/"' in fa  # the language switch is a plain link: no JavaScript, no cookie
    assert 'href="/"' in en


def test_pages_reference_only_this_origin(org: None) -> None:
    html = Client().get("/").content.decode()

    urls = re.findall(r'(?:src|href|content)="((?:/|#|[a-z]+:)[^"]*)"', html)
    assert urls
    # hreflang twins and link-preview addresses are absolute (messengers fetch them from outside),
    # and name this site's own host.
    assert all(u.startswith(("/", "#", "http://testserver/")) for u in urls), urls


def test_staff_pages_are_not_cached(hq_admin: object, staff_client: object) -> None:
    response = staff_client(hq_admin).get("/staff/")  # type: ignore[operator]

    assert response["Cache-Control"] == "no-store"


def test_unknown_page_is_a_persian_404(org: None) -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404


def test_healthz_reports_the_age_of_the_last_heartbeat(time_machine: object) -> None:
    from datetime import UTC, datetime, timedelta

    from tabyin.core.system.services import heartbeat_record

    start = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)  # type: ignore[attr-defined]
    heartbeat_record(key="tasks")
    time_machine.move_to(start + timedelta(seconds=42), tick=False)  # type: ignore[attr-defined]

    body = json.loads(Client().get("/healthz").content)

    assert body["tasks"]["last_heartbeat_seconds_ago"] == 42


def test_login_form_without_csrf_token_is_refused(org: None) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/staff/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
