from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "tabyin.ideas"
    label = "ideas"
    verbose_name = _("Ideas and contests")

    def ready(self) -> None:
        # The public API's cached reads change with these rows (``ideas.api.http``, ``ideas.public_version``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.ideas.challenges.models import Challenge
        from tabyin.ideas.entries.models import Entry
        from tabyin.ideas.public_version import bump_on_change
        from tabyin.ideas.support.models import Support

        for model in (Challenge, Entry, Support):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_change, sender=model, dispatch_uid=f"ideas-api-{model.__name__}")
