from django.urls import URLPattern, path

from tabyin.reception.messages import views

urlpatterns: list[URLPattern] = [
    path("staff/reception/messages/", views.announcement_list, name="staff-messages"),
    path("staff/reception/messages/<int:pk>/", views.announcement_report, name="staff-message"),
    path(
        "staff/reception/messages/<int:pk>/messages/<int:message_id>/",
        views.message_edit,
        name="staff-message-edit",
    ),
    path("staff/reception/messages/<int:pk>/answer/", views.cluster_answer, name="staff-message-answer"),
]
