"""The channels core sends through: SMS, the staff notifications bot, and the notices to the public
(SMS, Bale's Safir, browser push)."""

from __future__ import annotations

from pydantic import Field

from tabyin.config.env_groups.base import EnvGroup, env_var


class MessagingEnv(EnvGroup):
    sms_backend: str = Field(
        default="tabyin.core.sms.console.ConsoleBackend",
        validation_alias=env_var("TABYIN_SMS_BACKEND"),
        description="Dotted path of the SMS backend class: the console backend (log and in-process "
        "outbox) or tabyin.core.sms.kavenegar.KavenegarBackend.",
    )
    sms_api_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_SMS_API_KEY"),
        description="API key of the SMS provider (Kavenegar). Keep it out of the repository.",
    )
    sms_sender: str = Field(
        default="",
        validation_alias=env_var("TABYIN_SMS_SENDER"),
        description="Sender line number at the SMS provider; empty means the account's default line.",
    )
    sms_api_base: str = Field(
        default="https://api.kavenegar.com",
        validation_alias=env_var("TABYIN_SMS_API_BASE"),
        description="Base address of the Kavenegar API.",
    )
    notify_bot_api_base: str = Field(
        default="https://tapi.bale.ai",
        validation_alias=env_var("TABYIN_NOTIFY_BOT_API_BASE"),
        description="Base address of the Telegram-compatible bot API that tells staff about new "
        "work (core's notifications).",
    )
    notify_bot_token: str = Field(
        default="",
        validation_alias=env_var("TABYIN_NOTIFY_BOT_TOKEN"),
        description="Bot token for the notifications bot. Empty turns bot notifications off.",
    )
    public_sms: bool = Field(
        default=False,
        validation_alias=env_var("TABYIN_PUBLIC_SMS"),
        description="Send notices to the public (a reply on a report, a meeting reminder) also by SMS, "
        "through TABYIN_SMS_BACKEND, to people who gave a number for it. Off: the in-app inbox only.",
    )
    bale_safir_api_base: str = Field(
        default="https://safir.bale.ai",
        validation_alias=env_var("TABYIN_BALE_SAFIR_API_BASE"),
        description="Base address of Bale's send-to-phone service (Safir).",
    )
    bale_safir_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_BALE_SAFIR_KEY"),
        description="Safir's api-access-key of the organization. Empty turns the Bale channel of "
        "notices to the public off. Keep it out of the repository.",
    )
    bale_safir_bot_id: int = Field(
        default=0,
        ge=0,
        validation_alias=env_var("TABYIN_BALE_SAFIR_BOT_ID"),
        description="Numeric id of the Bale bot (bazu) that Safir sends the notices from.",
    )
    vapid_private_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_VAPID_PRIVATE_KEY"),
        description="VAPID private key (base64url, as `vapid --gen` writes it) for browser push of "
        "notices to the public. Empty turns browser push off. Needs the `push` extra (pywebpush).",
    )
    vapid_public_key: str = Field(
        default="",
        validation_alias=env_var("TABYIN_VAPID_PUBLIC_KEY"),
        description="The matching VAPID public key (base64url, uncompressed point) that browsers "
        "subscribe with.",
    )
    vapid_subject: str = Field(
        default="mailto:admin@localhost",
        validation_alias=env_var("TABYIN_VAPID_SUBJECT"),
        description="VAPID subject (a mailto: or https: address) the push services may contact.",
    )
