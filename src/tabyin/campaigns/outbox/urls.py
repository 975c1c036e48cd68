from django.urls import path

from tabyin.campaigns.outbox import views

urlpatterns = [
    path("staff/campaigns/<int:campaign_id>/messages/new/", views.message_new, name="message-new"),
    path("staff/campaigns/messages/<int:message_id>/", views.message_detail, name="message"),
    path("staff/campaigns/messages/<int:message_id>/approve/", views.message_approve, name="message-approve"),
]
