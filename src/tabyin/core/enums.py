from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    HQ = "hq", _("Headquarters")
    PROVINCE = "province", _("Provincial directorate")
    BRANCH = "branch", _("Branch")
    VIOLATIONS_BOARD = "violations_board", _("Administrative-violations board")
    SECURITY = "security", _("Security office")
    INSPECTION = "inspection", _("Inspection directorate")


SPECIAL_KINDS = (UnitKind.VIOLATIONS_BOARD, UnitKind.SECURITY, UnitKind.INSPECTION)


class Role(models.TextChoices):
    """The staff roles of the brief. A user holds roles per unit through ``Membership``."""

    ANALYST = "analyst", _("Public-relations analyst")
    SENIOR_MANAGER = "senior_manager", _("Senior manager")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial PR officer")
    DATA_PUBLISHER = "data_publisher", _("Data publisher")
    CASE_HANDLER = "case_handler", _("Case handler")
    EVALUATOR = "evaluator", _("Evaluator")
    JUROR = "juror", _("Jury member")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Holds the key that unseals confidential reporters' identities; decides handlers' requests.
    CUSTODIAN = "custodian", _("Identity custodian")
    # Any other member of a unit (a hospital's or a branch's staff, an HQ deputy's office): asks PR
    # for news, coverage or a campaign through the request desk; no other right.
    STAFF = "staff", _("Staff member")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    GRANT = "grant", _("Role granted")
    REVOKE = "revoke", _("Role revoked")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Log-in failed")
    LOGOUT = "logout", _("Logged out")
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_RESET = "otp_reset", _("Second factor reset")
    # Reading a violation report or one of its files: who read what is kept, never what it said.
    VIEW = "view", _("Viewed")
