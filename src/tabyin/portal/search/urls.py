"""The search page, at /search/ inside the language prefix (namespace ``portal``). Not cached: the
response depends on the query."""

from django.urls import URLPattern, URLResolver, path

from tabyin.portal.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.search_page, name="search"),
]
