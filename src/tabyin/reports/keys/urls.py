"""/staff/reports/keys/ (mounted there by the app's urls.py): a holder's key and the two-person grants."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports.keys import views as views_keys
from tabyin.reports.keys import views_grants

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_keys.keys, name="keys"),
    path("lock/", views_keys.keys_lock, name="keys-lock"),
    path("share/", views_keys.keys_share, name="keys-share"),
    path("grants/", views_grants.grants, name="grants"),
]
