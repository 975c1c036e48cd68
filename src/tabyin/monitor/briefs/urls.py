"""The daily briefs' staff pages, mounted at ``staff/monitor/briefs/``."""

from datetime import date

from django.urls import URLPattern, URLResolver, path, register_converter

from tabyin.monitor.briefs import views as views_briefs


class DayConverter:
    """An ISO day, ``2025-12-05``, given to the view as a ``date``."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError -> 404

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(DayConverter, "monitor_brief_day")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_briefs.brief_list, name="briefs"),
    path("build/", views_briefs.brief_build, name="brief-build"),
    path("<monitor_brief_day:day>/", views_briefs.brief_page, name="brief"),
    path("<monitor_brief_day:day>/pdf/", views_briefs.brief_pdf, name="brief-pdf"),
]
