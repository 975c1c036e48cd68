"""Media monitoring: sources, posts and their versions, stories (clusters of reposts), watch queries.

The workflow around them (alert rules, alerts, responses, tips, briefs) is in ``models_workflow``
and re-exported here so that Django and callers find every model in ``tabyin.monitor.models``.
Times are UTC in the database; ``published_at`` is what the source says, ``first_seen_at`` is when
Tabyin first stored the post (the two differ for backfills and slow feeds).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.monitor.enums import (
    FetchOutcome,
    QueryKind,
    Sentiment,
    SourceKind,
    SourceStatus,
    StoryKind,
)


class Source(models.Model):
    """A feed or channel Tabyin reads (or the pseudo-source of staff pastes and public tips)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    # Channel username, feed id or "paste"/"tipline": with ``kind`` the "telegram:akhbarefori" key.
    handle = models.CharField(_("handle"), max_length=128)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    url = models.URLField(_("address"), max_length=500, blank=True, default="")
    host = models.CharField(_("host"), max_length=255, blank=True, default="", db_index=True)
    province = models.ForeignKey(
        OrgUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organization's own channels: where published answers go.
    is_owned = models.BooleanField(_("owned by the organization"), default=False)
    is_active = models.BooleanField(_("polled"), default=True)
    # Telegram through the logged-in account (Telethon) instead of the web preview: for the few
    # channels that need minute-level freshness (the account's rate limits are tighter).
    via_account = models.BooleanField(_("read through the Telegram account"), default=False)
    # Polling state (see sources.services_polling): adaptive interval, back-off and conditional-GET
    # validators.
    interval_seconds = models.PositiveIntegerField(_("poll interval (seconds)"), default=900)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    status = models.CharField(
        _("health"), max_length=16, choices=SourceStatus.choices, default=SourceStatus.NEW
    )
    last_error = models.TextField(_("last error"), blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    etag = models.CharField(max_length=255, blank=True, default="")
    last_modified = models.CharField(max_length=64, blank=True, default="")
    # Highest post id seen (messenger channels), so a poll asks only for what is newer.
    cursor = models.CharField(max_length=64, blank=True, default="")
    # New posts per day, smoothed: busy channels are polled more often.
    posts_per_day = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["kind", "handle"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "handle"], name="monitor_source_key")
        ]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.handle}"


class FetchLog(models.Model):
    """One poll of a source. A failed poll keeps the start of the raw response for diagnosis."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=FetchOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    items = models.PositiveIntegerField(default=0)
    new_items = models.PositiveIntegerField(default=0)
    raw = models.BinaryField(null=True, blank=True)
    raw_content_type = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("fetch log entry")
        verbose_name_plural = _("fetch log entries")
        ordering: ClassVar = ["-started_at"]
        indexes: ClassVar = [models.Index(fields=["source", "-started_at"], name="monitor_fetch_recent")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Story(models.Model):
    """A cluster of posts that carry the same item: the origin and every repost and forward."""

    # Assigned by the near-duplicate index (pipeline), so workers agree on it without the database.
    key = models.BigIntegerField(unique=True)
    kind = models.CharField(max_length=8, choices=StoryKind.choices, default=StoryKind.ITEM)
    # MinHash signature of the first post: the index reloads its hot window from these.
    signature = models.BinaryField()
    title = models.CharField(max_length=300)
    origin_post = models.ForeignKey(
        "monitor.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(db_index=True)
    first_seen_at = models.DateTimeField()
    last_post_at = models.DateTimeField(db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    channel_count = models.PositiveIntegerField(default=0)
    total_views = models.BigIntegerField(default=0)
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    # Share of posts with a rumor signal ("is it true that ...?").
    rumor_signal = models.FloatField(default=0.0)
    # The tallies ``sentiment`` and ``rumor_signal`` are derived from: ingestion adds a batch's
    # posts to them instead of recounting every post of a story (ingest.services_stories).
    negative_count = models.PositiveIntegerField(default=0)
    positive_count = models.PositiveIntegerField(default=0)
    rumor_count = models.PositiveIntegerField(default=0)
    matches_watch = models.BooleanField(default=False, db_index=True)
    is_rumor = models.BooleanField(_("flagged as rumor"), default=False, db_index=True)
    rumor_flagged_at = models.DateTimeField(null=True, blank=True)
    rumor_flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-last_post_at"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One item of one source, as last seen (earlier texts are ``PostVersion`` rows)."""

    # No index of their own: the unique (source, post_id) and the (story, source, published_at)
    # indexes lead with them, and every index costs each of thousands of inserts a second.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="posts", db_index=False)
    post_id = models.CharField(max_length=191)
    url = models.URLField(max_length=1000, blank=True, default="")
    text = models.TextField()
    published_at = models.DateTimeField(db_index=True)
    first_seen_at = models.DateTimeField()
    views = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # As the source gives it: "telegram:channel/123" for a formal forward, empty otherwise.
    forwarded_from = models.CharField(max_length=300, blank=True, default="")
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="posts", db_index=False)
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    sentiment_score = models.FloatField(default=0.0)
    rumor_signal = models.BooleanField(default=False)
    # The source gave no readable, believable date: ``published_at`` is the fetch time (ordering
    # only), the post is never a story's origin, and pages say «تاریخ نامعلوم». ``date_raw`` is what
    # the source wrote ("" when nothing).
    date_unknown = models.BooleanField(default=False)
    date_raw = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["published_at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["source", "post_id"], name="monitor_post_key")
        ]
        # (story, source): whether a channel already carries a story is one probe (the channel count
        # is kept incrementally); published_at makes each channel's first time index-only.
        indexes: ClassVar = [
            models.Index(fields=["story", "source", "published_at"], name="monitor_post_story_source")
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.source_id}/{self.post_id}"


