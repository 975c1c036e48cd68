"""A read-only CKAN-compatible Action API at /api/action/<name> and /api/3/action/<name>.

Harvesters and tools built for CKAN (ckanapi, the European Data Portal's harvester, ckanr) read
the catalogue without knowing Tabyin. The actions follow CKAN 2.11 (ckan/logic/action/get.py and
ckanext/datastore); docs/modules/portal.md lists them and what differs. ``datastore_search_sql``
is not offered, which is what a CKAN site with the SQL search switched off answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from tabyin.portal.api.ckan_common import (
    BadRequestError,
    CkanError,
    action_params,
    bad_request,
    envelope,
    error_envelope,
    not_found,
    required,
)
from tabyin.portal.api.ckan_datastore import datastore_search
from tabyin.portal.api.ckan_groups import (
    group_list,
    group_show,
    organization_list,
    organization_show,
    tag_list,
)
from tabyin.portal.api.ckan_package import package_list, package_show, resource_show
from tabyin.portal.api.ckan_search import package_search
from tabyin.portal.api.http import cached_get, publisher_name

logger = logging.getLogger(__name__)

type Action = Callable[[HttpRequest, dict[str, Any]], Any]

# The CKAN release whose read API this one follows (clients read it to pick features).
CKAN_VERSION: Final = "2.11.0"


def status_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """The site: title, address, default language, CKAN API level and extensions."""
    return {
        "site_title": publisher_name(),
        "site_description": "",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore"],
        "ckan_version": CKAN_VERSION,
    }


def help_show(request: HttpRequest, params: dict[str, Any]) -> str:
    """What an action does. Parameters: name."""
    name = required(params, "name")
    if name not in ACTIONS:
        raise not_found("Action function not found")
    return (ACTIONS[name].__doc__ or "").strip()


ACTIONS: Final[dict[str, Action]] = {
    "status_show": status_show,
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "datastore_search": datastore_search,
    "help_show": help_show,
}


def api_version(request: HttpRequest) -> HttpResponseBase:
    """CKAN's /api/3: the Action API version spoken here (some clients probe it to find CKAN)."""
    return JsonResponse({"version": 3})


@csrf_exempt  # read-only, no cookies: CKAN clients POST their parameters as JSON
@cached_get
def action(request: HttpRequest, name: str) -> HttpResponseBase:
    """One action at /api/action/<name> or /api/3/action/<name> (GET, or POST with a JSON or
    form body), answered in CKAN's envelope."""
    if name not in ACTIONS:
        return bad_request(f"Action name not known: {name}")
    if request.method not in ("GET", "HEAD", "POST"):
        return bad_request("Please use the GET or POST method for this action.")
    try:
        return envelope(request, name, ACTIONS[name](request, action_params(request)))
    except BadRequestError as exc:
        return bad_request(str(exc))
    except CkanError as exc:
        return error_envelope(request, name, exc)
    except Exception:
        # CKAN answers a failure inside an action in its envelope too, so clients raise their own
        # error instead of failing to parse an HTML page; the traceback goes to the log.
        logger.exception("CKAN action %s failed", name)
        return error_envelope(request, name, CkanError("Internal Server Error", "Internal Server Error"))
