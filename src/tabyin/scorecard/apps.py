from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    name = "tabyin.scorecard"
    label = "scorecard"
    verbose_name = _("Performance scorecard")

    def ready(self) -> None:
        # The public API's cached reads change with these rows (``scorecard.api.http``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.scorecard.api.http import bump_on_change
        from tabyin.scorecard.models import Period, ScoreRun

        for model in (Period, ScoreRun):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_change, sender=model, dispatch_uid=f"scorecard-api-{model.__name__}")
