"""Configuring sources and pasting items by hand.

* ``source_create`` / ``source_update``: validated (a channel username looks like one, a feed has a
  web address), audited, and scheduled for a first poll at once.
* ``sources_import``: the YAML format of ``feeds_and_channels.example.yaml`` (``rss_feeds``,
  ``telegram_channels``, optionally ``eitaa_channels``); an entry already present is updated, never
  duplicated. Nothing is fetched while importing.
* ``item_paste``: a staff member pastes a text, or a link whose article the web adapter reads; the
  item goes into the pseudo-source ``paste:staff`` through ``ingest.services.ingest`` like any
  polled post, so it joins (or starts) a story.
Analysts and administrators may do all of this (``permissions.can_configure``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import OrgUnit, User
from tabyin.core.persian_text import normalize
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.monitor import permissions
from tabyin.monitor.enums import SourceKind, SourceStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Post, Source
from tabyin.monitor.pipeline.types import RawPost, split_source
from tabyin.monitor.sources import http
from tabyin.monitor.sources.web import article

PASTE_SOURCE = "paste:staff"
# Telegram: 5-32 characters; Eitaa's are alike. Letters, digits and underscores, starting with a letter.
_CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_FEED_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,127}$")
HOSTS = {SourceKind.TELEGRAM: "t.me", SourceKind.EITAA: "eitaa.com"}
EDITABLE = ("name", "url", "province", "is_owned", "is_active", "via_account")
MAX_PASTE = 20_000


def require_configure(actor: User) -> None:
    permissions.require(permissions.can_configure(scope_for(actor)), "only analysts and administrators")


def _clean(kind: str, handle: str, url: str) -> tuple[str, str, str]:
    """(handle, url, host) after the checks every way of adding a source shares."""
    handle = handle.strip().removeprefix("@")
    url = url.strip()
    if kind not in (SourceKind.RSS, SourceKind.TELEGRAM, SourceKind.EITAA, SourceKind.WEB):
        raise ValidationError({"kind": _("Choose a news site, a Telegram channel or an Eitaa channel.")})
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError({"url": _("Enter an address that starts with https:// or http://.")})
    if kind in (SourceKind.RSS, SourceKind.WEB):
        if not url:
            raise ValidationError({"url": _("A news site needs the address of its feed.")})
        handle = (handle or (urlsplit(url).hostname or "").removeprefix("www.")).lower()
        if not _FEED_ID.match(handle):
            raise ValidationError({"handle": _("Use lower-case Latin letters, digits, dots, - and _.")})
        return handle, url, (urlsplit(url).hostname or "").lower()
    if not _CHANNEL.match(handle):
        raise ValidationError(
            {
                "handle": _(
                    "A channel username has 5 to 32 Latin letters, digits or _, starting with a letter."
                )
            }
        )
    host = (urlsplit(url).hostname or "").lower() if url else HOSTS[SourceKind(kind)]
    return handle, url, host


@transaction.atomic
def source_create(
    *,
    actor: User,
    kind: str,
    handle: str = "",
    name: str = "",
    url: str = "",
    province: OrgUnit | None = None,
    is_owned: bool = False,
    is_active: bool = True,
    via_account: bool = False,
) -> Source:
    require_configure(actor)
    handle, url, host = _clean(kind, handle, url)
    if Source.objects.filter(kind=kind, handle__iexact=handle).exists():
        raise ValidationError({"handle": _("This source is already configured.")})
    source = Source.objects.create(
        kind=kind,
        handle=handle,
        name=name.strip()[:200],
        url=url,
        host=host,
        province=province,
        is_owned=is_owned,
        is_active=is_active,
        via_account=via_account and kind == SourceKind.TELEGRAM,
        next_poll_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=source, after=_snapshot(source))
    return source


@transaction.atomic
def source_update(*, actor: User, source: Source, **changes: Any) -> Source:
    require_configure(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = _snapshot(source)
    if "url" in changes:
        _, changes["url"], host = _clean(source.kind, source.handle, changes["url"] or "")
        source.host = host
    for name, value in changes.items():
        setattr(source, name, value)
    if changes.get("is_active") and not before["is_active"]:
        # Switched back on: poll now, forget the old failures.
        source.next_poll_at = timezone.now()
        source.consecutive_failures = 0
    source.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=source, before=before, after=_snapshot(source))
    return source


def _snapshot(source: Source) -> dict[str, Any]:
    return {
        "kind": source.kind,
        "handle": source.handle,
        "name": source.name,
        "url": source.url,
        "province": source.province_id,
        "is_owned": source.is_owned,
        "is_active": source.is_active,
        "via_account": source.via_account,
    }


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sources_import(*, actor: User, yaml_text: str) -> ImportSummary:
    """Add or update the sources a YAML list names (format of feeds_and_channels.example.yaml)."""
    require_configure(actor)
    try:
        import yaml
    except ImportError as error:  # pyyaml is a development dependency so far
        raise ValidationError(_("Reading YAML needs the pyyaml package.")) from error
    try:
        data = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError as error:
        raise ValidationError(_("The file is not valid YAML: %(error)s") % {"error": error}) from error
    if not isinstance(data, dict):
        raise ValidationError(_("The file must have rss_feeds and telegram_channels lists."))
    entries: list[tuple[str, dict[str, Any]]] = [
        *((SourceKind.RSS, {"handle": e.get("id", ""), "url": e.get("url", ""), "name": e.get("name", "")})
          for e in _entries(data, "rss_feeds")),
        *((SourceKind.TELEGRAM, {"handle": e.get("username", ""), "name": e.get("name", "")})
          for e in _entries(data, "telegram_channels")),
        *((SourceKind.EITAA, {"handle": e.get("username", ""), "name": e.get("name", "")})
          for e in _entries(data, "eitaa_channels")),
    ]  # fmt: skip
    summary = ImportSummary()
    for kind, entry in entries:
        handle = str(entry["handle"]).strip().removeprefix("@")
        key = f"{kind}:{handle}"
        try:
            with transaction.atomic():
                found = Source.objects.filter(kind=kind, handle__iexact=handle).first() if handle else None
                if found is None:
                    source_create(actor=actor, kind=kind, **{**entry, "handle": handle})
                    summary.created.append(key)
                else:
                    changes = {
                        k: str(entry[k])
                        for k in ("name", "url")
                        if entry.get(k) and entry[k] != getattr(found, k)
                    }
                    if changes:
                        source_update(actor=actor, source=found, **changes)
                        summary.updated.append(found.key)
        except ValidationError as error:
            summary.errors.append(f"{key}: {' '.join(error.messages)}")
    return summary


def _entries(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name) or []
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class PasteResult:
    post: Post
    story_id: int
    new: bool


def item_paste(*, actor: User, text: str = "", link: str = "") -> PasteResult:
    """Store a pasted text or the article of a pasted link as an item of ``paste:staff``."""
    require_configure(actor)
    text, link = text.strip(), link.strip()
    if bool(text) == bool(link):
        raise ValidationError(_("Paste either a text or a link, not both."))
    now = timezone.now()
    if link:
        try:
            item = article.article_post(link, source=PASTE_SOURCE, now=now)
        except http.FetchError as error:
            raise ValidationError({"link": error.message()}) from error
        item = RawPost(**{**{n: getattr(item, n) for n in RawPost.__slots__}, "source_name": ""})
    else:
        if len(text) > MAX_PASTE:
            raise ValidationError({"text": _("The text is longer than 20,000 characters.")})
        digest = hashlib.sha256(normalize(text).encode()).hexdigest()[:24]
        # When a pasted text was first published is unknown: the paste time stands in for ordering
        # only, so the paste is never taken for the story's origin (as with an undated feed item).
        item = RawPost(
            source=PASTE_SOURCE, post_id=f"text-{digest}", text=text, published_at=now, date_unknown=True
        )
    _ensure_paste_source()
    summary = services_ingest.ingest([item])
    if summary.errors:
        raise ValidationError("; ".join(e.message for e in summary.errors))
    kind, handle = split_source(PASTE_SOURCE)
    post = Post.objects.select_related("source").get(
        source__kind=kind, source__handle=handle, post_id=item.post_id
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=post, after={"url": item.url, "pasted": True})
    return PasteResult(post=post, story_id=post.story_id, new=summary.new == 1)


def _ensure_paste_source() -> None:
    Source.objects.get_or_create(
        kind=SourceKind.PASTE,
        handle="staff",
        defaults={"name": "Staff pastes", "is_active": False, "status": SourceStatus.OK},
    )
