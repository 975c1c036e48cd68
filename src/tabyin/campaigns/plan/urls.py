from django.urls import path

from tabyin.campaigns.plan import views, views_edit

urlpatterns = [
    path("staff/campaigns/", views.campaign_list, name="list"),
    path("staff/campaigns/<int:campaign_id>/outcome/", views.outcome_import, name="outcome-import"),
    path("staff/campaigns/<int:campaign_id>/outcome/series/", views.outcome_series, name="outcome-series"),
    path("staff/campaigns/<int:campaign_id>/plan/", views_edit.plan_edit, name="plan"),
    path("staff/campaigns/<int:campaign_id>/materials/", views_edit.materials, name="materials"),
    path(
        "staff/campaigns/<int:campaign_id>/materials/<int:material_id>/",
        views_edit.material_change,
        name="material",
    ),
    path(
        "staff/campaigns/materials/<int:material_id>/image/", views_edit.material_image, name="material-image"
    ),
]
