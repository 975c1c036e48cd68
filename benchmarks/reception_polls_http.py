"""Poll answers per second over HTTP in embedded mode: `tabyin serve` as it runs, answered by `wrk`.

    PYTHONPATH=src .venv/bin/python benchmarks/reception_polls_http.py [--seconds 10] [--clients 20]
        [--data DIR] [--src DIR]

The demo is loaded into a throwaway data directory, `tabyin serve` starts with its defaults (SQLite,
one web process per core), and `wrk` posts the demo's open poll's form with every question answered
and a province, as a browser without the poll's cookie does: each request is a new person, so each
stored answer is a full write (one response row, its answers, the signed cookie, the redirect). The
CSRF cookie and token are read once from the page, as a browser would. Afterwards the rows stored are
counted and must equal the redirects wrk saw: a refused or lost answer would show as a difference.
The CPU the server's processes and wrk used during the run is printed per stored answer: on two
cores, 1,000 answers a second leave 2 ms of CPU for each, the load generator's share included.

``--data`` copies a data directory the demo already filled instead of loading the demo (minutes on
this machine); ``--src`` serves another checkout's code (a before/after comparison on one data set).
wrk's script counts the redirects and every other status: a request still in flight when wrk stops
is stored but not counted, so the rows stored may exceed the redirects by at most the clients.

Complements benchmarks/reception_polls.py (the service and the view in one process, CPU time). The
machine is shared: the load average is printed before and after. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from portal_load import free_port, load_average, start, stop, wait  # noqa: E402

TABYIN = [sys.executable, "-m", "tabyin.cli"]


class _Form(html.parser.HTMLParser):
    """The poll form's fields: the CSRF token, the first choice of each question, a province."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        first_choice = a.get("type") == "radio" and name not in self.fields
        if tag == "input" and (name == "csrfmiddlewaretoken" or first_choice):
            self.fields[name] = a["value"]
        elif tag == "textarea" or (tag == "input" and a.get("type") == "text" and name.startswith("q")):
            self.fields[name] = "روشن بود"
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and a.get("value") and self._select not in self.fields:
            self.fields[self._select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _session_cpu(session: int) -> float:
    """CPU seconds (user and system) of every live process in ``session`` (the server and its workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the fields after the name: state, ppid, pgrp, session, …
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _manage(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*TABYIN, "manage", "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]  # Django 6 prints what it auto-imported first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--data", type=Path, help="a data directory the demo filled (copied, not changed)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to serve")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="tabyin-polls-http-"))
    env = {**os.environ, "TABYIN_DATA_DIR": str(work / "data"), "PYTHONPATH": str(args.src.resolve())}
    env.pop("DATABASE_URL", None)
    if args.data:
        shutil.copytree(args.data, work / "data")
    else:
        demo = [*TABYIN, "demo", "--no-serve", "--port", str(free_port())]
        subprocess.run(demo, env=env, check=True, capture_output=True)
    count = "from tabyin.reception.polls.models import Response as R; print(R.objects.count())"
    poll_id = _manage(
        env,
        "from tabyin.reception.polls.models import Poll; from tabyin.reception.polls.enums import PollState;"
        "print(Poll.objects.filter(state=PollState.OPEN).order_by('pk').first().pk)",
    )
    port = free_port()
    web = start([*TABYIN, "serve", "--port", str(port)], env, work / "web.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait(base + "/healthz")
        url = f"{base}/reception/polls/{poll_id}/"
        with urllib.request.urlopen(url) as page:  # noqa: S310 (loopback only)
            cookies = [c.split(";", 1)[0] for c in page.headers.get_all("Set-Cookie") or []]
            form = _Form()
            form.feed(page.read().decode())
        body = urllib.parse.urlencode(form.fields)
        script = work / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(body)}\n"
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["Cookie"] = {json.dumps("; ".join(cookies))}\n'
            f'wrk.headers["Referer"] = {json.dumps(url)}\n'
            f'wrk.headers["Origin"] = {json.dumps(base)}\n'
            "redirects, others = 0, 0\n"
            "local threads = {}\n"
            "function setup(thread) table.insert(threads, thread) end\n"
            "function response(status, headers, body)\n"
            "  if status == 302 then redirects = redirects + 1 else others = others + 1 end\n"
            "end\n"
            "function done(summary, latency, requests)\n"
            "  local r, o = 0, 0\n"
            "  for _, t in ipairs(threads) do r = r + t:get('redirects'); o = o + t:get('others') end\n"
            "  io.write(string.format('redirects %d, other statuses %d\\n', r, o))\n"
            "end\n",
            encoding="utf-8",
        )
        before = int(_manage(env, count))
        load_before = load_average()
        server_before, wrk_before = _session_cpu(web.pid), _children_cpu()
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.clients}", f"-d{args.seconds}s", "--latency", "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        server_cpu, wrk_cpu = _session_cpu(web.pid) - server_before, _children_cpu() - wrk_before
        stored = int(_manage(env, count)) - before
    finally:
        stop(web)
    print(f"poll {poll_id}: {len(form.fields) - 1} fields posted; {args.clients} clients, {args.seconds} s")
    print(out.strip())
    rate = stored / args.seconds
    print(f"answers stored: {stored:,} = {rate:,.0f} answers/s  [target ≥ 1,000/s]")
    if stored:
        print(
            f"CPU per stored answer: server {1000 * server_cpu / stored:.2f} ms, "
            f"wrk {1000 * wrk_cpu / stored:.2f} ms (2 cores = 2,000 ms of CPU a second)"
        )
    print(f"load average before {load_before:.2f}, after {load_average():.2f} (2 cores, shared)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
