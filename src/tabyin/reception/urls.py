from django.urls import URLPattern, URLResolver, include, path

app_name = "reception"

# Each feature package adds its include() here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/reception/plain-language/", include("tabyin.reception.plainlang.urls")),
    path("", include("tabyin.reception.polls.urls")),
    path("", include("tabyin.reception.meetings.urls")),
    path("", include("tabyin.reception.messages.urls")),
]
