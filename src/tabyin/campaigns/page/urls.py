from django.urls import path

from tabyin.campaigns.page import views

urlpatterns = [
    path("staff/campaigns/<int:campaign_id>/", views.campaign_page, name="campaign"),
]
