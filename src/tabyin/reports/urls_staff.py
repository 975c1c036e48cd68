"""The staff side of violation reports (mounted at /staff/reports/, namespace "reports")."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports import views_identity, views_staff

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_staff.inbox, name="inbox"),
    path("export.csv", views_staff.export, name="export"),
    path("identity/", views_identity.identity_queue, name="identity-queue"),
    path("identity/<int:pk>/decide/", views_identity.identity_decide, name="identity-decide"),
    path("<int:pk>/", views_staff.case, name="case"),
    path("<int:pk>/action/", views_staff.case_action, name="case-action"),
    path("<int:pk>/files/<int:file_id>/", views_staff.staff_file, name="staff-file"),
    path("<int:pk>/identity/", views_identity.identity_request, name="identity-request"),
]
