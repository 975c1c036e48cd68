"""Watch queries and sentiment corrections, under /staff/monitor/queries/."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.queries import views as views_queries

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_queries.queries, name="queries"),
    path("add/", views_queries.query_add, name="query-add"),
    path("<int:pk>/", views_queries.query_edit, name="query-edit"),
    path("try/", views_queries.query_try, name="query-try"),
    path("threshold/", views_queries.query_threshold, name="query-threshold"),
    path("correct/<int:pk>/", views_queries.correct, name="correct"),
]
