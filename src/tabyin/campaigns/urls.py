from django.urls import URLPattern, URLResolver, include, path

app_name = "campaigns"

# Each feature package adds its include() here.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("tabyin.campaigns.plan.urls")),
    path("", include("tabyin.campaigns.outbox.urls")),
    path("", include("tabyin.campaigns.outbox.urls_public")),
    path("", include("tabyin.campaigns.page.urls")),
]
