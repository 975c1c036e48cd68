from django.urls import path

from tabyin.campaigns.plan import views

urlpatterns = [
    path("staff/campaigns/", views.campaign_list, name="list"),
    path("staff/campaigns/<int:campaign_id>/outcome/", views.outcome_import, name="outcome-import"),
]
