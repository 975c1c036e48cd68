"""The API reference pages (/api/v1/docs, /api/v1/scorecards/docs, …): plain HTML rendered on
the server from an app's OpenAPI document.

ninja's own docs page runs Swagger UI, which needs inline styles our Content-Security-Policy
forbids and, unless ``ninja`` is an installed app, a script from a CDN. These pages need no
script; each app's template extends ``core/api_docs.html`` and fills in its introduction and links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from ninja import NinjaAPI


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
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
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]


def docs_view(api: NinjaAPI, template: str) -> Callable[[HttpRequest], HttpResponse]:
    @require_safe
    def docs(request: HttpRequest) -> HttpResponse:
        schema = api.get_openapi_schema()
        context = {
            "title": schema["info"]["title"],
            "version": schema["info"]["version"],
            "description": schema["info"].get("description", ""),
            "operations": operations(schema),
        }
        return render(request, template, context)

    return docs
