from django.urls import path

from tabyin.reception.plainlang import views

urlpatterns = [
    path("", views.check, name="plainlang"),
]
