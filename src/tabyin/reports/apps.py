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

        # The public API's cached reads change with these rows (``reports.stats.cache``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.reports.models import ArchivedTally, Category, Report
        from tabyin.reports.stats.cache import bump_on_change

        for model in (Category, ArchivedTally, Report):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_change, sender=model, dispatch_uid=f"reports-api-{model.__name__}")


def _forget_on_logout(sender: object, **kwargs: Any) -> None:
    # The views (and the cryptography they import) load at the first sign-out, not at every
    # command's start-up.
    from tabyin.reports.keys import views as views_keys

    views_keys.forget_on_logout(sender, **kwargs)
