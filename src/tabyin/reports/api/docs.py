"""/api/v1/reports/docs: the API reference as a plain HTML page, from the OpenAPI document
(ninja's Swagger page would need inline styles our Content-Security-Policy forbids)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tabyin.reports.api.v1 import api


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
        }
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    context = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "description": schema["info"].get("description", ""),
        "operations": operations,
    }
    return render(request, "reports/stats/api_docs.html", context)
