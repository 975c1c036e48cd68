"""The one place that reads the process environment.

Every variable Tabyin understands is a field below, with its type, a safe embedded default and a
line of documentation. ``docs/settings.md`` is checked against this class by a test, so adding a
field without documenting it fails CI.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator


class ConfigError(Exception):
    """A setting has a bad value; the message names the variable and how to fix it."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class TabyinEnv(BaseModel):
    """Validated from ``os.environ`` as a mapping (:func:`load`). A plain model, not
    pydantic-settings: its import was a tenth of a second of every command's start-up, for
    reading a dictionary. Lists come as comma-separated text (never JSON)."""

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=False,
        validate_default=True,
    )

    data_dir: Path = Field(
        default=Path("var"),
        validation_alias=_env("TABYIN_DATA_DIR"),
        description="Directory for the SQLite database, generated secret key, uploads and "
        "collected static files. Relative paths are taken from the current directory.",
    )
    database_url: str = Field(
        default="",
        validation_alias=_env("DATABASE_URL"),
        description="Database URL, e.g. postgres://user@127.0.0.1:5432/tabyin. Empty means "
        "SQLite at DATA_DIR/tabyin.sqlite3 (WAL, 5 s busy timeout).",
    )
    redis_url: str = Field(
        default="",
        validation_alias=_env("REDIS_URL"),
        description="Redis URL, e.g. redis://127.0.0.1:6379/0. Empty means in-memory cache and "
        "in-process background tasks (embedded mode); set means Redis cache and Celery (scaled).",
    )
    secret_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_SECRET_KEY"),
        description="Django secret key. Empty means one is generated once and kept in "
        "DATA_DIR/secret_key with mode 0600. Set it (the same on every web process) when scaled.",
    )
    otp_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_OTP_KEY"),
        description="Key that encrypts the staff authenticator (TOTP) secrets in the database. Empty "
        "means one is generated once and kept in DATA_DIR/otp_key with mode 0600. Set it (the same on "
        "every web and worker process) when scaled; losing it means every staff member enrols again.",
    )
    debug: bool = Field(
        default=False,
        validation_alias=_env("TABYIN_DEBUG"),
        description="Development mode: detailed error pages. Never true in production.",
    )
    allowed_hosts: list[str] = Field(
        default=["127.0.0.1", "localhost", "[::1]"],
        validation_alias=_env("TABYIN_ALLOWED_HOSTS"),
        description="Comma-separated host names this site answers to.",
    )
    https: bool = Field(
        default=False,
        validation_alias=_env("TABYIN_HTTPS"),
        description="The site is served over HTTPS (behind a TLS proxy): turns on HSTS, secure "
        "cookies and the redirect to https.",
    )
    trusted_proxy: bool = Field(
        default=False,
        validation_alias=_env("TABYIN_TRUSTED_PROXY"),
        description="Trust the X-Forwarded-Proto header from the reverse proxy in front.",
    )
    language: Literal["fa", "en"] = Field(
        default="fa",
        validation_alias=_env("TABYIN_LANGUAGE"),
        description="Default interface language: fa (Persian, right-to-left) or en.",
    )
    site_name: str = Field(
        default="تبیین",
        validation_alias=_env("TABYIN_SITE_NAME"),
        description="The public name of this deployment shown in the header (e.g. «تأمین‌نما»).",
    )
    email_url: str = Field(
        default="",
        validation_alias=_env("TABYIN_EMAIL_URL"),
        description="Outgoing mail server, smtp://user:password@host:587 (STARTTLS) or "
        "smtps://…:465. Empty means mail is written to DATA_DIR/mail as files.",
    )
    email_from: str = Field(
        default="tabyin@localhost",
        validation_alias=_env("TABYIN_EMAIL_FROM"),
        description="Sender address of outgoing mail.",
    )
    web_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        validation_alias=_env("TABYIN_WEB_WORKERS"),
        description="Web server worker processes for `tabyin serve` and `tabyin demo`. 0 means one "
        "per CPU core (at most 4) in embedded mode and 2 × CPU cores + 1 in scaled mode.",
    )
    web_threads: int = Field(
        default=4,
        ge=1,
        le=64,
        validation_alias=_env("TABYIN_WEB_THREADS"),
        description="Threads per web worker process.",
    )
    response_cache: bool = Field(
        default=True,
        validation_alias=_env("TABYIN_RESPONSE_CACHE"),
        description="Serve public pages and open-data API reads from a cache of whole responses, "
        "rendered once per data version (per web process in embedded mode, once for all in scaled "
        "mode). Turn off only to measure the uncached cost.",
    )
    response_cache_entries: int = Field(
        default=1000,
        ge=10,
        le=100_000,
        validation_alias=_env("TABYIN_RESPONSE_CACHE_ENTRIES"),
        description="Embedded mode: how many responses each web process keeps in memory (the "
        "largest, an indicator page, is about 100 KB). Scaled mode keeps them in Redis instead.",
    )
    cache_version_ttl_ms: int = Field(
        default=1000,
        ge=0,
        le=60_000,
        validation_alias=_env("TABYIN_CACHE_VERSION_TTL_MS"),
        description="How long, in milliseconds, a web process trusts the publish counters it last "
        "read before reading them again (ADR 0019): the longest another process can keep serving "
        "a page from before a release. The publishing process sees its own change at once. 0 reads "
        "them for every cached answer.",
    )
    task_threads: int = Field(
        default=2,
        ge=1,
        le=32,
        validation_alias=_env("TABYIN_TASK_THREADS"),
        description="Threads that run background tasks inside the web process in embedded mode.",
    )
    tasks_eager: bool = Field(
        default=False,
        validation_alias=_env("TABYIN_TASKS_EAGER"),
        description="Run background tasks synchronously right after the transaction commits "
        "(tests and debugging). Ignored when REDIS_URL is set.",
    )
    task_visibility_seconds: int = Field(
        default=3600,
        ge=5,
        le=86400,
        validation_alias=_env("TABYIN_TASK_VISIBILITY_SECONDS"),
        description="Scaled mode: seconds after which Redis hands a task whose worker died "
        "(never acknowledged) to another worker. Longer than the slowest task.",
    )
    task_lost_after_seconds: int = Field(
        default=120,
        ge=1,
        le=86400,
        validation_alias=_env("TABYIN_TASK_LOST_AFTER_SECONDS"),
        description="An alert delivery or report notice still unsent this long after it was queued "
        "or claimed is queued again by the periodic sweep (its task was lost in a restart).",
    )
    heartbeat_seconds: int = Field(
        default=60,
        ge=5,
        le=3600,
        validation_alias=_env("TABYIN_HEARTBEAT_SECONDS"),
        description="How often a background job records that workers are alive (shown on the "
        "System page and in /healthz).",
    )
    upload_max_mb: int = Field(
        default=20,
        ge=1,
        le=1024,
        validation_alias=_env("TABYIN_UPLOAD_MAX_MB"),
        description="Largest data file (CSV or XLSX) a data publisher may upload, in megabytes.",
    )
    evidence_max_mb: int = Field(
        default=10,
        ge=1,
        le=200,
        validation_alias=_env("TABYIN_EVIDENCE_MAX_MB"),
        description="Largest scorecard evidence file (PDF, image or office document), in megabytes.",
    )
    evidence_max_files: int = Field(
        default=10,
        ge=1,
        le=100,
        validation_alias=_env("TABYIN_EVIDENCE_MAX_FILES"),
        description="Most evidence files a province may attach to one sub-indicator in a period.",
    )
    scorecard_draws: int = Field(
        default=1000,
        ge=0,
        le=100000,
        validation_alias=_env("TABYIN_SCORECARD_DRAWS"),
        description="Random draws of the scorecard's robustness analysis (rank intervals); 0 turns it off.",
    )
    receipt_pepper: str = Field(
        default="",
        validation_alias=_env("TABYIN_RECEIPT_PEPPER"),
        description="Secret mixed into every report receipt code before it is hashed; kept outside "
        "the database. Takes precedence over TABYIN_RECEIPT_PEPPER_FILE. Set it (the same on every "
        "web process) when scaled; losing it makes every receipt unusable.",
    )
    receipt_pepper_file: str = Field(
        default="",
        validation_alias=_env("TABYIN_RECEIPT_PEPPER_FILE"),
        description="File holding the receipt pepper, made there once (mode 0600) if missing. Put it "
        "outside the data directory and out of its backups, so a stolen backup cannot test receipt "
        "guesses at all. Unset means DATA_DIR/receipt_pepper: then every backup of the data "
        "directory holds it, and each guess costs one Argon2id run and nothing more.",
    )
    backup_passphrase: str = Field(
        default="",
        validation_alias=_env("TABYIN_BACKUP_PASSPHRASE"),
        description="Passphrase of `tabyin backup` and `tabyin restore` archives, for unattended "
        "backups (at least 12 characters). Empty means --passphrase-file, else a prompt.",
    )
    receipt_hash_ops: int = Field(
        default=3,
        ge=1,
        le=10,
        validation_alias=_env("TABYIN_RECEIPT_HASH_OPS"),
        description="Argon2id passes over memory when a receipt code is hashed (time cost).",
    )
    receipt_hash_mb: int = Field(
        default=64,
        ge=8,
        le=1024,
        validation_alias=_env("TABYIN_RECEIPT_HASH_MB"),
        description="Argon2id memory when a receipt code is hashed, in megabytes (memory cost).",
    )
    reports_file_max_mb: int = Field(
        default=10,
        ge=1,
        le=100,
        validation_alias=_env("TABYIN_REPORTS_FILE_MAX_MB"),
        description="Largest evidence file a reporter may attach, in megabytes.",
    )
    reports_max_files: int = Field(
        default=5,
        ge=0,
        le=20,
        validation_alias=_env("TABYIN_REPORTS_MAX_FILES"),
        description="Most evidence files on one report or one reporter message.",
    )
    reports_submissions_per_minute: int = Field(
        default=30,
        ge=1,
        le=10000,
        validation_alias=_env("TABYIN_REPORTS_SUBMISSIONS_PER_MINUTE"),
        description="Reports and reporter messages accepted per minute (per web process when "
        "embedded) before new form challenges ask for 4 more bits of work, and the most accepted "
        "per minute without a solved challenge (no JavaScript). Nobody with a solved challenge is "
        "refused for it.",
    )
    reports_lookup_failures_per_minute: int = Field(
        default=60,
        ge=1,
        le=10000,
        validation_alias=_env("TABYIN_REPORTS_LOOKUP_FAILURES_PER_MINUTE"),
        description="Wrong receipt codes sent without a solved challenge (no JavaScript) per minute "
        "before that path pauses for the rest of the minute; lookups with a solved challenge never "
        "pause (each token allows 3 wrong codes).",
    )
    api_key_grace_hours: int = Field(
        default=72,
        ge=0,
        le=24 * 90,
        validation_alias=_env("TABYIN_API_KEY_GRACE_HOURS"),
        description="Hours a public-API client's old key keeps working after the key is rotated, so "
        "the app can ship the new key without an outage; 0 ends it at once.",
    )
    reports_pow_bits: int = Field(
        default=16,
        ge=0,
        le=28,
        validation_alias=_env("TABYIN_REPORTS_POW_BITS"),
        description="Proof-of-work challenge of the public report forms, in leading zero bits of "
        "SHA-256 (2^bits hashes on average): solved by the page's script while the person types. "
        "0 makes it free (any answer the script sends passes at once).",
    )
    reports_nojs_wait_seconds: int = Field(
        default=20,
        ge=0,
        le=600,
        validation_alias=_env("TABYIN_REPORTS_NOJS_WAIT_SECONDS"),
        description="How long after a report form, message form or follow-up form was served it is "
        "accepted without a solved challenge (JavaScript off).",
    )
    reports_recovery_public_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_REPORTS_RECOVERY_PUBLIC_KEY"),
        description="Public half (base64) of the offline recovery key pair made by `tabyin manage "
        "reports_recovery_keygen`; every unit key is also sealed to it. Empty means no recovery: "
        "a unit whose handlers all lose their passphrases loses its reports.",
    )
    reports_stats_min_count: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=_env("TABYIN_REPORTS_STATS_MIN_COUNT"),
        description='Published report statistics show smaller counts only as "fewer than N".',
    )
    site_url: str = Field(
        default="http://127.0.0.1:8000",
        validation_alias=_env("TABYIN_SITE_URL"),
        description="Public address of this deployment, for links in e-mails, alerts and bot "
        "messages (no trailing slash).",
    )
    monitor_index_window_days: int = Field(
        default=7,
        ge=1,
        le=90,
        validation_alias=_env("TABYIN_MONITOR_INDEX_WINDOW_DAYS"),
        description="Days a story stays in the near-duplicate index (hot window): a repost older "
        "than this starts a new story.",
    )
    monitor_date_min_year: int = Field(
        default=2000,
        ge=1970,
        le=2100,
        validation_alias=_env("TABYIN_MONITOR_DATE_MIN_YEAR"),
        description="Earliest year taken as a real publication date; an earlier one is refused by "
        "tabyin ingest and stored as date unknown from sources.",
    )
    monitor_date_future_hours: int = Field(
        default=24,
        ge=0,
        le=720,
        validation_alias=_env("TABYIN_MONITOR_DATE_FUTURE_HOURS"),
        description="How far ahead of now a publication date may be, in hours (clocks and time "
        "zones differ); a later one is refused by tabyin ingest and stored as date unknown from sources.",
    )
    monitor_host_requests_per_minute: int = Field(
        default=20,
        ge=1,
        le=6000,
        validation_alias=_env("TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE"),
        description="Most requests the poller sends to one host per minute (all its sources together).",
    )
    monitor_freshness_seconds: int = Field(
        default=100,
        ge=60,
        le=7200,
        validation_alias=_env("TABYIN_MONITOR_FRESHNESS_SECONDS"),
        description=(
            "Longest a healthy source waits between polls (busy ones are polled up to once a minute), "
            "within its host's budget."
        ),
    )
    monitor_fetch_timeout_seconds: int = Field(
        default=20,
        ge=1,
        le=300,
        validation_alias=_env("TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS"),
        description="A source that has not answered completely in this many seconds fails the poll.",
    )
    monitor_max_response_mb: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=_env("TABYIN_MONITOR_MAX_RESPONSE_MB"),
        description="Largest response read from a source, in megabytes; a larger one fails the poll.",
    )
    monitor_raw_keep_kb: int = Field(
        default=256,
        ge=0,
        le=10240,
        validation_alias=_env("TABYIN_MONITOR_RAW_KEEP_KB"),
        description="How much of a failed poll's raw response is kept for diagnosis, in kilobytes.",
    )
    sms_backend: str = Field(
        default="tabyin.core.sms.console.ConsoleBackend",
        validation_alias=_env("TABYIN_SMS_BACKEND"),
        description="Dotted path of the SMS backend class: the console backend (log and in-process "
        "outbox) or tabyin.core.sms.kavenegar.KavenegarBackend.",
    )
    sms_api_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_SMS_API_KEY"),
        description="API key of the SMS provider (Kavenegar). Keep it out of the repository.",
    )
    sms_sender: str = Field(
        default="",
        validation_alias=_env("TABYIN_SMS_SENDER"),
        description="Sender line number at the SMS provider; empty means the account's default line.",
    )
    sms_api_base: str = Field(
        default="https://api.kavenegar.com",
        validation_alias=_env("TABYIN_SMS_API_BASE"),
        description="Base address of the Kavenegar API.",
    )
    identity_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_IDENTITY_KEY"),
        description="Key of the keyed hashes that stand for verified phone numbers and e-mail "
        "addresses. Empty means one is generated once and kept in DATA_DIR/identity_key.",
    )
    ideas_file_max_mb: int = Field(
        default=20,
        ge=1,
        le=200,
        validation_alias=_env("TABYIN_IDEAS_FILE_MAX_MB"),
        description="Largest file attached to an idea or a contest entry, in megabytes.",
    )
    ideas_support_burst: int = Field(
        default=20,
        ge=2,
        le=10000,
        validation_alias=_env("TABYIN_IDEAS_SUPPORT_BURST"),
        description="Supports from one network source to one challenge within 10 minutes that "
        "flag them all for moderators.",
    )
    ideas_insured_registry: str = Field(
        default="",
        validation_alias=_env("TABYIN_IDEAS_INSURED_REGISTRY"),
        description="Dotted path of the callable that checks an insurance number and national "
        "code against the registry of insured people. Empty means none is connected.",
    )
    notify_bot_api_base: str = Field(
        default="https://tapi.bale.ai",
        validation_alias=_env("TABYIN_NOTIFY_BOT_API_BASE"),
        description="Base address of the Telegram-compatible bot API that tells staff about new "
        "work (core's notifications).",
    )
    notify_bot_token: str = Field(
        default="",
        validation_alias=_env("TABYIN_NOTIFY_BOT_TOKEN"),
        description="Bot token for the notifications bot. Empty turns bot notifications off.",
    )
    public_sms: bool = Field(
        default=False,
        validation_alias=_env("TABYIN_PUBLIC_SMS"),
        description="Send notices to the public (a reply on a report, a meeting reminder) also by SMS, "
        "through TABYIN_SMS_BACKEND, to people who gave a number for it. Off: the in-app inbox only.",
    )
    bale_safir_api_base: str = Field(
        default="https://safir.bale.ai",
        validation_alias=_env("TABYIN_BALE_SAFIR_API_BASE"),
        description="Base address of Bale's send-to-phone service (Safir).",
    )
    bale_safir_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_BALE_SAFIR_KEY"),
        description="Safir's api-access-key of the organization. Empty turns the Bale channel of "
        "notices to the public off. Keep it out of the repository.",
    )
    bale_safir_bot_id: int = Field(
        default=0,
        ge=0,
        validation_alias=_env("TABYIN_BALE_SAFIR_BOT_ID"),
        description="Numeric id of the Bale bot (bazu) that Safir sends the notices from.",
    )
    vapid_private_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_VAPID_PRIVATE_KEY"),
        description="VAPID private key (base64url, as `vapid --gen` writes it) for browser push of "
        "notices to the public. Empty turns browser push off. Needs the `push` extra (pywebpush).",
    )
    vapid_public_key: str = Field(
        default="",
        validation_alias=_env("TABYIN_VAPID_PUBLIC_KEY"),
        description="The matching VAPID public key (base64url, uncompressed point) that browsers "
        "subscribe with.",
    )
    vapid_subject: str = Field(
        default="mailto:admin@localhost",
        validation_alias=_env("TABYIN_VAPID_SUBJECT"),
        description="VAPID subject (a mailto: or https: address) the push services may contact.",
    )
    monitor_bot_api_base: str = Field(
        default="https://api.telegram.org",
        validation_alias=_env("TABYIN_MONITOR_BOT_API_BASE"),
        description="Base address of the Telegram-compatible bot API used for alerts and for "
        "publishing answers to owned channels (e.g. https://tapi.bale.ai for Bale).",
    )
    campaigns_telegram_api_base: str = Field(
        default="https://api.telegram.org",
        validation_alias=_env("TABYIN_CAMPAIGNS_TELEGRAM_API_BASE"),
        description="Base address of the Telegram API campaigns publish through.",
    )
    campaigns_telegram_token: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_TELEGRAM_TOKEN"),
        description="Token of the organization's Telegram bot. Empty: that channel is not configured.",
    )
    campaigns_telegram_chat: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_TELEGRAM_CHAT"),
        description="The organization's Telegram channel (e.g. @name) campaigns post to.",
    )
    campaigns_bale_api_base: str = Field(
        default="https://tapi.bale.ai",
        validation_alias=_env("TABYIN_CAMPAIGNS_BALE_API_BASE"),
        description="Base address of the Bale API campaigns publish through.",
    )
    campaigns_bale_token: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_BALE_TOKEN"),
        description="Token of the organization's Bale bot. Empty: that channel is not configured.",
    )
    campaigns_bale_chat: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_BALE_CHAT"),
        description="The organization's Bale channel (e.g. @name) campaigns post to.",
    )
    campaigns_eitaa_api_base: str = Field(
        default="https://eitaayar.ir/api",
        validation_alias=_env("TABYIN_CAMPAIGNS_EITAA_API_BASE"),
        description="Base address of the Eitaa (Eitaayar) API campaigns publish through.",
    )
    campaigns_eitaa_token: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_EITAA_TOKEN"),
        description="Token of the organization's Eitaa (Eitaayar) bot. "
        "Empty: that channel is not configured.",
    )
    campaigns_eitaa_chat: str = Field(
        default="",
        validation_alias=_env("TABYIN_CAMPAIGNS_EITAA_CHAT"),
        description="The organization's Eitaa (Eitaayar) channel (e.g. @name) campaigns post to.",
    )
    monitor_bot_token: str = Field(
        default="",
        validation_alias=_env("TABYIN_MONITOR_BOT_TOKEN"),
        description="Bot token for that API. Empty turns bot delivery off.",
    )
    monitor_alert_cooldown_hours: int = Field(
        default=24,
        ge=1,
        le=720,
        validation_alias=_env("TABYIN_MONITOR_ALERT_COOLDOWN_HOURS"),
        description="Cool-down of alerts: another rule tripping on a story within this many hours "
        "of its alert's last trip updates that alert (its count and latest figures) instead of "
        "firing a new one.",
    )
    monitor_brief_hour: int = Field(
        default=7,
        ge=0,
        le=23,
        validation_alias=_env("TABYIN_MONITOR_BRIEF_HOUR"),
        description="Hour of the day (Tehran time) at which the daily brief is built and e-mailed.",
    )
    monitor_brief_recipients: list[str] = Field(
        default=[],
        validation_alias=_env("TABYIN_MONITOR_BRIEF_RECIPIENTS"),
        description="Comma-separated e-mail addresses for the daily brief. Empty means every "
        "active senior manager with an e-mail address.",
    )
    monitor_tips_per_hour: int = Field(
        default=10,
        ge=1,
        le=1000,
        validation_alias=_env("TABYIN_MONITOR_TIPS_PER_HOUR"),
        description="Most tipline submissions accepted per browser session per hour.",
    )
    monitor_tips_site_per_hour: int = Field(
        default=600,
        ge=1,
        le=1_000_000,
        validation_alias=_env("TABYIN_MONITOR_TIPS_SITE_PER_HOUR"),
        description="Most tipline submissions accepted per hour from everybody together: the limit "
        "a client cannot evade by dropping its session cookie.",
    )
    telethon_api_id: int = Field(
        default=0,
        ge=0,
        validation_alias=_env("TABYIN_TELETHON_API_ID"),
        description="Telegram API id for the optional logged-in adapter (needs the "
        "telegram-account extra). 0 turns the adapter off.",
    )
    telethon_api_hash: str = Field(
        default="",
        validation_alias=_env("TABYIN_TELETHON_API_HASH"),
        description="Telegram API hash for the optional logged-in adapter.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        validation_alias=_env("TABYIN_LOG_LEVEL"),
        description="Lowest level written to the log (standard error).",
    )
    login_failure_limit: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=_env("TABYIN_LOGIN_FAILURE_LIMIT"),
        description="Failed staff log-ins for one user name before it is locked out.",
    )
    login_lockout_minutes: int = Field(
        default=30,
        ge=1,
        le=1440,
        validation_alias=_env("TABYIN_LOGIN_LOCKOUT_MINUTES"),
        description="How long a locked-out user name stays locked.",
    )

    @field_validator("allowed_hosts", "monitor_brief_recipients", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value and not value.startswith(("postgres://", "postgresql://", "sqlite:///")):
            raise ValueError(
                "must start with postgres://, postgresql:// or sqlite:///, "
                "e.g. postgres://tabyin@127.0.0.1:5432/tabyin"
            )
        return value

    @field_validator("redis_url", "email_url")
    @classmethod
    def _check_scheme(cls, value: str, info: object) -> str:
        field = getattr(info, "field_name", "")
        schemes = ("redis://", "rediss://") if field == "redis_url" else ("smtp://", "smtps://")
        if value and not value.startswith(schemes):
            raise ValueError(f"must start with {' or '.join(schemes)}")
        return value

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

    @property
    def scaled(self) -> bool:
        return bool(self.redis_url)


def env_name(field_name: str) -> str:
    alias = TabyinEnv.model_fields[field_name].validation_alias
    assert isinstance(alias, AliasChoices)
    first = alias.choices[0]
    assert isinstance(first, str)
    return first


def _explain(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        name = field if field.isupper() else env_name(field)
        raw = os.environ.get(name, "")
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}={raw!r}: {message}")
    return "; ".join(lines)


@lru_cache(maxsize=1)
def load() -> TabyinEnv:
    """Read and validate the environment once per process."""
    try:
        env = TabyinEnv.model_validate(dict(os.environ))
    except ValidationError as error:
        raise ConfigError(_explain(error)) from None
    env.data_dir = env.data_dir.expanduser().absolute()
    return env
