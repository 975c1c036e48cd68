"""The one public API, /api/v1/: a django-ninja API built from the routers apps contribute through
the registry, with one OpenAPI document, one reference page and one error shape."""
