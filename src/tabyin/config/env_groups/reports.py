"""The reports module: receipt codes, evidence files, the limits on anonymous senders, the recovery
key and published statistics."""

from __future__ import annotations

import base64

from pydantic import Field, field_validator

from tabyin.config.env_groups.base import EnvGroup, env_var


class ReportsEnv(EnvGroup):
    receipt_pepper: str = Field(
        default="",
        validation_alias=env_var("TABYIN_RECEIPT_PEPPER"),
        description="Secret mixed into every report receipt code before it is hashed; kept outside "
        "the database. Takes precedence over TABYIN_RECEIPT_PEPPER_FILE. Set it (the same on every "
        "web process) when scaled; losing it makes every receipt unusable.",
    )
    receipt_pepper_file: str = Field(
        default="",
        validation_alias=env_var("TABYIN_RECEIPT_PEPPER_FILE"),
        description="File holding the receipt pepper, made there once (mode 0600) if missing. Put it "
        "outside the data directory and out of its backups, so a stolen backup cannot test receipt "
        "guesses at all. Unset means DATA_DIR/receipt_pepper: then every backup of the data "
        "directory holds it, and each guess costs one Argon2id run and nothing more.",
    )
    receipt_hash_ops: int = Field(
        default=3,
        ge=1,
        le=10,
        validation_alias=env_var("TABYIN_RECEIPT_HASH_OPS"),
        description="Argon2id passes over memory when a receipt code is hashed (time cost).",
    )
    receipt_hash_mb: int = Field(
        default=64,
        ge=8,
        le=1024,
        validation_alias=env_var("TABYIN_RECEIPT_HASH_MB"),
        description="Argon2id memory when a receipt code is hashed, in megabytes (memory cost).",
    )
    reports_file_max_mb: int = Field(
        default=10,
        ge=1,
        le=100,
        validation_alias=env_var("TABYIN_REPORTS_FILE_MAX_MB"),
        description="Largest evidence file a reporter may attach, in megabytes.",
    )
    reports_max_files: int = Field(
        default=5,
        ge=0,
        le=20,
        validation_alias=env_var("TABYIN_REPORTS_MAX_FILES"),
        description="Most evidence files on one report or one reporter message.",
    )
    reports_submissions_per_minute: int = Field(
        default=30,
        ge=1,
        le=10000,
        validation_alias=env_var("TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE"),
        description="Reports and reporter messages accepted per minute (per web process when "
        "embedded) before new form challenges ask for 4 more bits of work, and the most accepted "
        "per minute without a solved challenge (no JavaScript). Nobody with a solved challenge is "
        "refused for it.",
    )
    reports_lookup_failures_per_minute: int = Field(
        default=60,
        ge=1,
        le=10000,
        validation_alias=env_var("TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE"),
        description="Wrong receipt codes sent without a solved challenge (no JavaScript) per minute "
        "before that path pauses for the rest of the minute; lookups with a solved challenge never "
        "pause (each token allows 3 wrong codes).",
    )
    reports_pow_bits: int = Field(
        default=16,
        ge=0,
        le=28,
        validation_alias=env_var("TABYIN_REPORTS_POW_BITS"),
        description="Proof-of-work challenge of the public report forms, in leading zero bits of "
        "SHA-256 (2^bits hashes on average): solved by the page's script while the person types. "
        "0 makes it free (any answer the script sends passes at once).",
    )
    reports_nojs_wait_seconds: int = Field(
        default=20,
        ge=0,
        le=600,
        validation_alias=env_var("TABYIN_REPORTS_NOJS_WAIT_SECONDS"),
        description="How long after a report form, message form or follow-up form was served it is "
        "accepted without a solved challenge (JavaScript off).",
    )
    reports_recovery_public_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_REPORTS_RECOVERY_PUBLIC_KEY"),
        description="Public half (base64) of the offline recovery key pair made by `tabyin manage "
        "reports_recovery_keygen`; every unit key is also sealed to it. Empty means no recovery: "
        "a unit whose handlers all lose their passphrases loses its reports.",
    )
    reports_stats_min_count: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=env_var("TABYIN_REPORTS_STATS_MIN_COUNT"),
        description='Published report statistics show smaller counts only as "fewer than N".',
    )

    @field_validator("reports_recovery_public_key")
    @classmethod
    def _check_recovery_key(cls, value: str) -> str:
        if value:
            try:
                raw = base64.b64decode(value.strip(), validate=True)
            except ValueError:
                raw = b""
            if len(raw) != 32:  # an X25519 public key
                raise ValueError(
                    "must be the base64 public key printed by `tabyin manage reports_recovery_keygen`"
                )
        return value.strip()
