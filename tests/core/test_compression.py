"""gzip by Accept-Encoding (core.web.compression, ADR 0041): who gets it, what the headers say, and
what is never compressed. The front layer's side is in tests/portal/test_response_front.py."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.test import RequestFactory

from tabyin.core.web.compression import (
    IDENTITY,
    MIN_BYTES,
    CompressionMiddleware,
    Identity,
    accepts_gzip,
    compressible,
    deflated,
    gzip_headers,
    identity_headers,
    stitched,
)

BODY = ("<p>" + "گزارش خدمات سرپایی " * 200 + "</p>").encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", False),
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("br", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, br", False),
        ("gzip;q=0.5", True),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("gzip;q=0, *", False),
        ("gzip;q=nonsense", False),
        ("deflate, gzipped", False),
    ],
)
def test_accepts_gzip(header: str, expected: bool) -> None:
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(
    ("status", "kind", "size", "encoded", "expected"),
    [
        (200, "text/html; charset=utf-8", MIN_BYTES, False, True),
        (200, "text/html; charset=utf-8", MIN_BYTES - 1, False, False),
        (200, "application/json", 5000, False, True),
        (200, "application/problem+json", 5000, False, True),
        (404, "text/html; charset=utf-8", 5000, False, True),
        (200, "text/csv; charset=utf-8", 5000, False, True),
        (200, "image/svg+xml", 5000, False, True),
        (200, "text/calendar", 5000, False, True),
        (200, "application/pdf", 5000, False, False),
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 5000, False, False),
        (200, "image/png", 5000, False, False),
        (200, "application/json", 5000, True, False),
        (206, "text/csv", 5000, False, False),
        (200, "", 5000, False, False),
    ],
)
def test_compressible(status: int, kind: str, size: int, encoded: bool, expected: bool) -> None:
    assert compressible(status, kind, size, encoded) is expected


def _through(
    response: HttpResponse | StreamingHttpResponse, accept: str | None, method: str = "get"
) -> HttpResponse:
    extra = {} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}
    request = getattr(RequestFactory(), method)("/x/", **extra)

    def view(_request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        return response

    out = CompressionMiddleware(view)(request)
    assert isinstance(out, HttpResponse | StreamingHttpResponse)
    return out  # type: ignore[return-value]


def _page(body: bytes = BODY, kind: str = "text/html; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, content_type=kind)
    response["Content-Length"] = str(len(body))
    response["ETag"] = '"abc"'
    response["Vary"] = "Cookie"
    return response


def test_gzip_when_asked_with_the_length_the_weak_etag_and_vary() -> None:
    out = _through(_page(), "gzip, deflate, br")
    assert out["Content-Encoding"] == "gzip"
    assert out["Vary"] == "Cookie, Accept-Encoding"
    assert out["ETag"] == 'W/"abc"'
    assert int(out["Content-Length"]) == len(out.content) < len(BODY) // 4
    assert gzip.decompress(out.content) == BODY
    kept = getattr(out, IDENTITY)
    assert kept == Identity(BODY, '"abc"')
    # The BREACH padding: a random file name in the gzip header (FNAME), as Django's middleware.
    assert out.content[3] & gzip.FNAME


def test_identity_when_not_asked_or_refused_but_vary_all_the_same() -> None:
    for accept in (None, "br", "gzip;q=0", "identity"):
        out = _through(_page(), accept)
        assert out.content == BODY
        assert not out.has_header("Content-Encoding")
        assert (out["Vary"], out["ETag"], out["Content-Length"]) == (
            "Cookie, Accept-Encoding",
            '"abc"',
            str(len(BODY)),
        )
        assert not hasattr(out, IDENTITY)


def test_a_head_request_gets_the_headers_of_the_get() -> None:
    out = _through(_page(), "gzip", method="head")
    assert out["Content-Encoding"] == "gzip"
    assert int(out["Content-Length"]) == len(out.content)


def test_never_twice_never_small_never_binary_never_streamed() -> None:
    already = _page(gzip.compress(BODY), kind="application/json")
    already["Content-Encoding"] = "gzip"
    before = already.content
    out = _through(already, "gzip")
    assert (out.content, out["Content-Encoding"], out["Vary"]) == (before, "gzip", "Cookie")

    small = _through(_page(b"x" * (MIN_BYTES - 1)), "gzip")
    assert (small.content, small["Vary"], small.has_header("Content-Encoding")) == (
        b"x" * (MIN_BYTES - 1),
        "Cookie",
        False,
    )

    pdf = _through(_page(b"%PDF-1.7" + b"\0" * 5000, kind="application/pdf"), "gzip")
    assert (pdf.has_header("Content-Encoding"), pdf["Vary"]) == (False, "Cookie")

    def chunks() -> Iterator[bytes]:
        yield BODY

    streamed = _through(StreamingHttpResponse(chunks(), content_type="text/csv"), "gzip")
    assert not streamed.has_header("Content-Encoding")
    assert b"".join(streamed.streaming_content) == BODY  # type: ignore[arg-type]


def test_a_304_says_it_varies_on_the_encoding() -> None:
    not_modified = HttpResponseNotModified()
    not_modified["ETag"] = '"abc"'
    out = _through(not_modified, "gzip")
    assert (out.status_code, out["ETag"], out["Vary"]) == (304, '"abc"', "Accept-Encoding")
    assert not out.has_header("Content-Encoding")


def test_a_file_response_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(BODY)
    with path.open("rb") as handle:
        out = _through(FileResponse(handle, content_type="text/csv"), "gzip")
        assert not out.has_header("Content-Encoding")
        # (not out.close(): that sends request_finished, which would touch the database)


def test_the_header_lists_of_the_front_layer_round_trip() -> None:
    identity = [
        ("Content-Type", "application/json"),
        ("Content-Length", "5000"),
        ("ETag", '"abc"'),
        ("Vary", "Accept-Encoding"),
    ]
    encoded = gzip_headers(identity, 1234)
    assert encoded == [
        ("Content-Type", "application/json"),
        ("Content-Length", "1234"),
        ("ETag", 'W/"abc"'),
        ("Vary", "Accept-Encoding"),
        ("Content-Encoding", "gzip"),
    ]
    assert identity_headers(encoded, Identity(b"x" * 5000, '"abc"')) == identity


def test_parts_deflated_on_their_own_stitch_into_one_gzip_member() -> None:
    secret = b"n0nce-and-T0KEN" * 4
    fixed = (BODY[:1001], BODY[1001:])
    body = fixed[0] + secret + fixed[1]
    out = stitched([deflated(fixed[0]), deflated(secret), deflated(fixed[1])], body)
    assert gzip.decompress(out) == body  # the CRC and the length in the trailer are checked
    assert zlib.decompress(out, wbits=31) == body  # as a browser's zlib reads it
    assert out[3] == gzip.FNAME
    assert len(out) < len(body) // 4
    names = {out.index(b"\x00", 10) - 10 for _ in range(1) for out in
             (stitched([deflated(body)], body) for _ in range(40))}  # fmt: skip
    assert len(names) > 10  # the padding's length varies (0-99 bytes), as Django's does
