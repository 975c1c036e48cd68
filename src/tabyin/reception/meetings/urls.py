from django.urls import path

from tabyin.reception.meetings import views, views_staff

urlpatterns = [
    path("meetings/", views.meetings_index, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_page, name="meeting"),
    path("meetings/<int:meeting_id>/register/", views.meeting_register, name="meeting-register"),
    path("meetings/<int:meeting_id>/questions/", views.meeting_ask, name="meeting-ask"),
    path(
        "meetings/<int:meeting_id>/questions/<int:question_id>/vote/",
        views.question_vote,
        name="meeting-vote",
    ),
    path("meetings/registration/<str:token>/", views.registration_page, name="meeting-registration"),
    path("staff/reception/meetings/", views_staff.staff_list, name="staff-meetings"),
    path("staff/reception/meetings/<int:meeting_id>/", views_staff.staff_meeting, name="staff-meeting"),
    path(
        "staff/reception/meetings/<int:meeting_id>/state/",
        views_staff.staff_meeting_state,
        name="staff-meeting-state",
    ),
    path(
        "staff/reception/meetings/<int:meeting_id>/commitments/",
        views_staff.staff_commitment_add,
        name="staff-commitment-add",
    ),
    path(
        "staff/reception/meetings/<int:meeting_id>/commitments/<int:commitment_id>/",
        views_staff.staff_commitment_update,
        name="staff-commitment-update",
    ),
    path(
        "staff/reception/meetings/<int:meeting_id>/questions/<int:question_id>/hide/",
        views_staff.staff_question_hide,
        name="staff-question-hide",
    ),
]
