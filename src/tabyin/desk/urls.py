from tabyin.desk.intake.urls import urlpatterns as intake
from tabyin.desk.stats.urls import urlpatterns as stats

app_name = "desk"
urlpatterns = [*intake, *stats]
