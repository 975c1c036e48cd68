"""The public API's read endpoints under 50 concurrent clients, with the site's caching (issue 21).

    PYTHONPATH=src .venv/bin/python benchmarks/api_load.py [--seconds 5] [--clients 50]
        [--only SUBSTRING] [--encoding gzip|identity] [--data DIR]

Loads the demo (`tabyin demo --no-serve`, embedded mode: SQLite, the in-memory response cache and
the front cache of every process, one web process per core), starts `tabyin serve` with its
defaults (TABYIN_RESPONSE_CACHE=true, as the site runs), and drives each GET operation of the one
OpenAPI document (`/api/v1/openapi.json`) with Debian's `wrk` (two threads). A path parameter is
filled from the demo's own data (the first item its list endpoint gives, or the list inside the
object before it; a poll's id from the database, as polls have no public list); an operation whose
address cannot be filled, or that answers anything but 200 (the inbox needs a person's token), is
listed as skipped. Prints p50/p95/p99 and requests per second per endpoint, each line with the
1-minute load average read just before it, then `uptime`. Target: p95 ≤ 50 ms. Asserts nothing.

Every request says ``Accept-Encoding: gzip``, as the mobile app's HTTP client and every browser do
(ADR 0041); ``--encoding identity`` sends none (wrk's default), for the uncompressed figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal_load import TABYIN, WRK_SCRIPT, free_port, start, stop, wait, wrk

TARGET_P95_MS = 50.0
# Values for path parameters the demo has (checked against a 200 before measuring).
EXAMPLES = {
    "slug": "services",
    "dataset": "services",
    "code": "outpatient-services-per-day",
    "indicator": "outpatient-services-per-day",
    "area": "IR-23",
    "province": "IR-23",
}
# Query strings that make a read realistic (the mobile app's first screens).
QUERIES = {
    "/api/v1/datasets/{slug}/rows": "area=IR-23&_size=100",
    "/api/v1/datasets/{slug}/aggregates": "by=area&indicator=outpatient-services-per-day",
}
_PARAM = re.compile(r"\{([^}]+)\}")


def _manage(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*TABYIN, "manage", "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]  # Django 6 prints what it auto-imported first


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        return error.code, None
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def _items(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        return []
    items = body.get("results") or body.get("items") or []
    lists = (v for v in body.values() if isinstance(v, list) and v and isinstance(v[0], dict))
    return items or next(lists, [])


def _first_id(base: str, listing: str, name: str) -> str | None:
    """A value for ``{name}`` from the list just before it in the (partly filled) address.

    The list is asked with and without a trailing slash (the routers differ); a detail's own list
    (a challenge's entries) is found in the object the address before it answers.
    """
    listing = listing.rstrip("/")
    for address in (listing + "/", listing):
        status, body = get(base + address)
        if status == 200:
            break
    else:
        parent, _slash, key = listing.rpartition("/")
        status, body = get(base + parent)
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get(key), list):
            return None
        body = body[key]
    for item in _items(body):
        if isinstance(item, dict):
            for key in (name, "id", "slug", "code", "period", "key"):
                if key in item and isinstance(item[key], str | int):
                    return str(item[key])
    return None


def _fill(base: str, path: str, param: str, address: str) -> str | None:
    """The demo's value for ``{param}``: the fixed example if the address answers with it, else
    the first item of the list before it."""
    head = address.split("{" + param + "}", maxsplit=1)[0]
    example = EXAMPLES.get(param)
    if example is not None:
        trial = address.replace("{" + param + "}", urllib.parse.quote(example, safe=""))
        query = "?" + QUERIES[path] if path in QUERIES else ""
        if "{" not in trial and get(base + trial + query)[0] == 200:
            return example
        if "{" in trial and get(base + head + example)[0] == 200:
            return example
    return _first_id(base, head, param)


def endpoints(base: str) -> tuple[dict[str, str], dict[str, str]]:
    """(name → address) of every GET operation that answers 200, and (name → why) of the rest."""
    status, document = get(base + "/api/v1/openapi.json")
    if status != 200:
        sys.exit(f"no OpenAPI document ({status})")
    found: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for path, item in sorted(document["paths"].items()):
        operation = item.get("get")
        if operation is None:
            continue
        name = operation.get("operationId", path)
        address = path
        for param in _PARAM.findall(path):
            value = _fill(base, path, param, address)
            if value is None:
                skipped[name] = f"no example for {{{param}}}"
                break
            address = address.replace("{" + param + "}", urllib.parse.quote(value, safe=""))
        else:
            if query := QUERIES.get(path):
                address += "?" + query
            answered, _body = get(base + address)
            if answered == 200:
                found[name] = address
            else:
                skipped[name] = f"HTTP {answered} at {address}"
    return found, skipped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--only", default="", help="measure only endpoints whose name contains this")
    parser.add_argument("--encoding", choices=("gzip", "identity"), default="gzip")
    parser.add_argument("--data", type=Path, help="a data directory the demo filled (copied, not changed)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="tabyin-api-load-"))
    script = work / "p95.lua"
    script.write_text(WRK_SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"TABYIN_DATA_DIR": str(work / "data"), "TABYIN_RESPONSE_CACHE": "true"}
    if args.data:
        shutil.copytree(args.data, work / "data")
    else:
        done = subprocess.run(
            [*TABYIN, "demo", "--no-serve", "--port", str(free_port())],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"tabyin demo failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    # A poll has no public list to take its id from: the demo's open poll, read from the database.
    EXAMPLES["poll_id"] = _manage(
        env,
        "from tabyin.reception.polls.models import Poll; from tabyin.reception.polls.enums import PollState;"
        "print(Poll.objects.filter(state=PollState.OPEN).order_by('pk').first().pk)",
    )
    port = free_port()
    web = start([*TABYIN, "serve", "--port", str(port)], env, work / "web.log")
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict[str, Any]] = {}
    try:
        wait(base + "/healthz", 300)  # start-up checks on a loaded 2-core machine took over 90 s
        found, skipped = endpoints(base)
        for name, address in found.items():
            if args.only and args.only not in name:
                continue
            for _ in range(4):  # warm: the first render of each answer is not what we measure
                wait(base + address)
            headers = ("Accept-Encoding: gzip",) if args.encoding == "gzip" else ()
            measured = wrk(base + address, args.seconds, args.clients, script, headers)
            results[name] = {**measured, "address": address}
    finally:
        stop(web)
    print(
        f"/api/v1/ read endpoints, {args.clients} clients, {args.seconds} s each, embedded,"
        " response cache on,"
        f" Accept-Encoding: {args.encoding}"
    )
    over = 0
    for name, r in results.items():
        flag = "" if r["P95_MS"] <= TARGET_P95_MS else "  OVER TARGET"
        over += bool(flag)
        print(
            f"  {name:<34} p50 {r['P50_MS']:6.1f}  p95 {r['P95_MS']:6.1f}  p99 {r['P99_MS']:6.1f} ms"
            f"  {r['RPS']:7.1f} req/s  errors {int(r['ERRORS'])}  (load {r['LOAD']:.2f})"
            f"  {r['address']}{flag}"
        )
    for name, why in skipped.items():
        print(f"  skipped {name}: {why}")
    print(f"{len(results) - over} of {len(results)} endpoints at p95 ≤ {TARGET_P95_MS:.0f} ms")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip())


if __name__ == "__main__":
    main()
