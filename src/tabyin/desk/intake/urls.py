from django.urls import path

from tabyin.desk.intake import views

urlpatterns = [
    path("staff/desk/", views.request_list, name="list"),
    path("staff/desk/board/", views.board, name="board"),
    path("staff/desk/new/", views.request_new, name="new"),
    path("staff/desk/<int:pk>/", views.request_page, name="request"),
    path("staff/desk/<int:pk>/move/", views.request_move, name="move"),
    path("staff/desk/<int:pk>/assign/", views.request_assign, name="assign"),
    path("staff/desk/<int:pk>/deliver/", views.request_deliver, name="deliver"),
    path("staff/desk/<int:pk>/comment/", views.request_comment, name="comment"),
    path("staff/desk/<int:pk>/answer/", views.request_answer, name="answer"),
    path("staff/desk/<int:pk>/rate/", views.request_rate, name="rate"),
    path("staff/desk/files/<str:token>/", views.request_file, name="file"),
]
