"""/api/v1/scorecards/ (included in config/urls.py before the portal's /api/v1/, outside the
language prefix: machine interfaces are language-neutral)."""

from django.urls import URLPattern, URLResolver, include, path

from tabyin.scorecard.api import docs
from tabyin.scorecard.api.http import cached_get
from tabyin.scorecard.api.v1 import api


def _with_conditional_get(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern), "ninja routes are flat"
        wrapped.append(
            URLPattern(pattern.pattern, cached_get(pattern.callback), pattern.default_args, pattern.name)
        )
    return wrapped


_patterns, _app, _namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/scorecards/docs", docs.docs, name="scorecard-api-v1-docs"),
    path("api/v1/scorecards/", include((_with_conditional_get(_patterns), _app), namespace=_namespace)),
]
