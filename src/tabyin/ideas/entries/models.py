"""Ideas and contest entries, their earlier versions and their files.

The author has no account: they proved a phone number or an e-mail address with a one-time code.
``author_hash`` (core's keyed hash) recognises them again; ``contact`` is kept only to tell them
what became of their entry, is shown to nobody, and is sealed in the database (``sealed``). The
private follow-up link's token is stored as a SHA-256 hash: the link is the key, the database
cannot give it back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.ideas.challenges.enums import MediaKind
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.sealed import SealedContactField
from tabyin.ideas.identity.models import ContactKind


class Entry(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="entries")
    category = models.CharField(_("category"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    media_kind = models.CharField(_("kind of entry"), max_length=10, choices=MediaKind.choices, blank=True)
    link = models.URLField(_("link to the work"), blank=True)
    author_name = models.CharField(_("name shown"), max_length=120, blank=True)
    province = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    author_hash = models.CharField(max_length=64, db_index=True)
    contact_kind = models.CharField(max_length=5, choices=ContactKind.choices)
    contact = SealedContactField()  # sealed at rest (``sealed``), plain here
    follow_hash = models.CharField(max_length=64, unique=True)
    # search_key of title and text: a second identical submission by the same author is refused.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=14, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED
    )
    # Written by the moderator or the jury for the author, shown on the follow-up page.
    reason = models.TextField(_("reason given to the author"), blank=True)
    # The jury's feedback the organizer released: [{"text": …, "released_at": ISO time}], never the
    # juror's name or number (blind review); written by ``judging.feedback.feedback_release``.
    jury_feedback = models.JSONField(_("jury feedback"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("same as")
    )
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("idea or entry")
        verbose_name_plural = _("ideas and entries")
        app_label = "ideas"
        ordering = ("-created_at", "-pk")
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=("challenge", "author_hash", "fingerprint"), name="ideas_entry_once_per_author"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EntryVersion(models.Model):
    """What an entry said before each edit by its author: an edit never loses the earlier text."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("earlier version of an entry")
        verbose_name_plural = _("earlier versions of entries")
        app_label = "ideas"
        ordering = ("entry", "saved_at")

    def __str__(self) -> str:
        return self.title


def _upload_to(instance: EntryFile, filename: str) -> str:
    # The service names the file by its random token and the extension its bytes showed; the
    # author's own name for it is kept only as the label.
    return f"ideas/{instance.entry.challenge_id}/{filename}"


class EntryFile(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    token = models.CharField(max_length=32, unique=True)
    label = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(upload_to=_upload_to, max_length=200)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")
        app_label = "ideas"

    def __str__(self) -> str:
        return self.label


class Notice(models.Model):
    """One message to an entry's author about one step of its way (screened, with the jury,
    results, feedback, each tracker step). The pair (entry, step) is unique, so a step is told at
    most once however often the code that reaches it runs; ``sent_at`` is set when a background
    task claims the row, before it sends, so two tasks cannot both send it (``entries.notices``)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="notices")
    step = models.CharField(max_length=80)
    text = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("notice to an author")
        verbose_name_plural = _("notices to authors")
        app_label = "ideas"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=("entry", "step"), name="ideas_notice_once_per_step")
        ]
        indexes: ClassVar[list[Any]] = [models.Index(fields=("sent_at", "created_at"))]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.step}"
