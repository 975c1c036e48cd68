from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "tabyin.core.calendar"
    label = "core_calendar"
    verbose_name = _("Staff calendar")
