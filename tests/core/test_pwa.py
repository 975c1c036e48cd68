"""The installable web app without a browser: manifest icons that are what they say, the service
worker's rules (what it must never keep), the offline page, and which pages load the script."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from tabyin.core.models import User
from tabyin.core.site import views_pwa

pytestmark = pytest.mark.django_db


def _config(body: str) -> dict[str, object]:
    head = body.split("\n", 1)[0]
    assert head.startswith("var CONFIG = ") and head.endswith(";")
    config: dict[str, object] = json.loads(head.removeprefix("var CONFIG = ").removesuffix(";"))
    return config


def test_every_manifest_icon_is_a_png_of_the_size_it_declares() -> None:
    body = json.loads(Client().get("/manifest.webmanifest").content)

    for icon in body["icons"]:
        if icon["type"] != "image/png":
            continue
        name = icon["src"].removeprefix("/static/")
        image = Image.open(str(finders.find(name)))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert (image.format, image.size) == ("PNG", (width, height)), name
    maskable = [i for i in body["icons"] if i.get("purpose") == "maskable"]
    assert [i["sizes"] for i in maskable] == ["192x192", "512x512"]


def test_the_worker_is_served_at_the_root_and_always_rechecked() -> None:
    response = Client().get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert 'self.addEventListener("fetch"' in response.content.decode()


def test_the_worker_never_keeps_staff_pages_or_a_reporters_follow_up() -> None:
    config = _config(Client().get("/sw.js").content.decode())

    never = config["neverStore"]
    assert isinstance(never, list)
    for path in ("/staff/", "/en/staff/", "/api/", "/reports/follow-up/", "/reports/receipt/"):
        assert path in never
    # Whatever the path, a response marked no-store or private is not kept either.
    source = views_pwa.WORKER_SOURCE.read_text()
    assert 'control.indexOf("no-store") !== -1 || control.indexOf("private") !== -1' in source


def test_the_shell_the_worker_installs_exists() -> None:
    config = _config(Client().get("/sw.js").content.decode())

    shell = config["shell"]
    assert isinstance(shell, list)
    assert shell[-2:] == ["/offline/", "/en/offline/"]
    for url in shell[:-2]:
        assert finders.find(url.removeprefix("/static/")), url
    assert re.fullmatch(r"[0-9a-f]{12}", str(config["version"]))
    notice = config["notice"]
    assert isinstance(notice, dict)
    assert notice["fa"] == (
        "اتصال به اینترنت برقرار نیست. این صفحه در {when} روی همین دستگاه ذخیره شده است و شاید از آن "
        "زمان تغییر کرده باشد."
    )


@pytest.mark.parametrize(
    ("path", "title"), [("/offline/", "اتصال برقرار نیست"), ("/en/offline/", "You are offline")]
)
def test_the_offline_page_in_each_language(org: None, path: str, title: str) -> None:
    body = Client().get(path).content.decode()

    assert f"<h1>{title}</h1>" in body
    assert "data-saved-pages hidden" in body
    assert ("صفحهٔ نخست" in body) == (path == "/offline/")


def test_public_pages_load_the_script_and_staff_pages_do_not(org: None, hq_admin: User) -> None:
    public = Client().get("/reports/protections/").content.decode()
    staff = Client().get("/staff/login/").content.decode()

    assert re.search(r'<script src="/static/tabyin/js/pwa[.\w]*js" data-sw="/sw.js" defer>', public)
    assert "data-sw" not in staff and "/tabyin/js/pwa" not in staff


def test_the_report_form_keeps_no_draft_of_who_the_reporter_is() -> None:
    from pathlib import Path

    import tabyin.reports

    template = Path(tabyin.reports.__file__).parent / "templates/reports/public/form.html"
    text = template.read_text()
    assert 'data-draft="report-{{ form.category.code }}"' in text
    assert '<fieldset class="rp-section" data-no-draft><legend>{% translate "You" %}</legend>' in text
