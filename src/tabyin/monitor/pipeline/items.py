"""Raw items at the boundary: an ingest file's lines and Celery task arguments as plain dicts.

:func:`parse_item` turns one into a :class:`RawPost` or raises ``ValueError`` with the reason a
person can act on; :func:`check` says why an item cannot be ingested (a bad source, an oversized
field, a date outside the window); :func:`to_dict` is the inverse of ``parse_item``. Kept apart from
``batch``, the pure decision step, because they guard its input, not its logic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tabyin.monitor.enums import SourceKind
from tabyin.monitor.pipeline.dates import RAW_CHARS, DateWindow
from tabyin.monitor.pipeline.types import RawPost, split_forward

KINDS: tuple[str, ...] = tuple(SourceKind.values)
# Column widths of Source.handle and Post.post_id.
HANDLE_CHARS, POST_ID_CHARS = 128, 191


def check(item: RawPost, *, window: DateWindow | None = None, now: datetime | None = None) -> str | None:
    """Why an item cannot be ingested, or None. With a ``window``, a known publication date outside
    it is refused (``now`` defaults to the current time)."""
    kind, sep, handle = item.source.partition(":")
    offset = item.published_at.utcoffset()
    dated = (
        None
        if window is None or offset is None or item.date_unknown
        else window.problem(item.published_at, now or datetime.now(UTC))
    )
    if (
        dated is None
        and sep
        and handle
        and kind in KINDS
        and len(handle) <= HANDLE_CHARS
        and 0 < len(item.post_id) <= POST_ID_CHARS
        and offset is not None
        and (item.views is None or item.views >= 0)
        and not item.text.isspace()
        and item.text
        and (not item.forwarded_from or split_forward(item.forwarded_from) is not None)
    ):
        return None  # the usual case, without building every message below
    problems = [
        (not sep or not handle, f"source must look like kind:handle, got {item.source!r}"),
        (kind not in KINDS, f"unknown source kind {kind!r} (one of {', '.join(KINDS)})"),
        (len(handle) > HANDLE_CHARS, f"source handle longer than {HANDLE_CHARS} characters"),
        (not item.post_id, "post_id is empty"),
        (len(item.post_id) > POST_ID_CHARS, f"post_id longer than {POST_ID_CHARS} characters"),
        (not item.text.strip(), "text is empty"),
        (offset is None, "published_at has no time zone (add Z or an offset such as +03:30)"),
        (dated is not None, dated or ""),
        (item.views is not None and item.views < 0, "views is negative"),
        (
            bool(item.forwarded_from) and split_forward(item.forwarded_from) is None,
            "forwarded_from must look like kind:handle/post_id",
        ),
    ]
    return next((message for failed, message in problems if failed), None)


def parse_item(obj: object, *, window: DateWindow | None = None, now: datetime | None = None) -> RawPost:
    """A RawPost from one decoded JSON object; ValueError naming the first bad field. With a
    ``window``, a ``published_at`` outside it is refused (see :func:`check`)."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")

    def text_field(name: str, *, required: bool) -> str:
        value = obj.get(name)
        if value is None and not required:
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and name == "post_id":
            return str(value)
        if not isinstance(value, str):
            raise ValueError(f"{name}: {'missing' if value is None else 'not a string'}")
        return value.strip() if name != "text" else value

    when = text_field("published_at", required=True)
    try:
        published_at = datetime.fromisoformat(when)
    except ValueError:
        raise ValueError(f"published_at: not an ISO 8601 date-time: {when[:40]!r}") from None
    views = obj.get("views")
    if views is not None and (not isinstance(views, int) or isinstance(views, bool)):
        raise ValueError("views: not an integer")
    item = RawPost(
        source=text_field("source", required=True),
        post_id=text_field("post_id", required=True),
        text=text_field("text", required=True),
        published_at=published_at,
        url=text_field("url", required=False),
        views=views,
        forwarded_from=text_field("forwarded_from", required=False),
        edited=bool(obj.get("edited", False)),
        source_name=text_field("source_name", required=False),
        date_unknown=bool(obj.get("date_unknown", False)),
        date_raw=text_field("date_raw", required=False)[:RAW_CHARS],
    )
    problem = check(item, window=window, now=now)
    if problem is not None:
        raise ValueError(problem)
    return item


def to_dict(item: RawPost) -> dict[str, Any]:
    """The inverse of :func:`parse_item` (JSON-able: for task arguments and files)."""
    out: dict[str, Any] = {
        "source": item.source,
        "post_id": item.post_id,
        "url": item.url,
        "text": item.text,
        "published_at": item.published_at.isoformat(),
    }
    if item.views is not None:
        out["views"] = item.views
    for name in ("forwarded_from", "source_name", "date_raw"):
        if getattr(item, name):
            out[name] = getattr(item, name)
    for flag in ("edited", "date_unknown"):
        if getattr(item, flag):
            out[flag] = True
    return out
