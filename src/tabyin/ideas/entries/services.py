"""Submitting and editing ideas and contest entries (no account: a verified contact), their files.

Every refusal leaves the person's input untouched (the form shows it back) and, where it is an
abuse the issue names (a second identical submission, a disguised or oversized file, an edit
after the deadline), an audit entry with the reason code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import selectors as core_selectors
from tabyin.core.enums import AuditAction
from tabyin.core.files.uploads import CheckedUpload, UploadRefusedError, check_upload
from tabyin.core.labels import join_labels
from tabyin.core.models import OrgUnit
from tabyin.core.services import audit_record
from tabyin.ideas import audit_codes
from tabyin.ideas.challenges.enums import ChallengeKind, FileGroup, Phase
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import notices, similarity
from tabyin.ideas.entries.enums import BODY_MAX, BODY_MIN, MAX_FILES
from tabyin.ideas.entries.models import Entry, EntryFile, EntryVersion
from tabyin.ideas.entries.tokens import follow_hash, new_token
from tabyin.ideas.identity.services import Verified

# What an entry may carry, judged from the bytes: photos and posters, short video and audio, PDF.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "video/mp4": "mp4",
}


# Which of those each FileGroup a challenge may choose stands for, and how the refusal names it.
FILE_GROUPS: dict[str, tuple[str, ...]] = {
    "image": ("image/jpeg", "image/png", "image/webp"),
    "pdf": ("application/pdf",),
    "audio": ("audio/mpeg", "audio/ogg", "audio/mp4"),
    "video": ("video/mp4",),
}


def allowed_types(challenge: Challenge) -> dict[str, str]:
    """The types this challenge takes: the ones its file groups name, or all when it names none."""
    if not challenge.file_groups:
        return ALLOWED_TYPES
    chosen = {t for group in challenge.file_groups for t in FILE_GROUPS.get(group, ())}
    return {t: ext for t, ext in ALLOWED_TYPES.items() if t in chosen}


def _kinds_named(challenge: Challenge) -> str:
    if not challenge.file_groups:
        return _("a photo, PDF, MP3/OGG audio or MP4 video")
    return join_labels(str(FileGroup(g).label) for g in challenge.file_groups if g in FileGroup.values)


class DoubleSubmissionError(Exception):
    """The same author already sent the same words to this challenge; ``kept`` is that entry."""

    def __init__(self, kept: Entry) -> None:
        super().__init__("double submission")
        self.kept = kept


@dataclass(frozen=True)
class Draft:
    title: str
    body: str
    category: str = ""
    author_name: str = ""
    province_iso: str = ""
    media_kind: str = ""
    link: str = ""


def _check_draft(challenge: Challenge, draft: Draft) -> OrgUnit | None:
    errors: dict[str, list[str]] = {}
    if len(draft.body.strip()) < BODY_MIN:
        errors["body"] = [_("Describe it in at least %(n)d characters.") % {"n": BODY_MIN}]
    elif len(draft.body) > BODY_MAX:
        errors["body"] = [_("Keep it under %(n)d characters.") % {"n": BODY_MAX}]
    if not draft.title.strip():
        errors["title"] = [_("Give it a title.")]
    if challenge.categories and draft.category not in challenge.categories:
        errors["category"] = [_("Choose one of the challenge's categories.")]
    if challenge.kind == ChallengeKind.CONTEST and draft.media_kind not in challenge.media_kinds:
        errors["media_kind"] = [_("Choose one of the kinds of entry this contest takes.")]
    province = None
    if draft.province_iso:
        province = core_selectors.province_by_iso(draft.province_iso)
        if province is None:
            errors["province"] = [_("Choose a province from the list.")]
    if errors:
        raise ValidationError(errors)
    return province


def check_files(
    challenge: Challenge, uploads: list[UploadedFile[Any]]
) -> list[tuple[CheckedUpload, UploadedFile[Any]]]:
    """Every file checked before anything is stored; a refusal names the file and is audited."""
    if len(uploads) > MAX_FILES:
        raise ValidationError({"attachments": [_("Attach at most %(n)d files.") % {"n": MAX_FILES}]})
    checked = []
    for upload in uploads:
        head = upload.read(8192)
        upload.seek(0)
        try:
            checked.append(
                (
                    check_upload(
                        upload.name or "",
                        head,
                        upload.size or 0,
                        allowed=allowed_types(challenge),
                        max_bytes=settings.TABYIN_IDEAS_FILE_MAX_BYTES,
                        kinds=_kinds_named(challenge),
                    ),
                    upload,
                )
            )
        except UploadRefusedError as refusal:
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=challenge,
                after={"refused": audit_codes.FILE_REFUSED, "file": str(refusal)[:200], "size": upload.size},
            )
            raise ValidationError({"attachments": [str(refusal)]}) from None
    return checked


def _store(entry: Entry, checked: list[tuple[CheckedUpload, UploadedFile[Any]]]) -> None:
    now = timezone.now()
    for info, upload in checked:
        row = EntryFile(
            entry=entry,
            token=secrets.token_hex(16),
            label=info.label,
            content_type=info.content_type,
            size=info.size,
            added_at=now,
        )
        row.file.save(f"{row.token}.{info.extension}", ContentFile(upload.read()), save=False)
        row.save()


def entry_submit(
    *, challenge: Challenge, author: Verified, draft: Draft, uploads: list[UploadedFile[Any]] | None = None
) -> tuple[Entry, str]:
    """Returns the new entry and the token of its private follow-up link (shown once)."""
    now = timezone.now()
    if challenge.phase_at(now) != Phase.SUBMISSION:
        raise ValidationError(_("This challenge is not taking submissions now."))
    province = _check_draft(challenge, draft)
    fingerprint = similarity.fingerprint(draft.title, draft.body)
    kept = Entry.objects.filter(
        challenge=challenge, author_hash=author.identity_hash, fingerprint=fingerprint
    ).first()
    if kept is not None:
        _refuse_double(kept)
    checked = check_files(challenge, uploads or [])
    token = new_token()
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                challenge=challenge,
                category=draft.category,
                title=draft.title.strip(),
                body=draft.body.strip(),
                media_kind=draft.media_kind,
                link=draft.link,
                author_name=draft.author_name.strip(),
                province=province,
                author_hash=author.identity_hash,
                contact_kind=author.kind,
                contact=author.contact,
                follow_hash=follow_hash(token),
                fingerprint=fingerprint,
                created_at=now,
                updated_at=now,
            )
            _store(entry, checked)
            audit_record(actor=None, action=AuditAction.CREATE, obj=entry, after={"files": len(checked)})
    except IntegrityError:
        # Two identical posts at once (a double click): the first one won.
        _refuse_double(
            Entry.objects.get(challenge=challenge, author_hash=author.identity_hash, fingerprint=fingerprint)
        )
    return entry, token


def _refuse_double(kept: Entry) -> None:
    audit_record(
        actor=None, action=AuditAction.UPDATE, obj=kept, after={"refused": audit_codes.DOUBLE_SUBMISSION}
    )
    raise DoubleSubmissionError(kept)


def entry_edit(*, entry: Entry, draft: Draft, uploads: list[UploadedFile[Any]] | None = None) -> Entry:
    """The author's edit (through the follow-up link), until submissions close. The earlier text
    is kept as a version; the status and the moderator's reason stay as they were."""
    challenge = entry.challenge
    if timezone.now() >= challenge.submission_closes:
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=entry, after={"refused": audit_codes.LATE_EDIT}
        )
        raise ValidationError(_("Submissions have closed: the entry can no longer be changed."))
    province = _check_draft(challenge, draft)
    if entry.files.count() + len(uploads or []) > MAX_FILES:
        raise ValidationError({"attachments": [_("Attach at most %(n)d files.") % {"n": MAX_FILES}]})
    checked = check_files(challenge, uploads or [])
    before = {"title": entry.title, "category": entry.category}
    with transaction.atomic():
        EntryVersion.objects.create(entry=entry, title=entry.title, body=entry.body, saved_at=timezone.now())
        entry.title, entry.body = draft.title.strip(), draft.body.strip()
        entry.category, entry.author_name = draft.category, draft.author_name.strip()
        entry.media_kind, entry.link, entry.province = draft.media_kind, draft.link, province
        entry.fingerprint = similarity.fingerprint(entry.title, entry.body)
        entry.updated_at = timezone.now()
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise ValidationError(_("You already sent another entry with exactly these words.")) from None
        _store(entry, checked)
        after = {"title": entry.title, "category": entry.category, "version": entry.versions.count() + 1}
        audit_record(actor=None, action=AuditAction.UPDATE, obj=entry, before=before, after=after)
    return entry


def notify_author(entry: Entry, text: str, *, key: str) -> bool:
    """Tell the author (by the channel they verified) that something happened to their entry:
    queued, sent by a background task after commit, once per entry and step ``key``."""
    return notices.queue([(entry, text)], step=key) == 1
