from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "tabyin.monitor"
    label = "monitor"
    verbose_name = _("Media monitoring")
