from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("reports/statistics/", include("tabyin.reports.stats.urls")),
    path("reports/", include("tabyin.reports.intake.urls")),
    path("staff/reports/config/", include("tabyin.reports.config.urls")),
    path("staff/reports/keys/", include("tabyin.reports.keys.urls")),
    path("staff/reports/", include("tabyin.reports.identity.urls")),
    path("staff/reports/", include("tabyin.reports.cases.urls")),
]
