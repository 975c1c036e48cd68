from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tabyin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from tabyin.core import background, registry
        from tabyin.core.contrib import register

        register()
        registry.load_app_modules()
        background.discover_at_startup()
