from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityMode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous")
    CONFIDENTIAL = "confidential", _("Confidential (identity sealed)")
    NAMED = "named", _("Named")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    INVESTIGATING = "investigating", _("Investigating")
    REFERRED = "referred", _("Referred")
    CLOSED_SUBSTANTIATED = "closed_substantiated", _("Closed: substantiated")
    CLOSED_UNSUBSTANTIATED = "closed_unsubstantiated", _("Closed: not substantiated")


CLOSED_STATUSES = (CaseStatus.CLOSED_SUBSTANTIATED, CaseStatus.CLOSED_UNSUBSTANTIATED)


class PublicStatus(models.TextChoices):
    """What a reporter sees: coarse on purpose, so a status says nothing about the findings."""

    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    CLOSED = "closed", _("Closed")


PUBLIC_STATUS: dict[str, PublicStatus] = {
    CaseStatus.RECEIVED: PublicStatus.RECEIVED,
    CaseStatus.UNDER_REVIEW: PublicStatus.IN_PROGRESS,
    CaseStatus.INVESTIGATING: PublicStatus.IN_PROGRESS,
    CaseStatus.REFERRED: PublicStatus.IN_PROGRESS,
    CaseStatus.CLOSED_SUBSTANTIATED: PublicStatus.CLOSED,
    CaseStatus.CLOSED_UNSUBSTANTIATED: PublicStatus.CLOSED,
}


class PlaceKind(models.TextChoices):
    BRANCH = "branch", _("Branch office")
    HOSPITAL = "hospital", _("Hospital or medical centre")
    PROVINCE_OFFICE = "province_office", _("Provincial directorate")
    HQ = "hq", _("Headquarters")
    OTHER = "other", _("Somewhere else")


class Level(models.TextChoices):
    """Where a routing rule sends a report: the unit of the report's province, or HQ's."""

    PROVINCE = "province", _("The province concerned")
    HQ = "hq", _("Headquarters")


class KeyringPurpose(models.TextChoices):
    UNIT = "unit", _("Receiving unit")
    CUSTODIAN = "custodian", _("Identity custodians")


class Author(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    HANDLER = "handler", _("Case handler")


class DisclosureState(models.TextChoices):
    PENDING = "pending", _("Waiting for a custodian")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class QuestionType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    YESNO = "yesno", _("Yes or no")
    DATE = "date", _("Date")


class GrantKind(models.TextChoices):
    """How a person came to hold a keyring (issue 15.1: no one person can make a reader)."""

    HOLDER = "holder", _("Shared by a holder of the same key")
    TWO_PERSON = "two_person", _("Approved by two people")
    INSTALLATION = "installation", _("First key of the installation")
    RECOVERY = "recovery", _("Restored with the recovery key")


class GrantState(models.TextChoices):
    PENDING = "pending", _("Waiting for a second person")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused or withdrawn")
