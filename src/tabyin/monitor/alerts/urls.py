"""/staff/monitor/alerts/: alerts with acknowledgement, and alert rules."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.alerts import views as views_alerts

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_alerts.alerts, name="alerts"),
    path("<int:pk>/acknowledge/", views_alerts.acknowledge, name="alert-ack"),
    path("rules/", views_alerts.rules, name="alert-rules"),
    path("rules/add/", views_alerts.rule_add, name="alert-rule-add"),
    path("rules/<int:pk>/", views_alerts.rule_edit, name="alert-rule-edit"),
]
