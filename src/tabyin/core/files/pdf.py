"""HTML to PDF with WeasyPrint, for every app that exports a PDF (scorecards, the daily brief).

Pango and HarfBuzz shape Persian correctly, which no PDF library that draws glyph by glyph does.
Nothing is fetched from the network: the only resources are the Vazirmatn fonts shipped in the
static folder, loaded as ``file:`` URLs through a fetcher that refuses every other address.
WeasyPrint is imported on first use: it is slow to import and logs at import time, which every
`tabyin` command would otherwise pay for.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders

FONTS: Final = {
    "regular": "tabyin/fonts/Vazirmatn-Regular.woff2",
    "bold": "tabyin/fonts/Vazirmatn-Bold.woff2",
}


@cache
def font_paths() -> dict[str, Path]:
    paths = {}
    for weight, name in FONTS.items():
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(name)
        paths[weight] = Path(str(found)).resolve()
    return paths


def font_uris() -> dict[str, str]:
    """``{"regular": "file:///…", "bold": …}`` for the templates' ``@font-face`` rules."""
    return {weight: path.as_uri() for weight, path in font_paths().items()}


def local_fonts_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the shipped font files and refuses anything else
    (WeasyPrint then goes on without it), so a PDF never makes a request, whatever its text says."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped, unused-ignore]

    allowed = set(font_paths().values())

    class LocalFontsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"refused (not a local file): {url}")
            path = Path(unquote(parts.path)).resolve()
            if path not in allowed:
                raise ValueError(f"refused (not a shipped font): {url}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/woff2"})

    return LocalFontsOnly(allowed_protocols=("file",))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped, unused-ignore]

    base = next(iter(font_paths().values())).parent.as_uri() + "/"
    pdf: bytes = HTML(string=html, base_url=base, url_fetcher=local_fonts_fetcher()).write_pdf()
    return pdf
