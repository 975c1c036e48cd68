"""Every rule a report must meet, in one place: the form shows them, the service enforces them.

Pure: no database. The public form may skip JavaScript or be bypassed altogether; the service
runs ``check_submission`` on what arrived, whatever the browser did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import filetype
import jdatetime
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.core.enums import SPECIAL_KINDS
from tabyin.core.persian_text import digits_to_ascii
from tabyin.reports.enums import IdentityMode, PlaceKind

WHAT_MIN = 20
WHAT_MAX = 20_000
SHORT_MAX = 300
WHO_MAX = 2_000
MESSAGE_MAX = 10_000
NAME_MAX = 200
RECEIVING = tuple(kind.value for kind in SPECIAL_KINDS)

# Bidi embeddings, overrides and isolates let text pose as something else (a file named
# "report\u202efdp.exe" shows as "reportexe.pdf"); other C0/C1 controls have no business in a
# report. Line breaks and tabs stay; so do ZWNJ and the LRM/RLM marks Persian text needs.
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")

# What a reporter may attach, decided from the bytes (never from the name or the browser's claim).
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/x-wav": "wav",
    "audio/mp4": "m4a",
    "audio/m4a": "m4a",
    "video/mp4": "mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def inert(text: str) -> str:
    """Text with the characters that could disguise it removed; everything else kept as typed."""
    return _INVISIBLE.sub("", text or "").replace("\r\n", "\n").strip()


def file_label(name: str) -> str:
    """A file name safe to show: no disguising characters, no path, bounded length."""
    base = inert(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:NAME_MAX] or "file"


@dataclass
class SubmissionError(Exception):
    """All that is wrong with a submission, by field; nothing was stored."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    label: str
    content_type: str
    extension: str
    data: bytes


@dataclass(frozen=True)
class Cleaned:
    province: str  # an ISO code such as "IR-23", or "" for headquarters / national
    place_kind: str
    place_name: str
    when: str
    what: str
    who: str
    answers: dict[str, str]
    concerns: list[str]
    excluded: list[str]
    identity_mode: str
    identity: dict[str, str]
    files: list[CheckedFile]


def shown(question: dict[str, Any], answers: dict[str, str]) -> bool:
    condition = question.get("show_if") or {}
    return all(answers.get(key) == value for key, value in condition.items())


def _yesno(value: str) -> str:
    if value not in ("yes", "no"):
        raise ValueError(_("Choose yes or no."))
    return value


