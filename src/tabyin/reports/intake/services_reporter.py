"""The reporter's side after submission: open a case with the receipt code, read the coarse
status and the handlers' messages, write back, download the files of the conversation.

The reporter is known only by the content key their code unwraps (``ReporterAccess``); views
keep it between requests in ``vault`` (ciphertext on the server, key in a cookie).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from tabyin.reports.crypto import receipts, sodium, storage
from tabyin.reports.enums import PUBLIC_STATUS, Author, PublicStatus
from tabyin.reports.intake import services_receipts, validation
from tabyin.reports.intake.services import store_files
from tabyin.reports.models import Message, Report, ReportFile
from tabyin.reports.notices import services as notifications


@dataclass(frozen=True)
class ReporterAccess:
    report_id: int
    key: bytes

    def dump(self) -> bytes:
        return self.report_id.to_bytes(8, "big") + self.key

    @classmethod
    def load(cls, raw: bytes) -> ReporterAccess:
        return cls(report_id=int.from_bytes(raw[:8], "big"), key=raw[8:])


@sensitive_variables()
def receipt_open(*, raw_code: str) -> ReporterAccess | None:
    """None for a code that is malformed or opens nothing; one Argon2id run either way."""
    code = receipts.normalize(raw_code)
    if code is None:
        return None
    found = services_receipts.open_code(code)
    if found is None:
        return None
    return ReporterAccess(report_id=found[0], key=found[1])


@dataclass(frozen=True)
class SharedFile:
    id: int
    label: str
    size: int


@dataclass(frozen=True)
class Said:
    author: str
    at: datetime
    text: str
    files: list[SharedFile]


@dataclass(frozen=True)
class ReporterCase:
    received_at: datetime
    status: PublicStatus
    category: str
    messages: list[Said]
    can_write: bool


def _report(access: ReporterAccess) -> Report:
    report = Report.objects.select_related("category").filter(pk=access.report_id).first()
    if report is None:
        raise LookupError("the report is gone (deleted at the end of its retention period)")
    return report


def _files(access: ReporterAccess, files: list[ReportFile]) -> list[SharedFile]:
    return [
        SharedFile(id=f.pk, label=sodium.decrypt(access.key, f.name).decode(), size=f.size) for f in files
    ]


@transaction.atomic
def reporter_case(*, access: ReporterAccess, language: str = "fa") -> ReporterCase:
    report = _report(access)
    messages = list(report.messages.prefetch_related("files"))
    own = [f for f in report.files.all() if f.message_id is None]
    said = (
        [
            Said(
                author=Author.REPORTER,
                at=report.received_at,
                text="",
                files=_files(access, own),
            )
        ]
        if own
        else []
    )
    for message in messages:
        said.append(
            Said(
                author=message.author,
                at=message.created_at,
                text=sodium.decrypt(access.key, message.body).decode(),
                files=_files(access, list(message.files.all())),
            )
        )
    report.messages.filter(author=Author.HANDLER, read_at__isnull=True).update(read_at=timezone.now())
    return ReporterCase(
        received_at=report.received_at,
        status=PUBLIC_STATUS[report.status],
        category=report.category.name(language),
        messages=said,
        can_write=report.expires_at is None or report.expires_at > timezone.now(),
    )


@sensitive_variables()
def reporter_message_send(
    *, access: ReporterAccess, text: str, files: list[validation.Attachment]
) -> Message:
    """Raises ``validation.SubmissionError`` when the message or a file is refused; nothing is stored then."""
    invalid = validation.SubmissionError()
    body = ""
    try:
        body = validation.check_message(text)
    except ValueError as error:
        invalid.add("body", str(error))
    checked = validation.check_files(
        files,
        max_files=settings.TABYIN_REPORTS_MAX_FILES,
        max_bytes=settings.TABYIN_REPORTS_FILE_MAX_BYTES,
        invalid=invalid,
    )
    if invalid.errors:
        raise invalid
    report = _report(access)
    written: list[str] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                report=report, author=Author.REPORTER, body=sodium.encrypt(access.key, body.encode())
            )
            for stored in store_files(
                report=report, key=access.key, files=checked, author=Author.REPORTER, message_id=message.pk
            ):
                written.append(stored.storage_name)
            notifications.notices_queue(report_id=report.pk, event="message")
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return message


@dataclass(frozen=True)
class FileDownload:
    label: str
    filename: str
    content_type: str
    data: bytes


def reporter_file(*, access: ReporterAccess, file_id: int) -> FileDownload:
    """A file of this report only; anything else is ``LookupError`` (a 404, not a 403)."""
    found = ReportFile.objects.filter(pk=file_id, report_id=access.report_id).first()
    if found is None:
        raise LookupError("no such file on this report")
    return download(key=access.key, found=found)


def download(*, key: bytes, found: ReportFile) -> FileDownload:
    label = sodium.decrypt(key, found.name).decode()
    extension = validation.ALLOWED_TYPES.get(found.content_type, "bin")
    return FileDownload(
        label=label,
        # The name sent to the browser is ours, never the reporter's: no disguise survives.
        filename=f"report-{found.report_id}-file-{found.pk}.{extension}",
        content_type=found.content_type,
        data=storage.read(key, found.storage_name),
    )
