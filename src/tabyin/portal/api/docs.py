"""/api/v1/docs: the API reference as a plain HTML page rendered on the server.

ninja's own docs page runs Swagger UI, which needs inline styles our Content-Security-Policy
forbids and, unless ``ninja`` is an installed app, a script from a CDN. This page reads the same
OpenAPI document and needs no script at all; the JSON stays at /api/v1/openapi.json.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tabyin.portal.api.v1 import api


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": p.get("name", ""),
                    "where": p.get("in", ""),
                    "required": bool(p.get("required")),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "anchor": operation.get("operationId", path),
                }
            )
    return operations


def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    context = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "operations": _operations(schema),
    }
    return render(request, "portal/data/api_docs.html", context)
