"""The public transparency site. Mounted at the root inside ``i18n_patterns``: Persian at ``/…``,
English at ``/en/…``."""

from django.urls import URLPattern, URLResolver, path

from tabyin.portal import views, views_search

urlpatterns: list[URLPattern | URLResolver] = [
    # The site home once the integrator points the registry's home at it; until then (and for
    # links that must not depend on that wiring) the same page is at overview/.
    path("", views.home, name="home"),
    path("overview/", views.home, name="overview"),
    path("themes/<slug:code>/", views.theme, name="theme"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("provinces/<str:iso>/", views.province, name="province"),
    path("explanations/<int:thread>/", views.explanation, name="explanation"),
    path("search/", views_search.search_page, name="search"),
    path("feedback/", views.feedback, name="feedback"),
]
