"""Where and how a deployment runs: data directory, database, Redis, its secrets, the hosts and
addresses it answers to, mail, backups, logging and staff log-in lockout."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from tabyin.config.env_groups.base import EnvGroup, comma_list, env_var


class DeploymentEnv(EnvGroup):
    data_dir: Path = Field(
        default=Path("var"),
        validation_alias=env_var("TABYIN_DATA_DIR"),
        description="Directory for the SQLite database, generated secret key, uploads and "
        "collected static files. Relative paths are taken from the current directory.",
    )
    database_url: str = Field(
        default="",
        validation_alias=env_var("DATABASE_URL"),
        description="Database URL, e.g. postgres://user@127.0.0.1:5432/tabyin. Empty means "
        "SQLite at DATA_DIR/tabyin.sqlite3 (WAL, 5 s busy timeout).",
    )
    redis_url: str = Field(
        default="",
        validation_alias=env_var("REDIS_URL"),
        description="Redis URL, e.g. redis://127.0.0.1:6379/0. Empty means in-memory cache and "
        "in-process background tasks (embedded mode); set means Redis cache and Celery (scaled).",
    )
    secret_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_SECRET_KEY"),
        description="Django secret key. Empty means one is generated once and kept in "
        "DATA_DIR/secret_key with mode 0600. Set it (the same on every web process) when scaled.",
    )
    otp_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_OTP_KEY"),
        description="Key that encrypts the staff authenticator (TOTP) secrets in the database. Empty "
        "means one is generated once and kept in DATA_DIR/otp_key with mode 0600. Set it (the same on "
        "every web and worker process) when scaled; losing it means every staff member enrols again.",
    )
    identity_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_IDENTITY_KEY"),
        description="Key of the keyed hashes that stand for verified phone numbers and e-mail "
        "addresses. Empty means one is generated once and kept in DATA_DIR/identity_key.",
    )
    debug: bool = Field(
        default=False,
        validation_alias=env_var("TABYIN_DEBUG"),
        description="Development mode: detailed error pages. Never true in production.",
    )
    allowed_hosts: list[str] = Field(
        default=["127.0.0.1", "localhost", "[::1]"],
        validation_alias=env_var("TABYIN_ALLOWED_HOSTS"),
        description="Comma-separated host names this site answers to.",
    )
    https: bool = Field(
        default=False,
        validation_alias=env_var("TABYIN_HTTPS"),
        description="The site is served over HTTPS (behind a TLS proxy): turns on HSTS, secure "
        "cookies and the redirect to https.",
    )
    trusted_proxy: bool = Field(
        default=False,
        validation_alias=env_var("TABYIN_TRUSTED_PROXY"),
        description="Trust the X-Forwarded-Proto header from the reverse proxy in front.",
    )
    language: Literal["fa", "en"] = Field(
        default="fa",
        validation_alias=env_var("TABYIN_LANGUAGE"),
        description="Default interface language: fa (Persian, right-to-left) or en.",
    )
    site_name: str = Field(
        default="تبیین",
        validation_alias=env_var("TABYIN_SITE_NAME"),
        description="The public name of this deployment shown in the header (e.g. «تأمین‌نما»).",
    )
    site_url: str = Field(
        default="http://127.0.0.1:8000",
        validation_alias=env_var("TABYIN_SITE_URL"),
        description="Public address of this deployment, for links in e-mails, alerts and bot "
        "messages (no trailing slash).",
    )
    email_url: str = Field(
        default="",
        validation_alias=env_var("TABYIN_EMAIL_URL"),
        description="Outgoing mail server, smtp://user:password@host:587 (STARTTLS) or "
        "smtps://…:465. Empty means mail is written to DATA_DIR/mail as files.",
    )
    email_from: str = Field(
        default="tabyin@localhost",
        validation_alias=env_var("TABYIN_EMAIL_FROM"),
        description="Sender address of outgoing mail.",
    )
    backup_passphrase: str = Field(
        default="",
        validation_alias=env_var("TABYIN_BACKUP_PASSPHRASE"),
        description="Passphrase of `tabyin backup` and `tabyin restore` archives, for unattended "
        "backups (at least 12 characters). Empty means --passphrase-file, else a prompt.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        validation_alias=env_var("TABYIN_LOG_LEVEL"),
        description="Lowest level written to the log (standard error).",
    )
    login_failure_limit: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=env_var("TABYIN_LOGIN_FAILURE_LIMIT"),
        description="Failed staff log-ins for one user name before it is locked out.",
    )
    login_lockout_minutes: int = Field(
        default=30,
        ge=1,
        le=1440,
        validation_alias=env_var("TABYIN_LOGIN_LOCKOUT_MINUTES"),
        description="How long a locked-out user name stays locked.",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        return comma_list(value)

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
