from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tabyin.reports"
    label = "reports"
    verbose_name = _("Violation reports")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from tabyin.reports import checks  # noqa: F401 (registers the deployment checks)

        # Signing out also drops the server half of the handler's unlocked key.
        user_logged_out.connect(_forget_on_logout, dispatch_uid="reports-forget-handler-key")


def _forget_on_logout(sender: object, **kwargs: Any) -> None:
    # The views (and the cryptography they import) load at the first sign-out, not at every
    # command's start-up.
    from tabyin.reports.keys import views as views_keys

    views_keys.forget_on_logout(sender, **kwargs)
