from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "tabyin.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        # The public API's cached reads change with these rows (``campaigns.outbox.api_cache``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.campaigns.outbox.api_cache import bump_on_change
        from tabyin.campaigns.outbox.models import Message

        for signal in (post_save, post_delete):
            signal.connect(bump_on_change, sender=Message, dispatch_uid="news-api-Message")
