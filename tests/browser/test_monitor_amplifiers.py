"""The amplifier view in a real browser at 1280 px and 390 px: the ranked list beside (or above)
the drawing, no two labels overlapping (their boxes measured with getBBox in the page), no label
on a node, long Persian names cut with the ellipsis on their left (the logical end), no horizontal
scrolling. Screenshots: test-artifacts/screenshots/monitor-amplifiers-{1280,390}.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from tabyin.core.enums import Role
from tabyin.monitor.enums import Sentiment
from tabyin.monitor.models import Story
from tests import factories
from tests.browser.conftest import SHOTS, RecordingPage, _page
from tests.browser.test_monitor_dashboard import _world
from tests.browser.test_reports_staff import sign_in
from tests.monitor import builders
from tests.monitor.builders import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
H, M = timedelta(hours=1), timedelta(minutes=1)

LONG = [
    "کانال خبری فوری اخبار لحظه به لحظه ایران و جهان",
    "صدای بازنشستگان و مستمری‌بگیران سراسر کشور",
    "Iran International Breaking News Channel",
    "اخبار اقتصادی بورس طلا ارز و مسکن امروز",
    "شبکه خبری کارگران و کارفرمایان",
    "کانال رسمی خبرهای داغ شهرستان‌ها",
]

# Each label's box, whether it meets another label or any node, whether it leaves the drawing,
# and for cut names whether the ellipsis is drawn left of the first letter.
MEASURE = """() => {
  const svg = document.querySelector('svg.network');
  const vb = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll('text.label')].map(t => {
    const b = t.getBBox();
    const n = t.textContent.length;
    let ellipsisLeft = null;
    if (t.textContent.endsWith('…') && t.getAttribute('direction') === 'rtl') {
      ellipsisLeft = t.getExtentOfChar(n - 1).x < t.getExtentOfChar(0).x;
    }
    return {x: b.x, y: b.y, w: b.width, h: b.height, text: t.textContent, ellipsisLeft};
  });
  const nodes = [...svg.querySelectorAll('g.node circle')].map(c => {
    const b = c.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height};
  });
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const overlaps = [];
  boxes.forEach((a, i) => boxes.forEach((b, j) => {
    if (i < j && meet(a, b)) overlaps.push([a.text, b.text]);
  }));
  const onNodes = boxes.filter(a => nodes.some(n => meet(a, n))).map(a => a.text);
  const outside = boxes.filter(a => a.x < vb.x || a.y < vb.y || a.x + a.w > vb.x + vb.width
                                      || a.y + a.h > vb.y + vb.height).map(a => a.text);
  return {count: boxes.length, overlaps, onNodes, outside,
          ellipses: boxes.filter(a => a.ellipsisLeft !== null).map(a => a.ellipsisLeft),
          scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.fixture
def wide(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(browser, viewport={"width": 1280, "height": 900}, locale="fa-IR")


@pytest.fixture
def narrow(browser: Browser) -> Iterator[RecordingPage]:
    yield from _page(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, locale="fa-IR"
    )


def _crowd(rumor: Story) -> None:
    """Thirty-four channels in all, some with long names, and two carried earlier rumors too."""
    channels = [builders.source(f"long{i}", name=LONG[i % len(LONG)] + f" {i}") for i in range(20)]
    for i, ch in enumerate(channels):
        builders.post(ch, rumor, NOW - 3 * H + i * 4 * M, views=500 + 10 * i, sentiment=Sentiment.NEGATIVE)
    for k in range(2):
        old = builders.story(f"شایعهٔ قدیمی {k}", at=NOW - (10 + k) * 24 * H, is_rumor=True)
        for ch in channels[:3]:
            builders.post(ch, old, NOW - (10 + k) * 24 * H)
    builders.story_refresh(rumor)


def _check(view: RecordingPage, url: str, name: str) -> dict[str, Any]:
    view.page.goto(url)
    view.page.wait_for_load_state("networkidle")
    assert view.page.locator("[data-testid=amplifier]").count() == 34
    found: dict[str, Any] = view.page.evaluate(MEASURE)
    view.shot(name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.page.locator("[data-testid=amplifiers-panel]").screenshot(path=str(SHOTS / f"{name}-panel.png"))
    return found


def test_amplifiers_are_readable_at_1280_and_390(
    live_server: LiveServer, wide: RecordingPage, narrow: RecordingPage
) -> None:
    with time_machine.travel(NOW + 10 * M, tick=True):
        rumor = _world()
        _crowd(rumor)
        analyst = factories.persona("hq.analyst", "hq", Role.ANALYST)
        for view in (wide, narrow):
            sign_in(view, analyst, live_server)
        url = f"{live_server.url}/staff/monitor/stories/{rumor.pk}/"
        for view, name in ((wide, "monitor-amplifiers-1280"), (narrow, "monitor-amplifiers-390")):
            found = _check(view, url, name)
            assert found["count"] == 34
            assert found["overlaps"] == []
            assert found["onNodes"] == []
            assert found["outside"] == []
            assert found["ellipses"] and all(found["ellipses"])
            assert found["scroll"] <= 0
        # The repeat offenders are in the list: three channels carried two other rumors each.
        repeat = wide.page.locator("[data-testid=amplifier].amp__repeat [data-testid=other-rumors]")
        assert repeat.all_inner_texts() == ["۲", "۲", "۲"]
        # On the wide screen the list and the drawing sit side by side.
        table = wide.page.locator("[data-testid=amplifiers]").bounding_box()
        graph = wide.page.locator("svg.network").bounding_box()
        assert table and graph and abs(table["y"] - graph["y"]) < 80
