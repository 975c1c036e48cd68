"""The media monitor: story window and dates, polling sources, alerts, the daily brief, the tipline
and the optional logged-in Telegram adapter."""

from __future__ import annotations

from pydantic import Field, field_validator

from tabyin.config.env_groups.base import EnvGroup, comma_list, env_var


class MonitorEnv(EnvGroup):
    monitor_index_window_days: int = Field(
        default=7,
        ge=1,
        le=90,
        validation_alias=env_var("TABYIN_MONITOR_INDEX_WINDOW_DAYS"),
        description="Days a story stays in the near-duplicate index (hot window): a repost older "
        "than this starts a new story.",
    )
    monitor_date_min_year: int = Field(
        default=2000,
        ge=1970,
        le=2100,
        validation_alias=env_var("TABYIN_MONITOR_DATE_MIN_YEAR"),
        description="Earliest year taken as a real publication date; an earlier one is refused by "
        "tabyin ingest and stored as date unknown from sources.",
    )
    monitor_date_future_hours: int = Field(
        default=24,
        ge=0,
        le=720,
        validation_alias=env_var("TABYIN_MONITOR_DATE_FUTURE_HOURS"),
        description="How far ahead of now a publication date may be, in hours (clocks and time "
        "zones differ); a later one is refused by tabyin ingest and stored as date unknown from sources.",
    )
    monitor_host_requests_per_minute: int = Field(
        default=20,
        ge=1,
        le=6000,
        validation_alias=env_var("TABYIN_MONITOR_HOST_REQUESTS_PER_MINUTE"),
        description="Most requests the poller sends to one host per minute (all its sources together).",
    )
    monitor_freshness_seconds: int = Field(
        default=100,
        ge=60,
        le=7200,
        validation_alias=env_var("TABYIN_MONITOR_FRESHNESS_SECONDS"),
        description=(
            "Longest a healthy source waits between polls (busy ones are polled up to once a minute), "
            "within its host's budget."
        ),
    )
    monitor_fetch_timeout_seconds: int = Field(
        default=20,
        ge=1,
        le=300,
        validation_alias=env_var("TABYIN_MONITOR_FETCH_TIMEOUT_SECONDS"),
        description="A source that has not answered completely in this many seconds fails the poll.",
    )
    monitor_max_response_mb: int = Field(
        default=5,
        ge=1,
        le=100,
        validation_alias=env_var("TABYIN_MONITOR_MAX_RESPONSE_MB"),
        description="Largest response read from a source, in megabytes; a larger one fails the poll.",
    )
    monitor_raw_keep_kb: int = Field(
        default=256,
        ge=0,
        le=10240,
        validation_alias=env_var("TABYIN_MONITOR_RAW_KEEP_KB"),
        description="How much of a failed poll's raw response is kept for diagnosis, in kilobytes.",
    )
    monitor_bot_api_base: str = Field(
        default="https://api.telegram.org",
        validation_alias=env_var("TABYIN_MONITOR_BOT_API_BASE"),
        description="Base address of the Telegram-compatible bot API used for alerts and for "
        "publishing answers to owned channels (e.g. https://tapi.bale.ai for Bale).",
    )
    monitor_bot_token: str = Field(
        default="",
        validation_alias=env_var("TABYIN_MONITOR_BOT_TOKEN"),
        description="Bot token for that API. Empty turns bot delivery off.",
    )
    monitor_alert_cooldown_hours: int = Field(
        default=24,
        ge=1,
        le=720,
        validation_alias=env_var("TABYIN_MONITOR_ALERT_COOLDOWN_HOURS"),
        description="Cool-down of alerts: another rule tripping on a story within this many hours "
        "of its alert's last trip updates that alert (its count and latest figures) instead of "
        "firing a new one.",
    )
    monitor_brief_hour: int = Field(
        default=7,
        ge=0,
        le=23,
        validation_alias=env_var("TABYIN_MONITOR_BRIEF_HOUR"),
        description="Hour of the day (Tehran time) at which the daily brief is built and e-mailed.",
    )
    monitor_brief_recipients: list[str] = Field(
        default=[],
        validation_alias=env_var("TABYIN_MONITOR_BRIEF_RECIPIENTS"),
        description="Comma-separated e-mail addresses for the daily brief. Empty means every "
        "active senior manager with an e-mail address.",
    )
    monitor_tips_per_hour: int = Field(
        default=10,
        ge=1,
        le=1000,
        validation_alias=env_var("TABYIN_MONITOR_TIPS_PER_HOUR"),
        description="Most tipline submissions accepted per browser session per hour.",
    )
    monitor_tips_site_per_hour: int = Field(
        default=600,
        ge=1,
        le=1_000_000,
        validation_alias=env_var("TABYIN_MONITOR_TIPS_SITE_PER_HOUR"),
        description="Most tipline submissions accepted per hour from everybody together: the limit "
        "a client cannot evade by dropping its session cookie.",
    )
    telethon_api_id: int = Field(
        default=0,
        ge=0,
        validation_alias=env_var("TABYIN_TELETHON_API_ID"),
        description="Telegram API id for the optional logged-in adapter (needs the "
        "telegram-account extra). 0 turns the adapter off.",
    )
    telethon_api_hash: str = Field(
        default="",
        validation_alias=env_var("TABYIN_TELETHON_API_HASH"),
        description="Telegram API hash for the optional logged-in adapter.",
    )

    @field_validator("monitor_brief_recipients", mode="before")
    @classmethod
    def _split_recipients(cls, value: object) -> object:
        return comma_list(value)
