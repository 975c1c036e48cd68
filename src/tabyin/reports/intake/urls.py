from django.urls import path

from tabyin.reports.intake import views as views_public

urlpatterns = [
    path("", views_public.index, name="index"),
    path("protections/", views_public.protections, name="protections"),
    path("new/", views_public.new, name="new"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("follow-up/", views_public.follow_up, name="follow-up"),
    path("follow-up/case/", views_public.case, name="case"),
    path("follow-up/case/files/<int:pk>/", views_public.case_file, name="case-file"),
    path("follow-up/leave/", views_public.leave, name="leave"),
    path("posters/", views_public.posters, name="posters"),
    path("posters/<slug:code>/", views_public.poster, name="poster"),
]
