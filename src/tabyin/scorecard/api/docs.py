"""/api/v1/scorecards/docs: the API reference as a plain HTML page, from the OpenAPI document.

Like the portal's reference, and for the same reasons: ninja's Swagger page would need inline
styles our Content-Security-Policy forbids and a script from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tabyin.scorecard.api.v1 import api


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p.get("name", ""),
                            "where": p.get("in", ""),
                            "required": bool(p.get("required")),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "anchor": operation.get("operationId", path),
                }
            )
    return operations


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    context = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "operations": _operations(schema),
    }
    return render(request, "scorecard/api_docs.html", context)
