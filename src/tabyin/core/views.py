"""Public pages of the shell and the health endpoint."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tabyin.core import background, selectors
from tabyin.core.registry import registry
from tabyin.core.system import services as services_system


def home(request: HttpRequest) -> HttpResponse:
    if registry.home_view is not None:
        return registry.home_view(request)
    return render(
        request,
        "core/home.html",
        {"sections": registry.nav_for("public", None), "province_count": selectors.provinces().count()},
    )


def _database_state() -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # a health check reports failures, it does not raise them
        return {"ok": False, "engine": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "engine": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def _cache_state() -> dict[str, Any]:
    backend = type(caches["default"]).__name__
    try:
        cache.set("tabyin:healthz", "1", 10)
        ok = cache.get("tabyin:healthz") == "1"
    except Exception as error:
        return {"ok": False, "engine": backend, "error": type(error).__name__}
    return {"ok": ok, "engine": backend}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    state = {
        "database": _database_state(),
        "cache": _cache_state(),
        "tasks": background.backend_state(),
    }
    if state["database"]["ok"]:
        # Reported, not judged: a fresh install has no heartbeat until its first periodic run.
        state["tasks"]["last_heartbeat_seconds_ago"] = services_system.heartbeat_age("tasks")
    ok = all(part["ok"] for part in state.values())
    return JsonResponse({"ok": ok, **state}, status=200 if ok else 503)
