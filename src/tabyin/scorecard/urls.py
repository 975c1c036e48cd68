from django.urls import include, path

app_name = "scorecard"

urlpatterns = [
    path("scorecard/", include("tabyin.scorecard.public.urls")),
    path("staff/scorecard/", include("tabyin.scorecard.periods.urls")),
    path("staff/scorecard/", include("tabyin.scorecard.entry.urls")),
    path("staff/scorecard/", include("tabyin.scorecard.review.urls")),
    path("staff/scorecard/framework/", include("tabyin.scorecard.framework.urls")),
]
