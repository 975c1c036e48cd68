"""gzip for text answers, negotiated by ``Accept-Encoding`` (issue 21, ADR 0041).

Django's ``GZipMiddleware`` is the model and its functions do the work
(``django.utils.text.compress_string``, ``django.utils.cache.patch_vary_headers``); what differs:

- Only text that compresses: HTML, JSON, CSV, SVG, XML, plain text… (``COMPRESSIBLE``), at least
  ``MIN_BYTES`` long. Files that are compressed already (PDF, XLSX, images) are left alone, and so
  is anything streamed (whitenoise's static files come with their own ``.gz``/``.br`` twins).
- ``gzip;q=0`` is a refusal (Django's middleware reads any mention of gzip as consent).
- The identity bytes and headers are kept on the response (``IDENTITY``) for the WSGI front layer
  (``core.caching.front``), which keeps one copy per address for every client and compresses it
  on the way out: once, for a copy without per-visitor bytes (the JSON API), or per answer, after
  it wrote the visitor's fresh CSP nonce and CSRF token into it (a page).

BREACH: a page that holds a secret (the CSRF token) and reflects what a visitor sent leaks the
secret through the compressed length. Django masks the token anew for every response, and
``compress_string(..., max_random_bytes=100)`` adds 1–100 random bytes to the gzip header's file
name, as its middleware does, so no two lengths of one page line up; every per-response
compression here does both.
"""

from __future__ import annotations

import secrets
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Below this a compressed answer saves less than one TCP segment: not worth the CPU.
MIN_BYTES: Final = 1024
# As django.middleware.gzip.GZipMiddleware.max_random_bytes (the BREACH mitigation).
MAX_RANDOM_BYTES: Final = 100
COMPRESSIBLE: Final = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/geo+json",
    "application/ld+json",
    "application/schema+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
)
# Where the response keeps its identity form once compressed, for the front layer.
IDENTITY: Final = "_tabyin_identity"


@dataclass(frozen=True)
class Identity:
    """What the compression changed: the identity body, its length and its (strong) ETag."""

    body: bytes
    etag: str | None


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3): named with q > 0, or ``*``
    with q > 0 and gzip not refused by name."""
    named: float | None = None
    star: float | None = None
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        coding = coding.lower()
        if coding in ("gzip", "x-gzip"):
            named = q if named is None else max(named, q)
        elif coding == "*":
            star = q
    if named is not None:
        return named > 0
    return star is not None and star > 0


def compressible(status: int, content_type: str, size: int, encoded: bool) -> bool:
    """Whether an answer is one this site compresses (whether *this* client gets it compressed is
    ``accepts_gzip``'s)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return (
        status != 206  # a range of the identity bytes (a 204's or a 304's empty body is below MIN_BYTES)
        and not encoded
        and size >= MIN_BYTES
        and any(kind == t or (t.endswith("/") and kind.startswith(t)) for t in COMPRESSIBLE)
    )


def gzip(body: bytes, *, pad: bool = True) -> bytes | None:
    """gzip level 6, as Django's middleware; ``pad``: the random file name against BREACH (off
    only for bytes that are the same for everyone and hold no secret). None when not smaller."""
    out = compress_string(body, max_random_bytes=MAX_RANDOM_BYTES if pad else None)
    return out if len(out) < len(body) else None


def deflated(part: bytes) -> bytes:
    """``part`` as raw deflate at Django's level, ending on a byte boundary and not final, so that
    parts deflated on their own can be joined into one stream (``stitched``)."""
    squeezer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeezer.compress(part) + squeezer.flush(zlib.Z_SYNC_FLUSH)


# What zlib's Z_FINISH writes after a sync flush: an empty final block.
_LAST_BLOCK: Final = b"\x03\x00"


def stitched(parts: Sequence[bytes], body: bytes) -> bytes:
    """One gzip member from ``deflated`` parts whose inflated concatenation is ``body``: the front
    layer's page copies keep their fixed text deflated once, and only the nonce and the CSRF token
    are deflated per answer. Those are compressed in a context of their own (no back-reference to
    anything a visitor could have put in the page), and the header carries the same 0–99 random
    bytes of file name as ``compress_string(..., max_random_bytes=100)`` (the length padding)."""
    name = b"a" * secrets.randbelow(MAX_RANDOM_BYTES)  # as django.utils.text._get_random_filename
    # ID1 ID2, deflate, FNAME, mtime 0, no extra flags, OS unknown (as gzip.compress writes them).
    header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"
    trailer = struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)
    return header + b"".join(parts) + _LAST_BLOCK + trailer


def weak(etag: str) -> str:
    """RFC 9110 §8.8.1: a strong ETag names one byte sequence; the gzip bytes are another
    representation, so their tag is weak (``If-None-Match`` compares weakly: it still matches)."""
    return "W/" + etag if etag.startswith('"') else etag


def gzip_headers(headers: Iterable[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """A header list as ``CompressionMiddleware`` leaves it: the new length and the weak ETag in
    place, ``Content-Encoding: gzip`` at the end (the front layer answers in Django's order)."""
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-length":
            out.append((name, str(length)))
        else:
            out.append((name, weak(value) if lower == "etag" else value))
    if not any(name.lower() == "content-length" for name, _ in out):
        out.append(("Content-Length", str(length)))
    out.append(("Content-Encoding", "gzip"))
    return out


def identity_headers(headers: Iterable[tuple[str, str]], identity: Identity) -> list[tuple[str, str]]:
    """The inverse of ``gzip_headers`` for a response ``CompressionMiddleware`` compressed."""
    out: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-encoding":
            continue
        if lower == "content-length":
            out.append((name, str(len(identity.body))))
        elif lower == "etag" and identity.etag is not None:
            out.append((name, identity.etag))
        else:
            out.append((name, value))
    return out


class CompressionMiddleware:
    """Second in the chain (only ``NoClientAddressMiddleware`` is outside it, and it adds no
    header): every other middleware has written its headers and the body is final."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.streaming or not isinstance(response, HttpResponse):
            return response
        if response.status_code == 304 and response.has_header("ETag"):
            # A 304 stands for the 200 a cache holds, which varied on the encoding.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        body = response.content
        encoded = response.has_header("Content-Encoding")
        if not compressible(response.status_code, response.get("Content-Type", ""), len(body), encoded):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzip(body)
        if compressed is None:
            return response
        etag = response.get("ETag")
        setattr(response, IDENTITY, Identity(body, etag))
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        if etag:
            response.headers["ETag"] = weak(etag)
        response.headers["Content-Encoding"] = "gzip"
        return response
