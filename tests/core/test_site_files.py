"""robots.txt, the icons, the web app manifest and the link-preview tags of the shell."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from PIL import Image

from tabyin.core.models import User

pytestmark = pytest.mark.django_db

HOST = "testserver"


def _head(html: str) -> str:
    return html[html.index("<head>") : html.index("</head>")]


def test_robots_keeps_crawlers_out_of_staff_and_api_and_points_at_the_sitemap() -> None:
    response = Client().get("/robots.txt", HTTP_HOST=HOST)

    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    for path in ("/staff/", "/en/staff/", "/api/", "/reports/receipt/", "/search/", "/en/search/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines and "Disallow: /data/" not in lines
    assert lines[-1] == f"Sitemap: http://{HOST}/sitemap.xml"


@pytest.mark.parametrize(
    ("url", "content_type", "sizes"),
    [
        ("/favicon.ico", "image/x-icon", {(16, 16), (32, 32), (48, 48)}),
        ("/apple-touch-icon.png", "image/png", {(180, 180)}),
    ],
)
def test_icons_at_the_addresses_browsers_ask_for(
    url: str, content_type: str, sizes: set[tuple[int, int]]
) -> None:
    response = Client().get(url)

    image = Image.open(io.BytesIO(response.content))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert set(image.info.get("sizes", {image.size})) == sizes
    assert "max-age=604800" in response["Cache-Control"]


def test_the_share_image_is_a_png_messengers_can_show() -> None:
    from django.contrib.staticfiles import finders

    image = Image.open(str(finders.find("tabyin/icons/share.png")))

    assert (image.format, image.size) == ("PNG", (1200, 630))


@pytest.mark.parametrize(("prefix", "lang", "direction"), [("", "fa", "rtl"), ("/en", "en", "ltr")])
def test_manifest_in_each_language(prefix: str, lang: str, direction: str) -> None:
    response = Client().get(f"{prefix}/manifest.webmanifest")

    body = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    assert (body["lang"], body["dir"], body["start_url"]) == (lang, direction, f"{prefix}/")
    assert [(i["sizes"], i.get("purpose", "any")) for i in body["icons"]] == [
        *((f"{n}x{n}", "any") for n in (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
        ("any", "any"),
    ]
    assert body["display"] == "standalone"
    for icon in body["icons"]:
        assert icon["src"].startswith("/static/tabyin/icons/")


def test_public_page_links_its_twin_and_carries_link_preview_tags(org: None) -> None:
    head = _head(Client().get("/en/reports/protections/", HTTP_HOST=HOST).content.decode())

    assert f'<link rel="alternate" hreflang="fa" href="http://{HOST}/reports/protections/">' in head
    assert f'<link rel="alternate" hreflang="en" href="http://{HOST}/en/reports/protections/">' in head
    assert f'<link rel="alternate" hreflang="x-default" href="http://{HOST}/reports/protections/">' in head
    assert f'<meta property="og:url" content="http://{HOST}/en/reports/protections/">' in head
    assert '<meta property="og:locale" content="en_US">' in head
    assert re.search(
        rf'<meta property="og:image" content="http://{HOST}/static/tabyin/icons/share[.\w]*png">', head
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    title = re.search(r"<title>(.*)</title>", head)
    assert title is not None
    assert f'<meta property="og:title" content="{title.group(1)}">' in head
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in head
    assert '<link rel="manifest" href="/en/manifest.webmanifest">' in head
    assert "noindex" not in head


def test_staff_pages_ask_not_to_be_indexed_and_have_no_preview(hq_admin: User) -> None:
    head = _head(Client().get("/staff/login/").content.decode())

    assert '<meta name="robots" content="noindex, nofollow">' in head
    assert "og:title" not in head and "hreflang" not in head


def test_an_unknown_address_has_no_language_twin(org: None) -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "hreflang" not in _head(response.content.decode())
