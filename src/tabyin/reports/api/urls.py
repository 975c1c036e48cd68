"""/api/v1/reports/ (included in config/urls.py before the portal's /api/v1/, outside the
language prefix: machine interfaces are language-neutral)."""

from django.urls import URLPattern, URLResolver, include, path

from tabyin.reports.api import docs
from tabyin.reports.api.v1 import api

_patterns, _app, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/reports/docs", docs.docs, name="reports-api-v1-docs"),
    path("api/v1/reports/", include((_patterns, _app), namespace=_namespace)),
]
