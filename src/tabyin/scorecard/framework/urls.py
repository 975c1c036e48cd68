"""The framework's staff pages, mounted at /staff/scorecard/framework/ in the "scorecard" namespace."""

from django.urls import URLPattern, URLResolver, path

from tabyin.scorecard.framework import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.framework_list, name="framework-list"),
    path("<int:pk>/", views.framework, name="framework"),
    path("<int:pk>/indicators/<str:code>/", views.framework_indicator_edit, name="framework-indicator-edit"),
    path("<int:pk>/revise/", views.framework_revise, name="framework-revise"),
]
