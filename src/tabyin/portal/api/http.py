"""HTTP plumbing shared by the open-data interfaces: conditional GET (``core.conditional``, keyed
on the cached data version: a 304 costs no database query) and absolute links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from tabyin.core.caching.conditional import conditional_get
from tabyin.portal.release.services import data_version

# Published data changes only when the publishing service bumps ``portal:data-version``.
cached_get = conditional_get(data_version)
# For downloads, which embed their generation time.
weak_cached_get = conditional_get(data_version, weak=True)


def site_url(request: HttpRequest, route: str, /, **kwargs: object) -> str:
    """Absolute address of a named route, always in the default language.

    API responses must not depend on the client's Accept-Language (their ETag is the URL), so
    links to the pages and files under ``i18n_patterns`` are reversed in one fixed language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(route, kwargs=kwargs or None))


def publisher_name() -> str:
    # The deployment's public name stands in for the publishing organization until core offers a
    # public selector for the head office (see the portal data report).
    return str(settings.TABYIN_SITE_NAME)
