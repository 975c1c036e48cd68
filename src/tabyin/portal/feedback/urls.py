"""The "was this clear?" answer, posted to /feedback/ inside the language prefix (namespace
``portal``). Not cached: it is a POST."""

from django.urls import URLPattern, URLResolver, path

from tabyin.portal.feedback import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("feedback/", views.feedback, name="feedback"),
]
