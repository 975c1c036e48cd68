from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from tabyin.core.admin import admin_site
from tabyin.core.views import healthz

# Not at start-up (settings use SimpleAdminConfig): `tabyin ingest` never serves the admin.
admin.autodiscover()

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("", include("tabyin.core.urls_site")),  # robots.txt, sitemap.xml, favicon.ico
    # Machine interfaces are language-neutral: no /en/ prefix, ASCII digits, ISO dates.
    path("", include("tabyin.scorecard.api.urls")),
    path(
        "", include("tabyin.reports.api.urls")
    ),  # /api/v1/reports/, before the portal's /api/v1/  # /api/v1/scorecards/, before the portal's /api/v1/
    path("", include("tabyin.reception.plainlang.api_urls")),  # /api/v1/reception/plain-language/
    path("", include("tabyin.portal.api.urls")),
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
