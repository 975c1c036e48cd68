from django.urls import include, path

app_name = "monitor"

urlpatterns = [
    path("clarifications/", include("tabyin.monitor.responses.urls_public")),
    path("staff/monitor/sources/", include("tabyin.monitor.sources.urls")),
    path("staff/monitor/alerts/", include("tabyin.monitor.alerts.urls")),
    path("staff/monitor/responses/", include("tabyin.monitor.responses.urls")),
    path("staff/monitor/queries/", include("tabyin.monitor.queries.urls")),
    path("staff/monitor/briefs/", include("tabyin.monitor.briefs.urls")),
    path("staff/monitor/sentiment/", include("tabyin.monitor.queries.urls_sentiment")),
    path("staff/monitor/", include("tabyin.monitor.dashboard.urls")),
]
