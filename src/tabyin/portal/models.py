"""Tamin-Nama's data: themes, indicators, datasets, releases, observations, revisions,
explanations and the public's "was this clear?" answers.

Areas are codes, not foreign keys: ``IR`` for the nation, ``IR-00`` … ``IR-30`` for provinces
(ISO 3166-2:IR, the same codes as ``core.OrgUnit.iso_code``). Open data, URLs and APIs speak
these codes, and the portal reads provinces through core's selectors only.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.portal.enums import (
    Direction,
    ExplanationKind,
    ExplanationState,
    FigureStatus,
    Frequency,
    Kind,
    ReleaseState,
)


class Theme(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    summary_fa = models.TextField(_("Persian summary"), blank=True, default="")
    summary_en = models.TextField(_("English summary"), blank=True, default="")
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering: ClassVar = ["order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name_fa


class Dataset(models.Model):
    """A published table: the monthly figures of one or more indicators for every area."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    theme = models.ForeignKey(Theme, models.PROTECT, related_name="datasets", verbose_name=_("theme"))
    title_fa = models.CharField(_("Persian title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300)
    description_fa = models.TextField(_("Persian description"), blank=True, default="")
    description_en = models.TextField(_("English description"), blank=True, default="")
    license_id = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["theme__order", "slug"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.title_fa


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=100, unique=True)
    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="indicators", verbose_name=_("dataset"))
    theme = models.ForeignKey(Theme, models.PROTECT, related_name="indicators", verbose_name=_("theme"))
    name_fa = models.CharField(_("Persian name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    what_fa = models.TextField(_("what it measures (Persian)"))
    why_fa = models.TextField(_("why it matters (Persian)"))
    how_to_read_fa = models.TextField(_("how to read it (Persian)"))
    what_en = models.TextField(_("what it measures (English)"), blank=True, default="")
    why_en = models.TextField(_("why it matters (English)"), blank=True, default="")
    how_to_read_en = models.TextField(_("how to read it (English)"), blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit_fa = models.CharField(_("unit (Persian)"), max_length=100)
    unit_en = models.CharField(_("unit (English)"), max_length=100)
    numerator_fa = models.CharField(_("numerator (Persian)"), max_length=200, blank=True, default="")
    denominator_fa = models.CharField(_("denominator (Persian)"), max_length=200, blank=True, default="")
    numerator_en = models.CharField(_("numerator (English)"), max_length=200, blank=True, default="")
    denominator_en = models.CharField(_("denominator (English)"), max_length=200, blank=True, default="")
    factor = models.PositiveIntegerField(_("factor"), default=1)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default="monthly")
    source_fa = models.CharField(_("source (Persian)"), max_length=300)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True, default="")
    source_url = models.URLField(_("source address"), blank=True, default="")
    # Home page: headline figures in this order; null = not a headline.
    headline_order = models.PositiveSmallIntegerField(_("headline order"), null=True, blank=True)
    # Published province breakdowns hide values below this (small counts can identify people).
    suppress_below = models.PositiveIntegerField(_("suppress counts below"), null=True, blank=True)
    per_capita = models.BooleanField(_("show per 1,000 population"), default=False)
    national_only = models.BooleanField(_("national figures only"), default=False)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering: ClassVar = ["theme__order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name_fa

    @property
    def sums_to_national(self) -> bool:
        return self.kind in (Kind.LEVEL, Kind.AMOUNT)


class Release(models.Model):
    """One upload of a dataset's figures. Validated in full before anything is public."""

    dataset = models.ForeignKey(Dataset, models.PROTECT, related_name="releases", verbose_name=_("dataset"))
    number = models.PositiveIntegerField(_("release number"))
    state = models.CharField(_("state"), max_length=16, choices=ReleaseState.choices)
    status = models.CharField(_("figures are"), max_length=16, choices=FigureStatus.choices)
    period_first = models.CharField(_("first period"), max_length=7, blank=True, default="")
    period_last = models.CharField(_("last period"), max_length=7, blank=True, default="")
    is_correction = models.BooleanField(_("correction"), default=False)
    reason = models.TextField(_("reason for the correction"), blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    # The upload is kept byte for byte, also when it fails validation.
    upload = models.FileField(_("uploaded file"), upload_to="portal/releases/%Y/%m/")
    upload_name = models.CharField(_("file name"), max_length=255)
    upload_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("validation report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["dataset", "number"], name="portal_release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} #{self.number}"


class Observation(models.Model):
    """One published figure: indicator × area × Jalali month.

    ``change_prev`` and ``change_yoy`` are precomputed when a release is published so that no
    page computes them per row.
    """

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="observations")
    area = models.CharField(max_length=5)  # "IR" or "IR-00" … "IR-30"
    period = models.CharField(max_length=7)  # Jalali "1403-11"
    period_start = models.DateField()  # Gregorian first day of the Jalali month, for sorting/ISO
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=FigureStatus.choices)
    change_prev = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    change_yoy = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    release = models.ForeignKey(Release, models.PROTECT, related_name="observations")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering: ClassVar = ["indicator_id", "area", "period"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["indicator", "area", "period"], name="portal_observation_unique")
        ]
        indexes: ClassVar = [
            models.Index(fields=["indicator", "period", "area"]),
            models.Index(fields=["area", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area} {self.period} = {self.value}"


class Revision(models.Model):
    """A published figure that a later release changed, with the reason. Public."""

    observation = models.ForeignKey(Observation, models.PROTECT, related_name="revisions")
    release = models.ForeignKey(Release, models.PROTECT, related_name="revisions")
    old_value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    old_status = models.CharField(max_length=16, choices=FigureStatus.choices)
    new_status = models.CharField(max_length=16, choices=FigureStatus.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("figure revision")
        verbose_name_plural = _("figure revisions")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.observation} {self.old_value} → {self.new_value}"


class Explanation(models.Model):
    """A reviewed, versioned text attached to a figure. Versions of one explanation share
    ``thread``; only one version per thread is published at a time, older ones stay public as
    its history."""

    thread = models.PositiveIntegerField(db_index=True)
    version = models.PositiveIntegerField(default=1)
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="explanations")
    area = models.CharField(max_length=5, blank=True, default="")  # "" = every area
    period = models.CharField(max_length=7, blank=True, default="")  # "" = every period
    kind = models.CharField(_("kind"), max_length=16, choices=ExplanationKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=ExplanationState.choices)
    title_fa = models.CharField(_("title"), max_length=300)
    body_fa = models.TextField(_("text"))
    action_fa = models.TextField(_("what we are doing about it"), blank=True, default="")
    title_en = models.CharField(_("English title"), max_length=300, blank=True, default="")
    body_en = models.TextField(_("English text"), blank=True, default="")
    action_en = models.TextField(_("English: what we are doing about it"), blank=True, default="")
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)  # [{"title","url"}]
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    review_note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        ordering: ClassVar = ["thread", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["thread", "version"], name="portal_explanation_version"),
            models.UniqueConstraint(
                fields=["thread"],
                condition=models.Q(state="published"),
                name="portal_explanation_one_published",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["indicator", "state"])]

    def __str__(self) -> str:
        return f"{self.title_fa} (v{self.version})"


