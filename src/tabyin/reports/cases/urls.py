"""The staff side of violation reports (mounted at /staff/reports/, namespace "reports")."""

from django.urls import URLPattern, URLResolver, path

from tabyin.reports.cases import views as views_staff

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_staff.inbox, name="inbox"),
    path("export.csv", views_staff.export, name="export"),
    path("<int:pk>/", views_staff.case, name="case"),
    path("<int:pk>/action/", views_staff.case_action, name="case-action"),
    path("<int:pk>/files/<int:file_id>/", views_staff.staff_file, name="staff-file"),
]
