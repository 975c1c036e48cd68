"""The officer's entry pages, mounted at /staff/scorecard/ in the ``scorecard`` namespace, under a
period and a province matched as in periods/urls.py."""

from django.urls import URLPattern, URLResolver, path, re_path

from tabyin.scorecard.entry import views as views_entry
from tabyin.scorecard.periods.urls import ONE

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"{ONE}/entry/$", views_entry.entry, name="entry"),
    re_path(rf"{ONE}/entry/upload/$", views_entry.evidence_upload, name="evidence-upload"),
    re_path(rf"{ONE}/entry/(?P<step>[A-Za-z0-9_-]{{1,16}})/$", views_entry.entry_step, name="entry-step"),
    path("evidence/<int:pk>/", views_entry.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/remove/", views_entry.evidence_delete, name="evidence-delete"),
]
