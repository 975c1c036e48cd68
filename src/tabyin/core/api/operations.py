"""The API reference page (/api/v1/docs, ``core.api.docs``): plain HTML rendered on the server
from the OpenAPI document.

ninja's own docs page runs Swagger UI, which needs inline styles our Content-Security-Policy
forbids and, unless ``ninja`` is an installed app, a script from a CDN. This page needs no script.
"""

from __future__ import annotations

from typing import Any


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
