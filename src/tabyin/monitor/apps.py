from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "tabyin.monitor"
    label = "monitor"
    verbose_name = _("Media monitoring")

    def ready(self) -> None:
        # The public API's cached reads change with these rows (``monitor.api_version``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.monitor.api_version import bump_on_change
        from tabyin.monitor.models import Response, Story

        for model in (Response, Story):
            for signal in (post_save, post_delete):
                uid = f"clarifications-api-{model.__name__}"
                signal.connect(bump_on_change, sender=model, dispatch_uid=uid)
