"""Staff pages of the scorecard, mounted at /staff/scorecard/ in the ``scorecard`` namespace.

Period codes and province codes are matched by pattern (1404, 1404-H1, 1404-Q3; IR-23), so
/staff/scorecard/framework/ … falls through to the framework pages."""

from django.urls import URLPattern, URLResolver, path, re_path

from tabyin.scorecard import views_entry, views_review, views_staff

PERIOD = r"(?P<code>1[34][0-9]{2}(?:-[HhQq][1-4])?)"
PROVINCE = r"(?P<iso>[Ii][Rr]-[0-9]{2})"
ONE = rf"^{PERIOD}/{PROVINCE}"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_staff.periods, name="periods"),
    re_path(rf"^{PERIOD}/$", views_staff.period, name="period"),
    re_path(rf"^{PERIOD}/action/$", views_staff.period_action, name="period-action"),
    re_path(rf"^{PERIOD}/scorecard\.xlsx$", views_staff.export_xlsx, name="export-xlsx"),
    re_path(rf"^{PERIOD}/scorecard\.pdf$", views_staff.export_pdf, name="export-pdf"),
    re_path(rf"{ONE}/$", views_staff.province, name="province"),
    re_path(rf"{ONE}/scorecard\.pdf$", views_staff.province_pdf, name="province-pdf"),
    re_path(rf"{ONE}/entry/$", views_entry.entry, name="entry"),
    re_path(rf"{ONE}/entry/upload/$", views_entry.evidence_upload, name="evidence-upload"),
    re_path(rf"{ONE}/entry/(?P<step>[A-Za-z0-9_-]{{1,16}})/$", views_entry.entry_step, name="entry-step"),
    re_path(rf"{ONE}/review/$", views_review.review, name="review"),
    re_path(rf"{ONE}/appeal/$", views_review.appeal, name="appeal"),
    path("evidence/<int:pk>/", views_entry.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/remove/", views_entry.evidence_delete, name="evidence-delete"),
    path("appeals/<int:pk>/decide/", views_review.appeal_decide, name="appeal-decide"),
]
