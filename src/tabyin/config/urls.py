from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from tabyin.core.admin import admin_site
from tabyin.core.api.urls import urlpatterns as api_urlpatterns
from tabyin.core.views import healthz

# Not at start-up (settings use SimpleAdminConfig): `tabyin ingest` never serves the admin.
admin.autodiscover()

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("", include("tabyin.core.site.urls")),  # robots.txt, sitemap.xml, favicon.ico
    # Machine interfaces are language-neutral: no /en/ prefix, ASCII digits, ISO dates.
    # /api/v1/: the one public API, built by core from the routers apps contribute (core.api).
    *api_urlpatterns(),
    path("", include("tabyin.portal.api.urls")),  # CKAN /api/3/action/, DCAT catalogues
]
# Persian lives at /, English under /en/: links are shareable and work without JavaScript or
# cookies, and public pages stay cacheable.
urlpatterns += i18n_patterns(
    path("staff/admin/", admin_site.urls),
    path("", include("tabyin.core.urls")),
    path("", include("tabyin.scorecard.urls")),
    path("", include("tabyin.reports.urls")),
    path("", include("tabyin.monitor.urls")),
    path("", include("tabyin.reception.urls")),
    path("", include("tabyin.ideas.urls")),
    path("", include("tabyin.campaigns.urls")),
    path("", include("tabyin.desk.urls")),
    path("", include("tabyin.portal.urls")),
    prefix_default_language=False,
)

# Uploaded files (raw data releases, scorecard evidence) are never served from a URL, not even with
# DEBUG on: each is sent by a view that checks who is asking (MEDIA_ROOT is outside the web root).