class Feedback(models.Model):
    """ "Was this clear?" — no account, no address, no user agent; the time is kept to the hour."""

    target = models.CharField(max_length=20)  # "indicator" | "explanation"
    target_id = models.PositiveBigIntegerField()
    clear = models.BooleanField()
    comment = models.TextField(blank=True, default="")
    language = models.CharField(max_length=5, default="fa")
    created_hour = models.DateTimeField()

    class Meta:
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback entries")
        indexes: ClassVar = [models.Index(fields=["target", "target_id"])]

    def __str__(self) -> str:
        return f"{self.target}:{self.target_id} clear={self.clear}"


class SearchDoc(models.Model):
    """One searchable page (a province, theme, dataset, indicator or published explanation), as the
    search index keeps it: written by ``search_index`` from the services that save the rows, read
    by ``search_backend`` (SQLite FTS5 table or PostgreSQL tsvector column beside it, migration
    0002). Display titles and text are copied here so a search is one query."""

    kind = models.CharField(max_length=16)  # province, theme, dataset, indicator, explanation
    key = models.CharField(max_length=100)  # ISO code, theme code, slug, indicator code, thread
    theme = models.CharField(max_length=64, blank=True, default="")
    area = models.CharField(max_length=5, blank=True, default="")
    period = models.CharField(max_length=7, blank=True, default="")
    title_fa = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True, default="")
    text_fa = models.TextField(blank=True, default="")
    text_en = models.TextField(blank=True, default="")
    title_terms = models.TextField(blank=True, default="")  # search_analysis terms, space-separated
    body_terms = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "key"], name="portal_searchdoc_kind_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
