"""Active learning for sentiment, under /staff/monitor/sentiment/."""

from django.urls import URLPattern, URLResolver, path

from tabyin.monitor.queries import views_sentiment

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_sentiment.review, name="sentiment-review"),
    path("retrain/", views_sentiment.retrain, name="sentiment-retrain"),
]
