from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "tabyin.reception"
    label = "reception"
    verbose_name = _("Reception")

    def ready(self) -> None:
        # The public meetings API's cached reads change with these rows (``reception.meetings.http``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.reception.meetings.http import bump_on_change
        from tabyin.reception.meetings.models import Commitment, Meeting, MeetingQuestion, Registration

        for model in (Meeting, Registration, MeetingQuestion, Commitment):
            for signal in (post_save, post_delete):
                signal.connect(bump_on_change, sender=model, dispatch_uid=f"meetings-api-{model.__name__}")
