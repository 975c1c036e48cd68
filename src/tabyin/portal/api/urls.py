"""Machine interfaces of the portal, mounted at the site root outside the language prefix:
/api/3/action/<name> and /api/action/<name> (CKAN), /catalog.jsonld and /catalog.ttl (DCAT-AP).
/api/v1/ is core's public API, to which the portal contributes its routers (``contrib``)."""

from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path

from tabyin.portal.api import ckan, dcat
from tabyin.portal.cache_scope import ckan_action, data, one_dataset

# The routes that show one dataset: cached under that dataset's counter, the rest under all.
_ONE_DATASET = frozenset({"dataset", "dataset-rows", "dataset-aggregates"})


def api_view(name: str, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Every /api/v1 route of the portal gets the response cache, the ETag/304 and caching
    headers (``portal.cache_scope.data``)."""
    return (data(one_dataset) if name in _ONE_DATASET else data())(view)


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/3/action/<slug:name>", data(ckan_action)(ckan.action), name="ckan-action"),
    # CKAN serves its Action API unversioned too, and that is the address ckanapi calls.
    path("api/action/<slug:name>", data(ckan_action)(ckan.action), name="ckan-action-unversioned"),
    path("api/3", ckan.api_version, name="ckan-api-version"),
    path("catalog.jsonld", data()(dcat.catalog_jsonld), name="dcat-jsonld"),
    path("catalog.ttl", data()(dcat.catalog_ttl), name="dcat-turtle"),
]
