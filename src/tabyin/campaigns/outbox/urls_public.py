from django.urls import path

from tabyin.campaigns.outbox import views_public

urlpatterns = [
    path("news/<slug:slug>/", views_public.news, name="news"),
    path("l/<str:code>", views_public.short_link, name="short-link"),
    path("newsletter/", views_public.subscribe, name="newsletter"),
    path("newsletter/confirm/<str:token>/", views_public.confirm, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
]
