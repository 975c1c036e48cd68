"""Codes shown to people: MIME types, delivery channels and unit codes as names.

Data keeps its codes (``application/pdf``, ``in_app``, ``ir-23-security``); pages show what a
reader understands ("PDF", «در سامانه», «حراست استان تهران»). Unknown codes come back unchanged,
so a new value shows up as itself instead of breaking a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tabyin.core.http import page_language
from tabyin.core.models import OrgUnit

_MIME: Final[dict[str, str | Promise]] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.oasis.opendocument.spreadsheet": _("OpenDocument spreadsheet"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.oasis.opendocument.text": _("OpenDocument text"),
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GeoJSON",
    "application/zip": _("ZIP archive"),
    "text/plain": _("Plain text"),
    "image/png": _("PNG image"),
    "image/jpeg": _("JPEG image"),
    "image/gif": _("GIF image"),
    "image/webp": _("WebP image"),
    "image/heic": _("HEIC image"),
    "image/svg+xml": _("SVG image"),
    "audio/mpeg": _("MP3 audio"),
    "audio/ogg": _("OGG audio"),
    "video/mp4": _("MP4 video"),
}
_MIME_FAMILY: Final[dict[str, Promise]] = {
    "image": _("Image"),
    "audio": _("Audio"),
    "video": _("Video"),
    "text": _("Text file"),
}

# The delivery channels of alerts and answers. The msgids are the monitor's, so one translation.
_CHANNELS: Final[dict[str, Promise]] = {
    "in_app": _("In the app"),
    "email": _("E-mail"),
    "webhook": _("Signed webhook"),
    "bot": _("Messenger bot"),
    "sms": _("SMS"),
    # The campaigns' owned channels (tabyin.campaigns.enums.Channel, the same msgids).
    "website": _("Website news page"),
    "telegram": _("Telegram channel"),
    "bale": _("Bale channel"),
    "eitaa": _("Eitaa channel"),
    "newsletter": _("E-mail newsletter"),
}

LIST_SEPARATOR: Final = {"fa": "، ", "en": ", "}


def mime_label(content_type: object) -> str:
    """``"application/pdf"`` -> ``"PDF"``, ``"image/png"`` -> «تصویر PNG»; parameters
    (``; charset=utf-8``) are ignored; an unknown type of a known family says the family."""
    code = str(content_type or "").split(";", 1)[0].strip().lower()
    if code in _MIME:
        return str(_MIME[code])
    family = code.split("/", 1)[0]
    if family in _MIME_FAMILY:
        return str(_MIME_FAMILY[family])
    return str(_("File")) if code else "—"


def channel_label(code: object) -> str:
    """``"in_app"`` -> «در سامانه»; an unknown code unchanged."""
    text = str(code or "")
    return str(_CHANNELS[text]) if text in _CHANNELS else text or "—"


def join_labels(labels: Iterable[str]) -> str:
    """A list read as a list: «در سامانه، رایانامه» / "In the app, E-mail"."""
    return LIST_SEPARATOR[page_language()].join(labels)


def unit_names(*, language: str | None = None) -> dict[str, str]:
    """Every unit's code and primary key (as text) -> its name in the page's language (one query;
    the organization has about 130 units)."""
    lang = language or page_language()
    names: dict[str, str] = {}
    for pk, code, name_fa, name_en in OrgUnit.objects.values_list("pk", "code", "name_fa", "name_en"):
        name = (name_en or name_fa) if lang == "en" else name_fa
        names[code] = name
        names[str(pk)] = name
    return names


def unit_label(code: object) -> str:
    """A unit code (``"ir-23-security"``) -> the unit's name; an unknown code unchanged."""
    text = str(code or "")
    if not text:
        return "—"
    unit = OrgUnit.objects.filter(code=text).only("name_fa", "name_en").first()
    if unit is None:
        return text
    return (unit.name_en or unit.name_fa) if page_language() == "en" else unit.name_fa


__all__ = ["channel_label", "join_labels", "mime_label", "unit_label", "unit_names"]
