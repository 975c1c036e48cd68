"""Offline receipt guessing with a full backup: the database and every file of the data directory.

    .venv/bin/python benchmarks/reports_receipt_guess.py [--seconds S] [--reports N]

An attacker with a backup holds every report's stored receipt index and, when the pepper lives in
the data directory (the embedded default), the pepper too. This prints how many receipt guesses
per second one core tests against *all* stored rows at once, measured in this run:

- before: the old index, HMAC-SHA256(pepper, code), one hash per guess, then a set lookup;
- old rows after migration 0004: HMAC, then one Argon2id of it (``legacy_hardened_index``);
- after: one Argon2id of the peppered code with the installation salt (``receipts.stretch``),
  at the production cost (3 passes over 64 MB, the settings' defaults), then BLAKE2b and a lookup.

and, from those rates, the expected core-years to open *one* of N reports (10^16 codes). Plain
Python calling the same libraries the server uses (hashlib, libsodium): a GPU does the HMAC far
faster, while Argon2id's 64 MB per guess is what GPUs are bad at. Figures only, nothing asserted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tabyin.reports.crypto import receipts  # a pure module: no Django set-up needed

OPS, MEM = 3, 64 * 1024 * 1024
SPACE = 10**16
YEAR = 365.25 * 24 * 3600


def _rate(guess: Callable[[str], str], stored: set[str], seconds: float) -> tuple[float, int]:
    """Guesses per second on this core (and how many were tried), each checked against every row."""
    tried, hits = 0, 0
    first = secrets.randbelow(SPACE // 2)  # an attacker walks the code space in order
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or tried < 3:
        for _ in range(256 if tried > 1000 else 1):
            hits += guess(f"{first + tried:016d}") in stored
            tried += 1
    return tried / elapsed, tried


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="time per scheme (default 20)")
    parser.add_argument("--reports", type=int, default=10_000, help="rows in the stolen database")
    args = parser.parse_args()
    pepper = secrets.token_urlsafe(50)
    salt = secrets.token_bytes(16)
    # The attacker's set of stored indexes (its size barely matters to a set lookup).
    stored = {secrets.token_hex(32) for _ in range(args.reports)}

    def old(code: str) -> str:
        return receipts.legacy_hmac_index(code, pepper)

    def hardened(code: str) -> str:
        return receipts.legacy_hardened_index(old(code), salt, ops=OPS, mem=MEM)

    def new(code: str) -> str:
        return receipts.index(receipts.stretch(code, pepper, salt, ops=OPS, mem=MEM))

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"one core, {args.reports} stored reports, Argon2id {OPS} passes x {MEM // 2**20} MB")
    rows = []
    for name, guess, seconds in [
        ("before (HMAC index)", old, min(args.seconds, 5.0)),
        ("old rows after migration 0004", hardened, args.seconds),
        ("after (Argon2id index)", new, args.seconds),
    ]:
        rate, tried = _rate(guess, stored, seconds)
        years = SPACE / args.reports / rate / YEAR
        rows.append((name, rate, tried, years))
    base = rows[0][1]
    header = ("scheme", "guesses/s/core", "tried", "x slower", "core-years per report found")
    print(f"{header[0]:32} {header[1]:>15} {header[2]:>9} {header[3]:>9} {header[4]:>28}")
    for name, rate, tried, years in rows:
        print(f"{name:32} {rate:15,.1f} {tried:9d} {base / rate:9,.0f} {years:28,.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
