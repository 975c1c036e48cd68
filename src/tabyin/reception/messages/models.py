"""Key messages: an announcement, the one to five sentences it must get across, and what staff did
about a misreading. Coverage and the figures are read live from the monitor (through core's
registry), never copied here: a post edited or removed there changes the figures here too."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.reception.messages.enums import AnnouncementKind
from tabyin.reception.polls.models import Poll


class Announcement(models.Model):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=AnnouncementKind.choices)
    # Where it lives: the explanation's or answer's number in its app, and/or its public address.
    ref_id = models.PositiveIntegerField(_("number in its app"), null=True, blank=True)
    url = models.CharField(_("address"), max_length=300, blank=True)
    province = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    published_at = models.DateTimeField(_("published at"))
    # Coverage: the monitor's story of the announcement, and/or words that name it, in a window.
    story_key = models.BigIntegerField(_("monitor story"), null=True, blank=True)
    terms = models.TextField(_("terms"), blank=True, help_text=_("One per line."))
    window_days = models.PositiveSmallIntegerField(_("days of coverage"), default=14)
    poll = models.ForeignKey(
        Poll, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("poll")
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        app_label = "reception"
        ordering = ("-published_at", "-pk")

    def __str__(self) -> str:
        return self.title

    def term_list(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.terms.splitlines() if t.strip())


class KeyMessage(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="messages")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(_("key message"), max_length=300)
    # The facts it is checked on: [{"kind", "value", "text"}], extracted from the text unless an
    # editor chose them (``facts_edited``).
    facts = models.JSONField(_("facts"), default=list)
    facts_edited = models.BooleanField(_("facts chosen by an editor"), default=False)

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        app_label = "reception"
        ordering = ("announcement", "order")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("announcement", "order"), name="reception_keymessage_order")
        ]

    def __str__(self) -> str:
        return self.text


class ClusterAnswer(models.Model):
    """A misreading cluster someone acted on: the draft answer opened in the monitor."""

    message = models.ForeignKey(
        KeyMessage, on_delete=models.CASCADE, related_name="answers", verbose_name=_("key message")
    )
    signature = models.CharField(_("wrong claim"), max_length=300)
    response_url = models.CharField(_("answer in the monitor"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer to a misreading")
        verbose_name_plural = _("answers to misreadings")
        app_label = "reception"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("message", "signature"), name="reception_clusteranswer_once")
        ]

    def __str__(self) -> str:
        return self.signature
