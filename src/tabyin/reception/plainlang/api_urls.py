"""/api/v1/reception/plain-language/ (included in config/urls.py before the portal's /api/v1/,
outside the language prefix: machine interfaces are language-neutral)."""

from django.urls import URLPattern, URLResolver, include, path

from tabyin.reception.plainlang.api import api

_patterns, _app, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/reception/plain-language/", include((_patterns, _app), namespace=_namespace)),
]
