"""Choices of the monitor app. Values are stable identifiers stored in rows and shown in APIs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    RSS = "rss", _("News site (RSS/Atom)")
    TELEGRAM = "telegram", _("Telegram channel")
    EITAA = "eitaa", _("Eitaa channel")
    WEB = "web", _("Web page")
    PASTE = "paste", _("Staff paste")
    TIPLINE = "tipline", _("Public tipline")


# Kinds a scheduler polls; the others only receive items pushed to them.
POLLED_KINDS = (SourceKind.RSS, SourceKind.TELEGRAM, SourceKind.EITAA)


class SourceStatus(models.TextChoices):
    NEW = "new", _("Not polled yet")
    OK = "ok", _("Healthy")
    ERROR = "error", _("Failing")
    BACKOFF = "backoff", _("Backing off")


class FetchOutcome(models.TextChoices):
    OK = "ok", _("New items read")
    NOT_MODIFIED = "not_modified", _("Not modified")
    ERROR = "error", _("Error")
    SKIPPED = "skipped", _("Skipped (host budget)")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class StoryKind(models.TextChoices):
    ITEM = "item", _("Story")
    ANSWER = "answer", _("Our answer")
    # Posts that deny a story, taken out of it by the stance step (``ingest.services_stance``).
    DENIAL = "denial", _("Denials of a story")


class Stance(models.TextChoices):
    """A post's stance towards a story's claim (the values of ``pipeline.stance.Stance``)."""

    AGREE = "agree", _("Repeats or supports it")
    DISAGREE = "disagree", _("Denies it")
    DISCUSS = "discuss", _("Questions or discusses it")
    UNRELATED = "unrelated", _("Unrelated")


class QueryKind(models.TextChoices):
    ORGANIZATION = "organization", _("The organization")
    OFFICIAL = "official", _("An official")
    SERVICE = "service", _("A service")
    PROVINCE = "province", _("A province")
    TOPIC = "topic", _("A topic")
    # Another organization, for share of voice.
    PEER = "peer", _("Another organization")


class AlertKind(models.TextChoices):
    NEGATIVE_STORY = "negative_story", _("New negative story matching a watch query")
    VELOCITY = "velocity", _("Spread faster than its baseline")
    REACH = "reach", _("Story reached N channels")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Signed webhook")
    BOT = "bot", _("Messenger bot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class TipStatus(models.TextChoices):
    NEW = "new", _("New")
    LINKED = "linked", _("Linked to a story")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed without answer")
