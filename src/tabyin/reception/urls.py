from django.urls import URLPattern, URLResolver, include, path

app_name = "reception"

# Each feature package adds its include() here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("tabyin.reception.polls.urls")),
]
