"""The periods' staff pages, mounted at /staff/scorecard/ in the ``scorecard`` namespace.

Period codes and province codes are matched by pattern (1404, 1404-H1, 1404-Q3; IR-23), so
/staff/scorecard/framework/ … falls through to the framework pages. The entry and review pages
(under the same period and province) use the same patterns."""

from django.urls import URLPattern, URLResolver, path, re_path

from tabyin.scorecard.periods import views as views_staff

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
]
