"""Machine interfaces of the portal, mounted at the site root outside the language prefix:
/api/v1/ (ninja), /api/3/action/<name> and /api/action/<name> (CKAN), /catalog.jsonld and
/catalog.ttl (DCAT-AP)."""

from django.urls import URLPattern, URLResolver, include, path

from tabyin.portal.api import ckan, dcat, docs
from tabyin.portal.api.v1 import api
from tabyin.portal.cache_scope import ckan_action, data, one_dataset

# The routes that show one dataset: cached under that dataset's counter, the rest under all.
_ONE_DATASET = frozenset({"dataset", "dataset-rows", "dataset-aggregates"})


def _with_conditional_get(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Every /api/v1 route gets the response cache, the ETag/304 and caching headers, including
    openapi.json (``portal.cache_scope.data``)."""
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        assert isinstance(pattern, URLPattern), "ninja routes are flat"
        cached = data(one_dataset) if pattern.name in _ONE_DATASET else data()
        wrapped.append(
            URLPattern(pattern.pattern, cached(pattern.callback), pattern.default_args, pattern.name)
        )
    return wrapped


_v1_patterns, _v1_app, _v1_namespace = api.urls

urlpatterns: list[URLPattern | URLResolver] = [
    # Our own server-rendered reference (ninja's Swagger page is switched off: see api.docs).
    path("api/v1/docs", docs.docs, name="api-v1-docs"),
    path("api/v1/", include((_with_conditional_get(_v1_patterns), _v1_app), namespace=_v1_namespace)),
    path("api/3/action/<slug:name>", data(ckan_action)(ckan.action), name="ckan-action"),
    # CKAN serves its Action API unversioned too, and that is the address ckanapi calls.
    path("api/action/<slug:name>", data(ckan_action)(ckan.action), name="ckan-action-unversioned"),
    path("api/3", ckan.api_version, name="ckan-api-version"),
    path("catalog.jsonld", data()(dcat.catalog_jsonld), name="dcat-jsonld"),
    path("catalog.ttl", data()(dcat.catalog_ttl), name="dcat-turtle"),
]
