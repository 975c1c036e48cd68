from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL = "IR"  # area code of the whole country; provinces use their ISO 3166-2 code


class Kind(models.TextChoices):
    """How an indicator's value is built and how provinces add up to the nation."""

    LEVEL = "level", _("Level (provinces add up to the national figure)")
    RATE = "rate", _("Rate (numerator ÷ denominator × factor)")
    AMOUNT = "amount", _("Amount of money")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", _("Higher is better")
    LOWER_IS_BETTER = "down", _("Lower is better")
    NEUTRAL = "neutral", _("Neither higher nor lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class FigureStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


class ReleaseState(models.TextChoices):
    VALIDATED = "validated", _("Validated, not yet published")
    REJECTED = "rejected", _("Rejected by validation")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn before publication")


class ExplanationKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    CAVEAT = "caveat", _("Caveat")


class ExplanationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a newer version")
    RETURNED = "returned", _("Returned to the author")


# An explanation is public when published, and its replaced versions as its history.
PUBLIC_EXPLANATION_STATES = (ExplanationState.PUBLISHED, ExplanationState.SUPERSEDED)
