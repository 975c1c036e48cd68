"""Public pages of the scorecard, under /scorecard/ on the transparency site."""

from django.urls import URLPattern, URLResolver, path

from tabyin.scorecard.public import views as views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.index, name="public-index"),
    path("method/", views_public.method, name="public-method"),
    path("<str:code>/", views_public.period_page, name="public-period"),
    path("<str:code>/<str:iso>/", views_public.province_page, name="public-province"),
]
