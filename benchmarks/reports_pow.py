"""The report forms' proof-of-work challenge: what it costs a browser and what it costs a flood.

    .venv/bin/python benchmarks/reports_pow.py [--runs N] [--bits 16 18]

(a) Chromium (/usr/bin/chromium, headless) runs our own static/tabyin/js/reports-pow.js on a page
    with one challenge, as a report form does, N times per difficulty with fresh nonces: mean,
    median and slowest time until the answer is in the form;
(b) an attacker on one core with Python's hashlib (the C SHA-256 behind a Python loop; native
    code is faster still): hashes per second and seconds of one core per post, and per 10,000
    posts.

Expected work is 2^bits hashes; the time to solve is geometric, so single runs vary widely.
Figures only, nothing asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

SCRIPT = Path(__file__).resolve().parents[1] / "src/tabyin/static/tabyin/js/reports-pow.js"
PAGE = (
    '<form><input type="hidden" name="pow_answer" value="" data-pow-nonce="{nonce}" '
    'data-pow-bits="{bits}" data-pow-wait="…"><p class="rp-pow" hidden></p></form>'
)


def browser_times(bits: int, runs: int) -> list[float]:
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        for _ in range(runs):
            page.set_content(PAGE.format(nonce=secrets.token_hex(16), bits=bits))
            start = time.perf_counter()
            page.add_script_tag(path=str(SCRIPT))
            page.wait_for_selector("form[data-pow='solved']", state="attached", timeout=120_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def hashlib_rate(seconds: float = 3.0) -> float:
    nonce, tried = secrets.token_hex(16), 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for answer in range(tried, tried + 10_000):
            hashlib.sha256(f"{nonce}:{answer}".encode()).digest()
        tried += 10_000
    return tried / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--bits", type=int, nargs="+", default=[16, 18])
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rate = hashlib_rate()
    print(f"attacker, Python hashlib, one core: {rate:,.0f} hashes/s")
    head = ("bits", "browser mean s", "median s", "slowest s", "attacker s/post", "core-h / 10k posts")
    print(f"{head[0]:>4} {head[1]:>15} {head[2]:>9} {head[3]:>10} {head[4]:>16} {head[5]:>19}")
    for bits in args.bits:
        times = browser_times(bits, args.runs)
        per_post = 2**bits / rate
        print(
            f"{bits:4d} {statistics.mean(times):15.3f} {statistics.median(times):9.3f} {max(times):10.3f}"
            f" {per_post:16.3f} {per_post * 10_000 / 3600:19.2f}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
