"""Checking a file a member of the public uploads: its type judged from its bytes, its size bounded.

The name and the browser's stated type are never believed: «poster.jpg» holding a program is
refused as "not a photo", and a name with bidi overrides cannot pose as another extension. Apps
pass the types they accept (MIME type -> extension to store); the messages are for the uploader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

NAME_MAX = 200
# Bidi embeddings, overrides and isolates, and C0/C1 controls: what lets a name pose as another.
_DISGUISE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")


class UploadRefusedError(ValueError):
    """Why a file was refused, for the person who sent it (translated)."""


@dataclass(frozen=True)
class CheckedUpload:
    label: str  # a name safe to show
    content_type: str  # from the bytes
    extension: str
    size: int


def safe_label(name: str) -> str:
    base = _DISGUISE.sub("", name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:NAME_MAX] or "file"


def check_upload(
    name: str, head: bytes, size: int, *, allowed: Mapping[str, str], max_bytes: int, kinds: str
) -> CheckedUpload:
    """``head`` is the file's first 8 KB (enough for every signature filetype reads); ``kinds``
    names the accepted kinds in the uploader's words for the refusal message."""
    label = safe_label(name)
    if size == 0:
        raise UploadRefusedError(_("«%(name)s» is empty.") % {"name": label})
    if size > max_bytes:
        raise UploadRefusedError(
            _("«%(name)s» is larger than %(mb)d MB.") % {"name": label, "mb": max_bytes // (1024 * 1024)}
        )
    kind = filetype.guess(head[:8192])
    if kind is None or kind.mime not in allowed:
        raise UploadRefusedError(
            _("«%(name)s» is not %(kinds)s (judged by its content, not its name).")
            % {"name": label, "kinds": kinds}
        )
    return CheckedUpload(label=label, content_type=kind.mime, extension=allowed[kind.mime], size=size)