class PostVersion(models.Model):
    """An earlier text of an edited post: edits are kept, never overwritten silently."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    text = models.TextField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("post version")
        verbose_name_plural = _("post versions")
        ordering: ClassVar = ["post", "version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["post", "version"], name="monitor_post_version_key")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} v{self.version}"


class WatchQuery(models.Model):
    """A Boolean query (phrases, OR, NOT, spelling variants) whose matches analysts watch."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=QueryKind.choices, default=QueryKind.TOPIC)
    expression = models.TextField(_("query"))
    province = models.ForeignKey(
        OrgUnit,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Points a match adds to a post's relevance to the organization; empty: the kind's default
    # (pipeline/relevance.py). Per query, because «بیمه تکمیلی» is weaker evidence than «مستمری».
    weight = models.PositiveSmallIntegerField(_("relevance weight"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["kind", "name"]
        verbose_name = _("watch query")
        verbose_name_plural = _("watch queries")

    def __str__(self) -> str:
        return self.name


class Match(models.Model):
    # Indexed through the unique (post, query) and the (query, published_at) indexes.
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="matches", db_index=False)
    query = models.ForeignKey(WatchQuery, on_delete=models.CASCADE, related_name="matches", db_index=False)
    # Denormalised from the post, so "mentions over time by query" reads one table.
    published_at = models.DateTimeField()
    # The query's words were only inside hashtags (a reposting channel's «#تامین_اجتماعی»): the
    # match counts half its weight (pipeline/relevance.points_of). Kept when the match is stored,
    # since the weight applied to it stays tunable.
    in_tags_only = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("query match")
        verbose_name_plural = _("query matches")
        constraints: ClassVar = [models.UniqueConstraint(fields=["post", "query"], name="monitor_match_key")]
        indexes: ClassVar = [models.Index(fields=["query", "published_at"], name="monitor_match_time")]

    def __str__(self) -> str:
        return f"{self.post_id} ~ {self.query_id}"


class RelevanceSetting(models.Model):
    """The one stored relevance threshold (a single row; none yet means the default)."""

    threshold = models.PositiveSmallIntegerField(_("relevance threshold"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("relevance setting")
        verbose_name_plural = _("relevance settings")

    def __str__(self) -> str:
        return f"relevance threshold {self.threshold}"


class ClassifierModel(models.Model):
    """Trained weights of the sentiment classifier; the newest active row is used."""

    trained_at = models.DateTimeField()
    payload = models.JSONField()
    samples = models.PositiveIntegerField(default=0)
    corrections = models.PositiveIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering: ClassVar = ["-trained_at"]

    def __str__(self) -> str:
        return f"sentiment model {self.trained_at:%Y-%m-%d %H:%M}"


class Correction(models.Model):
    """A staff member's sentiment label for a post: training data for the next model."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="correction")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("sentiment correction")
        verbose_name_plural = _("sentiment corrections")

    def __str__(self) -> str:
        return f"{self.post_id}: {self.sentiment}"


from tabyin.monitor.models_stance import StanceLink  # noqa: E402
from tabyin.monitor.models_workflow import (  # noqa: E402  (they refer back to the models above)
    Alert,
    AlertRule,
    Brief,
    Delivery,
    Publication,
    Response,
    Tip,
)

__all__ = [
    "Alert",
    "AlertRule",
    "Brief",
    "ClassifierModel",
    "Correction",
    "Delivery",
    "FetchLog",
    "Match",
    "Post",
    "PostVersion",
    "Publication",
    "RelevanceSetting",
    "Response",
    "Source",
    "StanceLink",
    "Story",
    "Tip",
    "WatchQuery",
]
