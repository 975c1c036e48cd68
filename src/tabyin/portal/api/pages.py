"""Page links and cursors shared by the paged endpoints of /api/v1."""

from __future__ import annotations

from django.http import HttpRequest

from tabyin.portal.api.params import decode_cursor, encode_cursor

ID_ORDER = "-id"


def next_link(request: HttpRequest, cursor: str) -> str:
    """The same request with ``_after`` set: filters and size carry over as the client wrote them."""
    query = request.GET.copy()
    query["_after"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _no_key(key: object) -> None:
    if key is not None:
        raise ValueError("an id cursor carries no key")


def id_after(params: dict[str, str]) -> int | None:
    if "_after" not in params:
        return None
    return decode_cursor(params["_after"], ID_ORDER, _no_key)[1]


def id_next(request: HttpRequest, last_id: int | None) -> str | None:
    return next_link(request, encode_cursor(ID_ORDER, None, last_id)) if last_id is not None else None
