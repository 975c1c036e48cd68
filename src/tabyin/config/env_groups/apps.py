"""The other modules' limits and connections: the portal's uploads, the scorecard, the public API's
keys, the ideas module and the campaigns' channels."""

from __future__ import annotations

from pydantic import Field

from tabyin.config.env_groups.base import EnvGroup, env_var


class AppsEnv(EnvGroup):
    upload_max_mb: int = Field(
        default=20,
        ge=1,
        le=1024,
        validation_alias=env_var("TABYIN_UPLOAD_MAX_MB"),
        description="Largest data file (CSV or XLSX) a data publisher may upload, in megabytes.",
    )
    evidence_max_mb: int = Field(
        default=10,
        ge=1,
        le=200,
        validation_alias=env_var("TABYIN_EVIDENCE_MAX_MB"),
        description="Largest scorecard evidence file (PDF, image or office document), in megabytes.",
    )
    evidence_max_files: int = Field(
        default=10,
        ge=1,
        le=100,
        validation_alias=env_var("TABYIN_EVIDENCE_MAX_FILES"),
        description="Most evidence files a province may attach to one sub-indicator in a period.",
    )
    scorecard_draws: int = Field(
        default=1000,
        ge=0,
        le=100000,
        validation_alias=env_var("TABYIN_SCORECARD_DRAWS"),
        description="Random draws of the scorecard's robustness analysis (rank intervals); 0 turns it off.",
    )
    api_key_grace_hours: int = Field(
        default=72,
        ge=0,
        le=24 * 90,
        validation_alias=env_var("TABYIN_API_KEY_GRACE_HOURS"),
        description="Hours a public-API client's old key keeps working after the key is rotated, so "
        "the app can ship the new key without an outage; 0 ends it at once.",
    )
    ideas_file_max_mb: int = Field(
        default=20,
        ge=1,
        le=200,
        validation_alias=env_var("TABYIN_IDEAS_FILE_MAX_MB"),
        description="Largest file attached to an idea or a contest entry, in megabytes.",
    )
    ideas_support_burst: int = Field(
        default=20,
        ge=2,
        le=10000,
        validation_alias=env_var("TABYIN_IDEAS_SUPPORT_BURST"),
        description="Supports from one network source to one challenge within 10 minutes that "
        "flag them all for moderators.",
    )
    ideas_insured_registry: str = Field(
        default="",
        validation_alias=env_var("TABYIN_IDEAS_INSURED_REGISTRY"),
        description="Dotted path of the callable that checks an insurance number and national "
        "code against the registry of insured people. Empty means none is connected.",
    )
    campaigns_telegram_api_base: str = Field(
        default="https://api.telegram.org",
        validation_alias=env_var("TABYIN_CAMPAIGNS_TELEGRAM_API_BASE"),
        description="Base address of the Telegram API campaigns publish through.",
    )
    campaigns_telegram_token: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_TELEGRAM_TOKEN"),
        description="Token of the organization's Telegram bot. Empty: that channel is not configured.",
    )
    campaigns_telegram_chat: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_TELEGRAM_CHAT"),
        description="The organization's Telegram channel (e.g. @name) campaigns post to.",
    )
    campaigns_bale_api_base: str = Field(
        default="https://tapi.bale.ai",
        validation_alias=env_var("TABYIN_CAMPAIGNS_BALE_API_BASE"),
        description="Base address of the Bale API campaigns publish through.",
    )
    campaigns_bale_token: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_BALE_TOKEN"),
        description="Token of the organization's Bale bot. Empty: that channel is not configured.",
    )
    campaigns_bale_chat: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_BALE_CHAT"),
        description="The organization's Bale channel (e.g. @name) campaigns post to.",
    )
    campaigns_eitaa_api_base: str = Field(
        default="https://eitaayar.ir/api",
        validation_alias=env_var("TABYIN_CAMPAIGNS_EITAA_API_BASE"),
        description="Base address of the Eitaa (Eitaayar) API campaigns publish through.",
    )
    campaigns_eitaa_token: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_EITAA_TOKEN"),
        description="Token of the organization's Eitaa (Eitaayar) bot. "
        "Empty: that channel is not configured.",
    )
    campaigns_eitaa_chat: str = Field(
        default="",
        validation_alias=env_var("TABYIN_CAMPAIGNS_EITAA_CHAT"),
        description="The organization's Eitaa (Eitaayar) channel (e.g. @name) campaigns post to.",
    )
