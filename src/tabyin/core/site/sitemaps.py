"""/sitemap.xml from what the apps register (``registry.add_sitemap``): every public page in
Persian and English, each with its twin as an ``hreflang`` alternate and ``lastmod`` from the data.

Core adds only its own home page; each module app lists its pages in its ``contrib.register``, so
the shell never imports an app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from tabyin.core.registry import SitemapEntry, registry

if TYPE_CHECKING:  # the stubs make Sitemap generic; the runtime class is not subscriptable
    _Base = Sitemap[SitemapEntry]
else:
    _Base = Sitemap


class RegistrySitemap(_Base):
    i18n = True  # one <url> per language (Persian at /, English under /en/)
    alternates = True  # each with <xhtml:link rel="alternate" hreflang> to its twins
    x_default = True  # and the default language (Persian) as x-default

    def __init__(self, provider: Callable[[], Iterable[SitemapEntry]]) -> None:
        self.provider = provider

    def items(self) -> list[SitemapEntry]:
        return list(self.provider())

    def location(self, item: SitemapEntry) -> str:
        # Called with the item's language active, so reverse() adds (or omits) the /en/ prefix.
        return reverse(item.url_name, args=item.args)

    def lastmod(self, item: SitemapEntry) -> datetime | None:
        # One type per section: Django compares the items' dates to find the newest.
        found = item.lastmod
        if found is None or isinstance(found, datetime):
            return found
        return datetime.combine(found, time.min, tzinfo=UTC)


def _shell() -> list[SitemapEntry]:
    return [SitemapEntry("core:home")]


def sections() -> dict[str, Sitemap[Any] | type[Sitemap[Any]]]:
    """The sitemap's sections, read at request time (apps register after start-up)."""
    found: dict[str, Sitemap[Any] | type[Sitemap[Any]]] = {}
    if registry.home_view is None:  # an app that serves the home page lists it with its data date
        found["home"] = RegistrySitemap(_shell)
    for name, provider in registry.sitemaps.items():  # in the order the apps registered
        found[name] = RegistrySitemap(provider)
    return found
