"""Reading query strings strictly: unknown or repeated parameters are errors, not ignored.

A silently ignored misspelling (``?perod=1403-01``) returns the whole table and looks like an
answer, so every interface lists the parameters it takes and refuses the rest.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from typing import Final

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from tabyin.portal.opendata.selectors.filters import DataQueryError, clean_int

DEFAULT_SIZE: Final = 100
MAX_SIZE: Final = 1000
_MAX_CURSOR: Final = 400


def query_params(
    request: HttpRequest, allowed: Iterable[str], source: QueryDict | None = None
) -> dict[str, str]:
    names = set(allowed)
    query = request.GET if source is None else source
    params: dict[str, str] = {}
    for name in query:
        shown = name[:100]
        if name not in names:
            raise DataQueryError("unknown_parameter", _("This parameter is not known here."), shown)
        values = query.getlist(name)
        if len(values) > 1:
            raise DataQueryError("repeated_parameter", _("Give this parameter only once."), shown)
        if "\x00" in values[0]:
            # PostgreSQL refuses NUL in text; without this check the query would fail with a 500.
            raise DataQueryError(
                "invalid_parameter", _("This parameter has a value that is not valid."), shown
            )
        params[name] = values[0]
    return params


def page_size(params: dict[str, str], name: str = "_size") -> int:
    if name not in params:
        return DEFAULT_SIZE
    return clean_int(params[name], name, minimum=1, maximum=MAX_SIZE)


def encode_cursor(sort: str, key: object, last_id: int) -> str:
    raw = json.dumps({"s": sort, "k": key, "i": last_id}, separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def decode_cursor(text: str, sort: str, parse_key: Callable[[object], object]) -> tuple[object, int]:
    """The ``(key, id)`` position in a cursor from ``encode_cursor``; anything else is a 400.

    Cursors are opaque to clients but not secret: tampering can only move the page start, so they
    are validated, not signed.
    """
    bad = DataQueryError(
        "invalid_cursor", _("This cursor is not valid; start again from the first page."), "_after"
    )
    if len(text) > _MAX_CURSOR:
        raise bad
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        data = json.loads(raw)
        last_id = data["i"]
        if data["s"] != sort or not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 1:
            raise ValueError("cursor of another order or with a bad id")
        return parse_key(data["k"]), last_id
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise bad from exc
