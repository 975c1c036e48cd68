"""Violation reports: what is stored, and what of it is readable without a unit's key.

Plain columns hold only what routing, deadlines, retention and the published statistics need
(category, province, status, dates, receiving units). Everything the reporter wrote, their
identity, file names and contents, messages and handlers' notes are ciphertext: readable only
with the receiving unit's private key (see ``crypto.py`` and docs/modules/reports.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.core.enums import SPECIAL_KINDS
from tabyin.core.models import OrgUnit
from tabyin.reports.enums import (
    Author,
    CaseStatus,
    DisclosureState,
    GrantKind,
    GrantState,
    IdentityMode,
    KeyringPurpose,
    Level,
    PlaceKind,
)
from tabyin.reports.models_notices import Notice as Notice  # noqa: PLC0414 (re-exported)

RECEIVING_KINDS = [(kind.value, kind.label) for kind in SPECIAL_KINDS]


class Category(models.Model):
    """What can be reported. ``questions`` are the category's own questions (see validation.py)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    group = models.SlugField(_("group"), max_length=64)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description_fa = models.TextField(_("Persian description"), blank=True, default="")
    description_en = models.TextField(_("English description"), blank=True, default="")
    questions = models.JSONField(_("questions"), default=list, blank=True)
    retention_days = models.PositiveIntegerField(_("keep for (days after closing)"), default=1825)
    reminder_days = models.PositiveIntegerField(_("remind before deletion (days)"), default=30)
    deadline_days = models.PositiveIntegerField(_("handling deadline (days)"), default=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["order", "code"]
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")

    def __str__(self) -> str:
        return self.name_fa

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fa

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_fa


class RoutingRule(models.Model):
    """Category (and optionally one province) → a kind of receiving unit at a level."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="rules", verbose_name=_("category"))
    province = models.ForeignKey(
        OrgUnit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for reports about this province"),
    )
    unit_kind = models.CharField(_("receiving unit"), max_length=32, choices=RECEIVING_KINDS)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.PROVINCE)
    skip_if_named = models.BooleanField(
        _("never send to a unit whose own staff the report names"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["category__order", "category__code", "province_id", "unit_kind"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["category", "province", "unit_kind", "level"],
                condition=models.Q(province__isnull=False),
                name="reports_rule_unique_province",
            ),
            models.UniqueConstraint(
                fields=["category", "unit_kind", "level"],
                condition=models.Q(province__isnull=True),
                name="reports_rule_unique_any",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code} → {self.unit_kind} ({self.level})"


class Keyring(models.Model):
    """A key pair owned by a receiving unit or by the identity custodians.

    The private key is stored only sealed: once per holder (``KeyShare``) and, when a recovery
    key is configured, once to it (``recovery_sealed``).
    """

    purpose = models.CharField(_("purpose"), max_length=16, choices=KeyringPurpose.choices)
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="report_keyrings", verbose_name=_("unit")
    )
    public_key = models.BinaryField(_("public key"))
    recovery_sealed = models.BinaryField(_("private key sealed to the recovery key"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when nobody could open it any more (its last holder reset a lost passphrase): new reports
    # go to the unit's new keyring; older ones stay sealed to this one (the recovery key opens it).
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("keyring")
        verbose_name_plural = _("keyrings")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["purpose"],
                condition=models.Q(purpose="custodian", retired_at__isnull=True),
                name="reports_one_custodian_keyring",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(purpose="unit", retired_at__isnull=True),
                name="reports_one_current_unit_keyring",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="custodian", unit__isnull=True)
                | models.Q(purpose="unit", unit__isnull=False),
                name="reports_keyring_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"keyring {self.pk} ({self.purpose})"


class HandlerKey(models.Model):
    """A handler's or custodian's own key pair; the private half is locked by their passphrase."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="report_key", verbose_name=_("user")
    )
    public_key = models.BinaryField(_("public key"))
    locked_private_key = models.BinaryField(_("private key, locked by the passphrase"))
    salt = models.BinaryField(_("salt"))
    ops = models.PositiveSmallIntegerField(_("Argon2id passes"))
    mem = models.PositiveIntegerField(_("Argon2id memory (bytes)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handler key")
        verbose_name_plural = _("handler keys")

    def __str__(self) -> str:
        return f"key of user {self.user_id}"


class KeyShare(models.Model):
    """A keyring's private key sealed to one holder's public key, granted by a colleague."""

    keyring = models.ForeignKey(Keyring, models.CASCADE, related_name="shares", verbose_name=_("keyring"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="report_key_shares", verbose_name=_("user")
    )
    handler_key = models.ForeignKey(HandlerKey, models.CASCADE, related_name="shares")
    sealed_private_key = models.BinaryField(_("sealed private key"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key share")
        verbose_name_plural = _("key shares")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["keyring", "user"], name="reports_share_once")
        ]

    def __str__(self) -> str:
        return f"share of keyring {self.keyring_id} for user {self.user_id}"


class KeyGrant(models.Model):
    """Every time someone became able to read a keyring, and every two-person grant proposed.

    A holder's share (``HOLDER``) is granted at once; a unit (or the custodians) with no holder
    gets its first one only when two people agree (``TWO_PERSON``, see ``services_grants``).
    Rows are kept for good: they hold no report data, and the protections page counts them.
    """

    kind = models.CharField(max_length=16, choices=GrantKind.choices)
    state = models.CharField(max_length=16, choices=GrantState.choices, default=GrantState.PENDING)
    purpose = models.CharField(max_length=16, choices=KeyringPurpose.choices)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The proposer opened a share of a trustee key (HQ unit or custodians) when proposing;
    # otherwise they proposed as an administrator and the second person must be a trustee.
    proposer_trustee = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    keyring = models.ForeignKey(Keyring, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("key grant")
        verbose_name_plural = _("key grants")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"key grant {self.pk}"


class Report(models.Model):
    category = models.ForeignKey(Category, models.PROTECT, related_name="reports", verbose_name=_("category"))
    # None: the report is about headquarters or no single province.
    province = models.ForeignKey(
        OrgUnit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    place_kind = models.CharField(_("kind of place"), max_length=32, choices=PlaceKind.choices)
    identity_mode = models.CharField(_("identity"), max_length=16, choices=IdentityMode.choices)
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    due_at = models.DateTimeField(_("deadline"))
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    expires_at = models.DateTimeField(_("to be deleted"), null=True, blank=True, db_index=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    # Everything the reporter wrote (JSON), encrypted with the report's content key.
    content = models.BinaryField()
    # Named reporters: identity encrypted with the content key. Confidential reporters: sealed to
    # the custodians' keyring, so the unit cannot read it without a custodian's approval.
    identity = models.BinaryField(null=True, blank=True)
    identity_keyring = models.ForeignKey(Keyring, models.PROTECT, null=True, blank=True, related_name="+")

    # The receipt: an index found by one Argon2id run of the peppered code (installation salt), a
    # verifier, and the content key wrapped under a key derived from the same run and the report's
    # salt (so the reporter can read the answers). ``receipt_scheme``: see ``receipts.py``.
    receipt_scheme = models.PositiveSmallIntegerField(default=3, db_index=True)
    receipt_index = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_verifier = models.BinaryField()
    receipt_wrapped_key = models.BinaryField()

    class Meta:
        ordering: ClassVar = ["-received_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report {self.pk}"


class ReceiptSalt(models.Model):
    """The installation's one salt of the receipt index (not secret: it makes every installation's
    guesses start from zero). Made by migration 0004 or at first use; never changed."""

    salt = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt secret")
        verbose_name_plural = _("receipt secrets")

    def __str__(self) -> str:
        return f"receipt salt {self.pk}"


class ReportRecipient(models.Model):
    """A unit that received the report, with the content key sealed to that unit's keyring."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    keyring = models.ForeignKey(Keyring, models.PROTECT, related_name="+")
    sealed_content_key = models.BinaryField()
    # Why this unit ("rule 3: sent to headquarters", a fallback, a transfer), sealed to this row's
    # keyring: the explanation can say which office the report accuses (issue 15.5).
    route_note = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "unit"], name="reports_recipient_once")
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} → unit {self.unit_id}"


class Message(models.Model):
    """One message between the reporter and the case handlers (encrypted with the content key)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="messages")
    author = models.CharField(max_length=16, choices=Author.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Note(models.Model):
    """An internal note of a handler; never shown to the reporter (encrypted with the content key)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    body = models.BinaryField()
    # Set only on notes the data migration made from reasons once kept in the audit log: their
    # body is sealed to this keyring (the migration had no content key), not encrypted with it.
    sealed_to = models.ForeignKey(Keyring, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk}"


class ReportFile(models.Model):
    """An evidence file: encrypted bytes under a random name in TABYIN_REPORTS_FILES_DIR."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="files")
    message = models.ForeignKey(Message, models.CASCADE, null=True, blank=True, related_name="files")
    author = models.CharField(max_length=16, choices=Author.choices, default=Author.REPORTER)
    storage_name = models.CharField(max_length=64, unique=True)
    name = models.BinaryField()  # the original file name, encrypted
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering: ClassVar = ["created_at", "id"]

    def __str__(self) -> str:
        return f"file {self.pk}"


class IdentityRequest(models.Model):
    """A handler asks the custodians to unseal a confidential reporter's identity for the unit."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="identity_requests")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    # Reasons are sealed (``sealing``) to the unit's keyring and the custodians' keyring.
    reason = models.JSONField(_("reason"), default=dict)
    state = models.CharField(max_length=16, choices=DisclosureState.choices, default=DisclosureState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.JSONField(_("reason for the decision"), default=dict, blank=True)
    # On approval: the identity sealed to the requesting unit's keyring.
    sealed_identity = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity request")
        verbose_name_plural = _("identity requests")
        ordering: ClassVar = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"identity request {self.pk}"


class ArchivedTally(models.Model):
    """What deleted reports leave behind: counts only, so published statistics stay whole."""

    year = models.PositiveSmallIntegerField()  # Jalali year the report was received
    category = models.ForeignKey(Category, models.PROTECT, related_name="+")
    province = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=32, choices=CaseStatus.choices)
    count = models.PositiveIntegerField(default=0)
    days_to_close = models.JSONField(default=list)  # one integer per closed report, for medians

    class Meta:
        verbose_name = _("archived tally")
        verbose_name_plural = _("archived tallies")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["year", "category", "province", "status"],
                condition=models.Q(province__isnull=False),
                name="reports_tally_once_province",
            ),
            models.UniqueConstraint(
                fields=["year", "category", "status"],
                condition=models.Q(province__isnull=True),
                name="reports_tally_once_national",
            ),
        ]

    def __str__(self) -> str:
        return f"tally {self.year} {self.category_id} {self.status}"
