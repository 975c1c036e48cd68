"""Included by core's URLconf, so the names are ``core:calendar…``."""

from django.urls import path

from tabyin.core.calendar import views

urlpatterns = [
    path("staff/calendar/", views.month, name="calendar"),
    path("staff/calendar/export.ics", views.export, name="calendar-export"),
    path("staff/calendar/feed/", views.feed_issue, name="calendar-feed-issue"),
    path("staff/calendar/feed/revoke/", views.feed_revoke, name="calendar-feed-revoke"),
    path("staff/calendar/feed/<str:token>.ics", views.feed, name="calendar-feed"),
]
