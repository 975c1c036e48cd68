from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    """How a sub-indicator's value is measured (see docs/modules/scorecard.md)."""

    RATE = "rate", _("Rate (numerator / denominator)")
    COUNT = "count", _("Count per denominator")
    DURATION = "duration", _("Duration")
    YES_NO = "yes_no", _("Yes / no")
    RUBRIC = "rubric", _("Rubric level (1–5)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Normalization(models.TextChoices):
    TARGET = "target", _("Distance to target")
    MINMAX = "minmax", _("Min–max across provinces")
    SCALE = "scale", _("Fixed scale")


class Denominator(models.TextChoices):
    """What a count is divided by, so that a large province is not favoured for its size."""

    NONE = "none", _("None")
    COVERED_100K = "covered_100k", _("Per 100,000 covered people")
    PR_STAFF = "pr_staff", _("Per PR staff member")


class DataSource(models.TextChoices):
    ENTERED = "entered", _("Entered by the province")
    COMPUTED = "computed", _("Computed by the platform")


class FrameworkState(models.TextChoices):
    DRAFT = "draft", _("Draft (editable)")
    FROZEN = "frozen", _("Frozen (in use by a period)")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Half-year")
    QUARTER = "quarter", _("Quarter")


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for data entry")
    FROZEN = "frozen", _("Frozen and scored")
    PUBLISHED = "published", _("Published (appeal window)")
    FINAL = "final", _("Final")


class SubmissionState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Being entered")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class ValueStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    NOT_REPORTED = "not_reported", _("Not reported")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class AppealState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class PeerGroup(models.TextChoices):
    """Provinces compared with provinces of similar size (covered population)."""

    LARGE = "large", _("Large provinces")
    MEDIUM = "medium", _("Medium provinces")
    SMALL = "small", _("Small provinces")
