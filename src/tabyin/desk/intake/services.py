"""Writes of the desk a requester makes: filing a request (materials checked by their content and
stored privately, duplicates flagged), commenting, answering PR's question and rating the result.

Every refusal (a past deadline, a refused file, another unit's request) raises a
``ValidationError`` or ``Http404`` with a clear message and leaves an audit entry; nothing the
person typed is lost (the form is shown again with it).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from difflib import SequenceMatcher
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import permissions as core_permissions
from tabyin.core.enums import AuditAction, Role
from tabyin.core.files.uploads import CheckedUpload, UploadRefusedError, check_upload
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tabyin.core.persian_text import normalize
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.core.workcal import services as workcal
from tabyin.desk.enums import Kind
from tabyin.desk.intake import notify, selectors
from tabyin.desk.intake.models import Comment, DeskRequest, FileRole, RequestFile, ServiceLevel

ALLOWED_TYPES: Final[dict[str, str]] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
    "audio/mpeg": "mp3",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
MAX_FILES: Final = 5
# A video of an event is the largest material a unit sends; past this it should share a link.
MAX_FILE_BYTES: Final = 40 * 1024 * 1024
# A second request from the same unit for the same kind with a title this similar, within this
# window, is flagged (not refused): PR decides whether it is the same need.
DUPLICATE_WINDOW: Final = timedelta(days=14)
DUPLICATE_SIMILARITY: Final = 0.8


def snapshot(request: DeskRequest) -> dict[str, Any]:
    """What the audit log keeps of a request: codes and plain values the audit page can name (the
    unit by its code, the owner by user name under core's "assignee")."""
    return {
        "kind": request.kind,
        "title": request.title,
        "audience": request.audience,
        "deadline": request.deadline.isoformat(),
        "contact": request.contact,
        "state": request.state,
        "unit": request.unit.code,
        "assignee": request.owner.username if request.owner else None,
    }


def today() -> date:
    return timezone.now().astimezone(TEHRAN).date()


def refused(actor: User, obj: Any, code: str, before: dict[str, Any] | None = None, **extra: Any) -> None:
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=obj, before=before, after={"refused": code, **extra}
    )


def request_for(actor: User, pk: int) -> DeskRequest:
    """The request if ``actor`` may read it; otherwise 404 (whether it exists is not told), and the
    attempt is audited."""
    found = selectors.requests_for(actor).filter(pk=pk).first()
    if found is None:
        other = DeskRequest.objects.filter(pk=pk).first()
        if other is not None:
            refused(actor, other, "other_unit")
        raise Http404
    return found


def check_files(
    actor: User, unit: OrgUnit, uploads: list[UploadedFile[Any]]
) -> list[tuple[CheckedUpload, Any]]:
    """Every file judged by its bytes before anything is stored."""
    if len(uploads) > MAX_FILES:
        raise ValidationError({"materials": [_("Attach at most %(n)d files.") % {"n": MAX_FILES}]})
    checked = []
    for upload in uploads:
        head = upload.read(8192)
        upload.seek(0)
        try:
            info = check_upload(
                upload.name or "",
                head,
                upload.size or 0,
                allowed=ALLOWED_TYPES,
                max_bytes=MAX_FILE_BYTES,
                kinds=_("a photo, PDF, Word document, MP3 audio or MP4 video"),
            )
        except UploadRefusedError as refusal:
            refused(actor, unit, "file_refused", file=str(refusal)[:200], size=upload.size)
            raise ValidationError({"materials": [str(refusal)]}) from None
        checked.append((info, upload))
    return checked


def store_files(
    request: DeskRequest, checked: list[tuple[CheckedUpload, Any]], *, actor: User, role: str
) -> list[RequestFile]:
    now = timezone.now()
    rows = []
    for info, upload in checked:
        row = RequestFile(
            request=request,
            role=role,
            token=secrets.token_hex(16),
            label=info.label,
            content_type=info.content_type,
            size=info.size,
            added_by=actor,
            added_at=now,
        )
        row.file.save(f"{row.token}.{info.extension}", upload, save=False)
        row.save()
        rows.append(row)
    return rows


def find_duplicate(unit_id: int, kind: str, title_key: str, now: Any) -> DeskRequest | None:
    for other in selectors.similar_recent(unit_id, kind, now - DUPLICATE_WINDOW):
        if SequenceMatcher(None, other.title_key, title_key).ratio() >= DUPLICATE_SIMILARITY:
            return other
    return None


def request_file(
    *,
    actor: User,
    unit: OrgUnit,
    kind: Kind | str,
    title: str,
    purpose: str,
    audience: str,
    deadline: date,
    contact: str,
    materials: list[UploadedFile[Any]] | None = None,
    now: Any = None,
) -> DeskRequest:
    """File a request for ``unit`` (one of the actor's units). The first response is due after the
    kind's service level in working hours; PR is told."""
    now = now or timezone.now()
    if unit.pk not in scope_for(actor).unit_ids:
        raise ValidationError({"unit": [_("You can only ask on behalf of a unit you belong to.")]})
    if deadline < now.astimezone(TEHRAN).date():
        refused(actor, unit, "past_deadline", deadline=deadline.isoformat())
        raise ValidationError(
            {"deadline": [_("The date you need it by has already passed; choose a later day.")]}
        )
    checked = check_files(actor, unit, list(materials or []))
    response_hours, _delivery = selectors.service_level(str(kind))
    key = normalize(title)
    with transaction.atomic():
        request = DeskRequest.objects.create(
            unit=unit,
            province_id=unit.province_id,
            requester=actor,
            kind=kind,
            title=title.strip(),
            title_key=key,
            purpose=purpose.strip(),
            audience=audience.strip(),
            deadline=deadline,
            contact=contact.strip(),
            duplicate_of=find_duplicate(unit.pk, str(kind), key, now),
            created_at=now,
            response_due=workcal.add_working_hours(now, response_hours),
        )
        store_files(request, checked, actor=actor, role=FileRole.MATERIAL)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=request, unit=unit, after=snapshot(request))
        transaction.on_commit(lambda: notify.filed(request))
    return request


def comment_add(*, actor: User, request: DeskRequest, text: str, now: Any = None) -> Comment:
    request = request_for(actor, request.pk)
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment first.")]})
    comment = Comment.objects.create(
        request=request, author=actor, text=text.strip(), created_at=now or timezone.now()
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=comment, unit=request.unit, after={"request": request.pk}
    )
    transaction.on_commit(lambda: notify.commented(comment))
    return comment


def service_level_save(*, actor: User, row: ServiceLevel) -> ServiceLevel:
    """A kind's promised hours changed by a national administrator, audited; due times already
    set stay as they were."""
    core_permissions.require(
        scope_for(actor).has_national_role(Role.ADMINISTRATOR), "national administrators only"
    )
    before = (
        ServiceLevel.objects.filter(pk=row.pk).values("response_hours", "delivery_hours").first()
        if row.pk
        else None
    )
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=row,
        before=dict(before or {}),
        after={"kind": row.kind, "response_hours": row.response_hours, "delivery_hours": row.delivery_hours},
    )
    return row
