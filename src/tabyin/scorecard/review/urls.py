"""The review and appeal pages, mounted at /staff/scorecard/ in the ``scorecard`` namespace, under a
period and a province matched as in periods/urls.py."""

from django.urls import URLPattern, URLResolver, path, re_path

from tabyin.scorecard.periods.urls import ONE
from tabyin.scorecard.review import views as views_review

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(rf"{ONE}/review/$", views_review.review, name="review"),
    re_path(rf"{ONE}/appeal/$", views_review.appeal, name="appeal"),
    path("appeals/<int:pk>/decide/", views_review.appeal_decide, name="appeal-decide"),
]
