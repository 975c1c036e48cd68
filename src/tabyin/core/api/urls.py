"""/api/v1/ in the URL configuration: every contributed router's routes under the namespace its app
gives (so ``scorecard-api-v1:period`` still reverses), the one document and the one reference
page, the apps' old document and page addresses redirecting to them, and a problem for any other
/api/v1/ address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, URLResolver, include, path, re_path, reverse
from ninja.openapi.urls import get_openapi_urls, get_root_url

from tabyin.core.api import docs, problems
from tabyin.core.api.security import with_client
from tabyin.core.api.site import NAMESPACE, parts, public_api


def _redirect(to: str) -> Any:
    def moved(request: HttpRequest) -> HttpResponse:
        return HttpResponsePermanentRedirect(reverse(to))

    return moved


def urlpatterns() -> list[URLPattern | URLResolver]:
    """Everything under /api/v1/, for ``config/urls.py``."""
    api = public_api()
    routers = {id(r): part for part, r in parts()}
    groups: dict[str, list[URLPattern]] = {NAMESPACE: []}
    for bound in api._get_bound_routers():
        part = routers.get(id(bound.template))
        namespace = part.namespace if part else NAMESPACE
        for pattern in bound.urls_paths(bound.prefix):
            view = pattern.callback
            if part is not None and part.wrap is not None:
                view = part.wrap(str(pattern.name), view)
            wrapped = URLPattern(pattern.pattern, with_client(view), pattern.default_args, pattern.name)
            groups.setdefault(namespace, []).append(wrapped)
    groups[NAMESPACE] += [p for p in get_openapi_urls(api) if isinstance(p, URLPattern)]
    # Last: only for reversing the root (ninja builds the document's paths from it); the portal's
    # index answers /api/v1/ first.
    groups[NAMESPACE].append(get_root_url(api))
    top: list[URLPattern | URLResolver] = [path("api/v1/docs", docs.docs, name="api-v1-docs")]
    for part, _router in parts():
        if part.namespace != NAMESPACE and part.prefix:
            top.append(
                path(f"api/v1/{part.prefix}docs", _redirect("api-v1-docs"), name=f"{part.namespace}-docs")
            )
            groups[part.namespace].append(
                path(
                    f"{part.prefix}openapi.json", _redirect(f"{NAMESPACE}:openapi-json"), name="openapi-json"
                )
            )
    for namespace, patterns in groups.items():
        top.append(path("api/v1/", include((patterns, "ninja"), namespace=namespace)))
    top.append(re_path(r"^api/v1/", problems.not_found_view, name="api-v1-not-found"))
    return top
