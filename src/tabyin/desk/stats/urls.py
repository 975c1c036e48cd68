from django.urls import path

from tabyin.desk.stats import views

urlpatterns = [path("staff/desk/reports/", views.reports, name="reports")]
