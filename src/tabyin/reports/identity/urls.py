"""The identity pages, mounted at /staff/reports/ beside the cases (their paths do not overlap)."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports.identity import views as views_identity

urlpatterns: list[URLPattern | URLResolver] = [
    path("identity/", views_identity.identity_queue, name="identity-queue"),
    path("identity/<int:pk>/decide/", views_identity.identity_decide, name="identity-decide"),
    path("<int:pk>/identity/", views_identity.identity_request, name="identity-request"),
]
