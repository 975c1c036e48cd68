from django.urls import URLPattern, URLResolver

app_name = "reception"

# Each feature package adds its include() here.
urlpatterns: list[URLPattern | URLResolver] = []
