"""Staff pages of rumor answers, mounted at staff/monitor/responses/."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.responses import views as views_responses

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_responses.queue, name="responses"),
    path("<int:pk>/", views_responses.response, name="response"),
    path("<int:pk>/action/", views_responses.response_action, name="response-action"),
]
