"""Public pages of answers, mounted at clarifications/ (Persian at /, English at /en/)."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.responses import views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.clarifications, name="clarifications"),
    path("<int:pk>/", views_public.clarification, name="clarification"),
    path("ask/", views_public.tipline, name="tipline"),
    path("ask/thanks/", views_public.tipline_thanks, name="tipline-thanks"),
    path("ask/yours/", views_public.tipline_follow, name="tipline-follow"),
]
