from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("tabyin.portal.public.urls")),
    path("", include("tabyin.portal.search.urls")),
    path("", include("tabyin.portal.feedback.urls")),
    path("data/", include("tabyin.portal.opendata.urls")),
    path("staff/portal/", include("tabyin.portal.staff.urls")),
]
