"""The scorecard's data: versioned indicator frameworks, evaluation periods, each province's
submission (values, evidence, reviewers' comments, HQ corrections, appeals) and the stored
results of every scoring run.

A framework version is immutable once a period uses it (``FrameworkState.FROZEN``): changing a
weight makes a new version, so a published ranking can always be recomputed from the version it
names. HQ corrections are rows of their own, never edits of the province's value.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import OrgUnit
from tabyin.scorecard.enums import (
    AppealState,
    DataSource,
    Denominator,
    Direction,
    FrameworkState,
    IndicatorKind,
    Normalization,
    PeerGroup,
    PeriodKind,
    PeriodState,
    SubmissionState,
    ValueStatus,
)


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_fa = models.CharField(_("Persian name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    description_fa = models.TextField(_("Persian description"), blank=True, default="")
    description_en = models.TextField(_("English description"), blank=True, default="")
    state = models.CharField(
        _("state"), max_length=16, choices=FrameworkState.choices, default=FrameworkState.DRAFT
    )
    # [{"code", "min", "name_fa", "name_en"}], highest cut-off first; published on the method page.
    bands = models.JSONField(_("bands"), default=list)
    based_on = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="revisions", verbose_name=_("based on")
    )
    change_note = models.TextField(_("what changed"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["code", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["code", "version"], name="scorecard_framework_version")
        ]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")

    def __str__(self) -> str:
        return f"{self.name_fa} (v{self.version})"


class Indicator(models.Model):
    """A main indicator (``parent`` empty) or a sub-indicator of one framework version."""

    framework = models.ForeignKey(Framework, models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main indicator"),
    )
    code = models.CharField(_("code"), max_length=16)
    name_fa = models.CharField(_("Persian name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    definition_fa = models.TextField(_("definition (Persian)"), blank=True, default="")
    definition_en = models.TextField(_("definition (English)"), blank=True, default="")
    kind = models.CharField(_("type"), max_length=16, choices=IndicatorKind.choices, blank=True, default="")
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    normalization = models.CharField(
        _("normalization"), max_length=8, choices=Normalization.choices, default=Normalization.SCALE
    )
    denominator = models.CharField(
        _("denominator"), max_length=16, choices=Denominator.choices, default=Denominator.NONE
    )
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit_fa = models.CharField(_("unit (Persian)"), max_length=60, blank=True, default="")
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True, default="")
    weight = models.DecimalField(_("weight within its parent"), max_digits=7, decimal_places=3, default=1)
    evidence_fa = models.TextField(_("required evidence (Persian)"), blank=True, default="")
    evidence_en = models.TextField(_("required evidence (English)"), blank=True, default="")
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    source = models.CharField(
        _("data source"), max_length=16, choices=DataSource.choices, default=DataSource.ENTERED
    )
    # For computed indicators: the name of a metric another app registered in core's registry.
    metric = models.CharField(_("platform metric"), max_length=100, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering: ClassVar = ["framework", "order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["framework", "code"], name="scorecard_indicator_code")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name_fa}"

    @property
    def is_main(self) -> bool:
        return self.parent_id is None


class Period(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)  # 1404, 1404-H1, 1404-Q3
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("Jalali year"))
    part = models.PositiveSmallIntegerField(_("half or quarter"), default=0)
    framework = models.ForeignKey(
        Framework, models.PROTECT, related_name="periods", verbose_name=_("framework")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    entry_deadline = models.DateField(_("data-entry deadline"), null=True, blank=True)
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=14)
    opened_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    appeal_until = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-year", "-part", "code"]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")

    def __str__(self) -> str:
        return self.code


class Submission(models.Model):
    """One province's data for one period, with the denominators counts are divided by."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="submissions")
    province = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("province"))
    state = models.CharField(
        _("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.NOT_STARTED
    )
    peer_group = models.CharField(
        _("peer group"), max_length=8, choices=PeerGroup.choices, blank=True, default=""
    )
    covered_population = models.PositiveBigIntegerField(_("covered population"), null=True, blank=True)
    pr_staff = models.DecimalField(
        _("PR staff (full-time equivalent)"), max_digits=7, decimal_places=2, null=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("submitted after the deadline"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["period", "province__code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["period", "province"], name="scorecard_submission_once")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.period.code} {self.province.name_fa}"


class Value(models.Model):
    """What the province entered for one sub-indicator. HQ never edits it: see ``Correction``."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.REPORTED
    )
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # A value far outside the province's history or its peers' (``plausibility.Check.as_json``,
    # the figures as they were when it was saved); empty when it is not. The officer's "yes, it
    # is right" is recorded with who and when, and shown to the reviewers; a new value clears it.
    warning = models.JSONField(_("plausibility warning"), default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="scorecard_value_once")
        ]
        verbose_name = _("value")
        verbose_name_plural = _("values")

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.indicator_id}"


class Correction(models.Model):
    """An HQ evaluator's correction of one value: the latest one is what scoring uses."""

    value = models.ForeignKey(Value, models.CASCADE, related_name="corrections")
    status = models.CharField(_("status"), max_length=16, choices=ValueStatus.choices)
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value_after = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    previous = models.JSONField(_("what it replaced"), default=dict)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["value", "created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"correction {self.pk} of value {self.value_id}"


def _evidence_path(instance: Any, filename: str) -> str:
    # A random name: the uploader's file name is kept in the row, never on disk or in a URL.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"scorecard/evidence/{secrets.token_hex(16)}{suffix}"


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["submission", "indicator", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"evidence {self.pk} ({self.indicator_id})"


class ReviewComment(models.Model):
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="comments")
    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["submission", "created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"comment {self.pk} on submission {self.submission_id}"


class Appeal(models.Model):
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="appeals")
    text = models.TextField(_("grounds"))
    state = models.CharField(_("state"), max_length=16, choices=AppealState.choices, default=AppealState.OPEN)
    decision = models.TextField(_("decision"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["submission", "created_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal {self.pk} on submission {self.submission_id}"


class ScoreRun(models.Model):
    """One computation of a period's results. Earlier runs are kept; ``is_current`` marks the one
    shown and published."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="runs")
    framework = models.ForeignKey(Framework, models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    draws = models.PositiveIntegerField(_("robustness draws"))
    seed = models.BigIntegerField(_("random seed"))
    params = models.JSONField(_("method parameters"), default=dict)
    inputs_sha256 = models.CharField(max_length=64)
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["period", "-computed_at", "-pk"]
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")

    def __str__(self) -> str:
        return f"run {self.pk} of period {self.period_id}"


class ProvinceResult(models.Model):
    run = models.ForeignKey(ScoreRun, models.CASCADE, related_name="results")
    province = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True)
    band = models.CharField(_("band"), max_length=32, blank=True, default="")
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    peer_group = models.CharField(
        _("peer group"), max_length=8, choices=PeerGroup.choices, blank=True, default=""
    )
    peer_rank = models.PositiveSmallIntegerField(_("rank in peer group"), null=True)
    rank_low = models.PositiveSmallIntegerField(_("best rank under perturbation"), null=True)
    rank_high = models.PositiveSmallIntegerField(_("worst rank under perturbation"), null=True)
    stable = models.BooleanField(_("rank is stable"), default=True)
    main_scores = models.JSONField(_("main-indicator scores"), default=dict)
    flags = models.JSONField(_("flags"), default=list)

    class Meta:
        ordering: ClassVar = ["run", "rank", "province__code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "province"], name="scorecard_result_once")
        ]
        verbose_name = _("province result")
        verbose_name_plural = _("province results")

    def __str__(self) -> str:
        return f"result {self.province_id} in run {self.run_id}"


class IndicatorScore(models.Model):
    """A sub-indicator's inputs and normalized score in one run, so anyone can recompute it."""

    result = models.ForeignKey(ProvinceResult, models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ValueStatus.choices)
    # The value in the indicator's unit after any division (a rate in %, a count per 100,000).
    measured = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    inputs = models.JSONField(default=dict)
    corrected = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["result", "indicator"], name="scorecard_score_once")
        ]

    def __str__(self) -> str:
        return f"score {self.indicator_id} in result {self.result_id}"
