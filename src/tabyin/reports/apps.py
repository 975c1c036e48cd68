from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tabyin.reports"
    label = "reports"
    verbose_name = _("Violation reports")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from tabyin.reports import views_keys

        # Signing out also drops the server half of the handler's unlocked key.
        user_logged_out.connect(views_keys.forget_on_logout, dispatch_uid="reports-forget-handler-key")