def _number(value: str) -> str:
    ascii_value = typed_number_to_ascii(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(ascii_value)
    except InvalidOperation:
        raise ValueError(_("Type a number, for example 1500000.")) from None
    if not number.is_finite() or number < 0 or number > Decimal(10) ** 15:
        raise ValueError(_("Type a number between 0 and 1,000,000,000,000,000."))
    return format(number.normalize(), "f")


def _date(value: str) -> str:
    match = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", digits_to_ascii(value))
    try:
        if match is None:
            raise ValueError
        day = jdatetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(_("Type a date such as 1405/08/20.")) from None
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _text(value: str) -> str:
    if len(value) > SHORT_MAX:
        raise ValueError(_("Please keep this answer under %(n)d characters.") % {"n": SHORT_MAX})
    return value


def _answer(question: dict[str, Any], raw: str, invalid: SubmissionError) -> str | None:
    key = f"q_{question['key']}"
    value = inert(raw)
    if not value:
        if question.get("required"):
            invalid.add(key, _("Please answer this question."))
        return None
    kind = question.get("type", "text")
    try:
        if kind == "choice":
            if value not in [choice[0] for choice in question.get("choices", [])]:
                raise ValueError(_("Choose one of the options."))
            return value
        return {"yesno": _yesno, "number": _number, "date": _date}.get(kind, _text)(value)
    except ValueError as error:
        invalid.add(key, str(error))
        return None


def check_answers(
    questions: list[dict[str, Any]], data: dict[str, str], invalid: SubmissionError
) -> dict[str, str]:
    """Answers of the questions that apply; answers to questions that do not apply are dropped."""
    answers: dict[str, str] = {}
    for question in questions:
        if not shown(question, answers):
            continue
        value = _answer(question, data.get(f"q_{question['key']}", ""), invalid)
        if value is not None:
            answers[question["key"]] = value
    return answers


def check_file(attachment: Attachment, *, max_bytes: int) -> CheckedFile:
    """Raises ``ValueError`` with a message for the reporter."""
    label = file_label(attachment.name)
    if not attachment.data:
        raise ValueError(_("«%(name)s» is empty.") % {"name": label})
    if len(attachment.data) > max_bytes:
        raise ValueError(
            _("«%(name)s» is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes // (1024 * 1024)}
        )
    kind = filetype.guess(attachment.data[:8192])
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValueError(
            _("«%(name)s» is not a PDF, photo, audio, video or Word file (judged by its content).")
            % {"name": label}
        )
    return CheckedFile(
        label=label, content_type=kind.mime, extension=ALLOWED_TYPES[kind.mime], data=attachment.data
    )


def check_files(
    files: list[Attachment], *, max_files: int, max_bytes: int, invalid: SubmissionError
) -> list[CheckedFile]:
    if len(files) > max_files:
        invalid.add("files", _("Attach at most %(n)d files.") % {"n": max_files})
        return []
    checked: list[CheckedFile] = []
    for attachment in files:
        try:
            checked.append(check_file(attachment, max_bytes=max_bytes))
        except ValueError as error:
            invalid.add("files", str(error))
    return checked


def _choices(values: list[str], allowed: tuple[str, ...], name: str, invalid: SubmissionError) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        invalid.add(name, _("Choose among the offices listed."))
    return sorted({v for v in values if v in allowed})


def _place(data: dict[str, str], provinces: set[str], invalid: SubmissionError) -> tuple[str, str, str]:
    province = inert(data.get("province", ""))
    if province == "hq":
        province = ""
    elif province.upper() not in provinces:
        invalid.add("province", _("Choose the province where it happened, or headquarters."))
    place_kind = data.get("place_kind", "")
    if place_kind not in PlaceKind.values:
        invalid.add("place_kind", _("Choose the kind of place."))
    place_name = inert(data.get("place_name", ""))
    if place_kind in (PlaceKind.BRANCH, PlaceKind.HOSPITAL) and not place_name:
        invalid.add("place_name", _("Name the branch or hospital, for example «شعبهٔ ۱۲ تهران»."))
    return province.upper(), place_kind, place_name


def _bounded(data: dict[str, str], name: str, limit: int, invalid: SubmissionError) -> str:
    value = inert(data.get(name, ""))
    if len(value) > limit:
        invalid.add(name, _("Please keep this under %(n)d characters.") % {"n": limit})
    return value


def _identity(
    data: dict[str, str], confidential_available: bool, invalid: SubmissionError
) -> tuple[str, dict[str, str]]:
    mode = data.get("identity_mode", "")
    if mode not in IdentityMode.values:
        invalid.add("identity_mode", _("Choose how you want to be known."))
        return mode, {}
    if mode == IdentityMode.CONFIDENTIAL and not confidential_available:
        invalid.add(
            "identity_mode", _("Confidential reports cannot be received yet; report anonymously or by name.")
        )
        return mode, {}
    if mode == IdentityMode.ANONYMOUS:
        return mode, {}
    identity = {
        "name": _bounded(data, "identity_name", NAME_MAX, invalid),
        "contact": _bounded(data, "identity_contact", NAME_MAX, invalid),
    }
    if not identity["name"]:
        invalid.add("identity_name", _("Type your name, or choose to report anonymously."))
    return mode, identity


def check_submission(
    *,
    data: dict[str, str],
    lists: dict[str, list[str]],
    questions: list[dict[str, Any]],
    provinces: set[str],
    files: list[Attachment],
    max_files: int,
    max_bytes: int,
    confidential_available: bool,
) -> Cleaned:
    """Check one report as it arrived. Raises ``SubmissionError`` listing every problem at once."""
    invalid = SubmissionError()
    province, place_kind, place_name = _place(data, provinces, invalid)
    if len(place_name) > SHORT_MAX:
        invalid.add("place_name", _("Please keep this under %(n)d characters.") % {"n": SHORT_MAX})
    when = _bounded(data, "when", SHORT_MAX, invalid)
    what = inert(data.get("what", ""))
    if len(what) < WHAT_MIN:
        invalid.add("what", _("Describe what happened in at least %(n)d characters.") % {"n": WHAT_MIN})
    elif len(what) > WHAT_MAX:
        invalid.add("what", _("Please keep the description under %(n)d characters.") % {"n": WHAT_MAX})
    who = _bounded(data, "who", WHO_MAX, invalid)
    answers = check_answers(questions, data, invalid)
    concerns = _choices(lists.get("concerns", []), RECEIVING, "concerns", invalid)
    excluded = _choices(lists.get("excluded", []), RECEIVING, "excluded", invalid)
    if set(excluded) >= set(RECEIVING):
        invalid.add("excluded", _("At least one office must be able to receive your report."))
    mode, identity = _identity(data, confidential_available, invalid)
    checked = check_files(files, max_files=max_files, max_bytes=max_bytes, invalid=invalid)
    if invalid.errors:
        raise invalid
    return Cleaned(
        province=province,
        place_kind=place_kind,
        place_name=place_name,
        when=when,
        what=what,
        who=who,
        answers=answers,
        concerns=concerns,
        excluded=excluded,
        identity_mode=mode,
        identity=identity,
        files=checked,
    )


def check_message(text: str) -> str:
    body = inert(text)
    if not body:
        raise ValueError(_("Write a message first."))
    if len(body) > MESSAGE_MAX:
        raise ValueError(_("Please keep a message under %(n)d characters.") % {"n": MESSAGE_MAX})
    return body
