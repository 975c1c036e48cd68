"""The public transparency site. Mounted at the root inside ``i18n_patterns``: Persian at ``/…``,
English at ``/en/…``."""

from django.urls import URLPattern, URLResolver, path

from tabyin.portal.cache_scope import indicator, page
from tabyin.portal.public import views

# Whole responses cached per publish counter (portal.cache_scope); search (search/urls.py) and the
# feedback form (feedback/urls.py) are not: one is per query, the other a POST.

urlpatterns: list[URLPattern | URLResolver] = [
    # The site home once the integrator points the registry's home at it; until then (and for
    # links that must not depend on that wiring) the same page is at overview/.
    path("", page()(views.home), name="home"),
    path("overview/", page()(views.home), name="overview"),
    path("themes/<slug:code>/", page()(views.theme), name="theme"),
    path("indicators/<slug:code>/", page(indicator)(views.indicator), name="indicator"),
    path("provinces/<str:iso>/", page()(views.province), name="province"),
    path("explanations/<int:thread>/", page()(views.explanation), name="explanation"),
]
