from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "tabyin.reception"
    label = "reception"
    verbose_name = _("Reception")

    def ready(self) -> None:
        # The public API's cached reads change with these rows (``reception.meetings.http``,
        # ``reception.polls.http``).
        from django.db.models.signals import post_delete, post_save

        from tabyin.reception.meetings import http as meetings_http
        from tabyin.reception.meetings.models import Commitment, Meeting, MeetingQuestion, Registration
        from tabyin.reception.polls import http as polls_http
        from tabyin.reception.polls.models import Poll, Question

        for model in (Meeting, Registration, MeetingQuestion, Commitment):
            for signal in (post_save, post_delete):
                signal.connect(
                    meetings_http.bump_on_change, sender=model, dispatch_uid=f"meetings-api-{model.__name__}"
                )
        for poll_model in (Poll, Question):
            for signal in (post_save, post_delete):
                signal.connect(
                    polls_http.bump_on_change,
                    sender=poll_model,
                    dispatch_uid=f"polls-api-{poll_model.__name__}",
                )
