"""/staff/reports/config/: categories, routing rules and the receiving units' set-up."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports.config import views as views_config

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_config.index, name="config"),
    path("categories/<slug:code>/", views_config.category, name="config-category"),
    path("rules/", views_config.rules, name="config-rules"),
    path("rules/<int:pk>/", views_config.rule, name="config-rule"),
    path("units/", views_config.units, name="config-units"),
]
