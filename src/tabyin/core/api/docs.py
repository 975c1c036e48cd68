"""/api/v1/docs: the one reference page of the public API, rendered on the server from the one
OpenAPI document (no script; see ``core.api_docs``), with the problem types and the key rules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tabyin.core.api import problems
from tabyin.core.api.operations import operations
from tabyin.core.api.site import public_api


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    schema = public_api().get_openapi_schema()
    context = {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "description": "",
        "operations": operations(schema),
        "problem_types": [{"slug": slug, "title": title} for slug, title in problems.TITLES.items()],
    }
    return render(request, "core/api/docs.html", context)
