"""/reports/statistics/ (mounted there by urls.py): the public figures."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports.stats import views as views_stats

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_stats.statistics, name="statistics"),
]
