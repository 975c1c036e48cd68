"""The monitoring dashboard and the stories, mounted at staff/monitor/."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.dashboard import views as views_dashboard
from tabyin.monitor.dashboard import views_story

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("stories/", views_story.stories, name="stories"),
    path("stories/<int:pk>/", views_story.story, name="story"),
]
