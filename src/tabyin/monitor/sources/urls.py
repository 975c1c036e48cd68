"""Source health and configuration pages, mounted at staff/monitor/sources/."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.sources import views as views_sources

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_sources.sources, name="sources"),
    path("add/", views_sources.source_add, name="source-add"),
    path("paste/", views_sources.paste, name="paste"),
    path("<int:pk>/", views_sources.source, name="source"),
    path("fetches/<int:pk>/raw/", views_sources.source_raw, name="source-raw"),
]
