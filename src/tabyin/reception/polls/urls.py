from django.urls import path

from tabyin.reception.polls import views

urlpatterns = [
    path("reception/polls/<int:poll_id>/", views.poll_page, name="poll"),
    path("reception/polls/<int:poll_id>/thanks/", views.poll_thanks, name="poll-thanks"),
    path("staff/reception/polls/", views.poll_list, name="staff-polls"),
    path("staff/reception/polls/<int:poll_id>/", views.poll_results, name="staff-poll"),
    path("staff/reception/polls/<int:poll_id>/state/", views.poll_state, name="staff-poll-state"),
    path("staff/reception/polls/<int:poll_id>/send/", views.poll_send, name="staff-poll-send"),
]
