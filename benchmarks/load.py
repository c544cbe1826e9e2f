"""Load on loopback: every demo role's main pages and API routes at 1, 8 and 32 users.

    .venv/bin/python benchmarks/load.py [--build] [--users 1,8,32] [--rounds 3]
        [--database postgres://postgres@127.0.0.1:5432/clusterdesk_load] [--workers 2]

``--build`` makes the national demo in the database with the demo command itself
(``clusterdesk demo --no-serve --reset --scale national``). The script then starts
``clusterdesk serve`` (gunicorn, WhiteNoise, ``CLUSTERDESK_DEBUG=0``) on 127.0.0.1:8765, and
simulates users: each signs in through the sign-in form as one of the demo accounts (taken
in turn), opens its cluster's home, follows every link of its menu, reads the API's main
routes for that cluster (through its session, as the browser does), and asks ``/health/``
(the trivial view: one ``SELECT 1``) between two pages. Each user goes through its pages
``--rounds`` times; the first round warms the caches and is not counted.

Per concurrency level: per page (numbers in the address replaced by ``{id}``) the count,
50th/95th/99th percentiles, and the 95th percentile as a ratio to the trivial view's in the
same run; in all, requests per second and errors (any status >= 300 or a failed request).
The client runs on the same two cores as the server and PostgreSQL: figures are upper bounds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
BASE = "http://127.0.0.1:8765"
PASSWORD = "ClusterDesk-demo-2026"
TRIVIAL = "/health/"
API_ROUTES = (
    "/api/v1/clusters/{slug}",
    "/api/v1/clusters/{slug}/organisations",
    "/api/v1/clusters/{slug}/memberships",
    "/api/v1/clusters/{slug}/applications",
    "/api/v1/clusters/{slug}/calls",
    "/api/v1/clusters/{slug}/indicators?from=2005-01-01&to=2015-12-31",
)
MENU = re.compile(r'<nav class="menu".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_env(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "CLUSTERDESK_DEBUG": "0",
        "CLUSTERDESK_SECRET_KEY": "load-benchmark-" + "k" * 40,
        "CLUSTERDESK_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CLUSTERDESK_SSL_REDIRECT": "0",
        "CLUSTERDESK_LOG_LEVEL": "WARNING",
    }


def demo_accounts(env: dict[str, str], build: bool) -> list[str]:
    """The demo accounts the demo command prints (building the demo first with --build)."""
    args = [str(BIN / "clusterdesk"), "demo", "--no-serve", "--scale", "national"]
    if build:
        args.append("--reset")
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith("  ") and "@" in line]


class Browser:
    """One person's client. The server runs as in production (secure cookies) and the
    benchmark over plain HTTP on loopback, so the client keeps and sends its cookies itself,
    as a browser behind TLS would (requests drops secure cookies over HTTP)."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, **kwargs.pop("headers", {})}
        url = path if path.startswith("http") else BASE + path
        answer = self.http.request(method, url, headers=headers, allow_redirects=False, **kwargs)
        self.cookies.update({c.name: c.value for c in answer.cookies})
        return answer

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)


def sign_in(browser: Browser, email: str) -> str:
    """Sign in through the form; return the address the person lands on."""
    page = browser.get("/accounts/login/")
    token = CSRF.search(page.text)
    assert token, "no CSRF token on the sign-in page"
    answer = browser.request(
        "POST",
        "/accounts/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{BASE}/accounts/login/"},
    )
    landing = answer.headers.get("Location", "")
    assert answer.status_code == 302 and "/accounts/" not in landing, f"{email}: no sign-in"
    # The start page sends a person with one cluster to it.
    while (answer := browser.get(landing)).status_code == 302:
        landing = answer.headers["Location"]
    return landing.removeprefix(BASE)


def pages_of(browser: Browser, landing: str) -> list[str]:
    """The person's home, its menu's pages and, for a cluster, the API's main routes."""
    home = browser.get(landing)
    menu = MENU.search(home.text)
    links = []
    for link in sorted(set(HREF.findall(menu.group(0)))) if menu else []:
        answer = browser.get(link)  # a menu entry may send to its current page (renewals)
        links.append(answer.headers["Location"] if answer.status_code == 302 else link)
    pages = [landing, *links]
    slug = re.search(r"/c/([^/]+)/", landing + " ".join(links))
    if slug:
        # The API routes this person may read (the others answer 403 or 404, by design).
        routes = [route.format(slug=slug.group(1)) for route in API_ROUTES]
        pages += [route for route in routes if browser.get(route).status_code == 200]
    return pages


def template(path: str) -> str:
    return re.sub(r"/\d+", "/{id}", path.split("?")[0])


def run_level(accounts: list[str], users: int, rounds: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(users + 1)
    done = threading.Barrier(users + 1)

    def user(n: int) -> None:
        # Every account is used at every level: one user signs in as each in turn.
        mine = [accounts[i % len(accounts)] for i in range(n, max(users, len(accounts)), users)]
        try:
            visits = []
            for email in mine:
                browser = Browser()
                visits += [(browser, page) for page in pages_of(browser, sign_in(browser, email))]
        except Exception:
            ready.abort()  # the run stops instead of waiting for this user
            raise
        ready.wait()
        for round_ in range(rounds):
            for browser, page in visits:
                for path in (page, TRIVIAL):
                    start = time.perf_counter()
                    try:
                        status = browser.get(path).status_code
                    except requests.RequestException as exc:
                        status = 0
                        problem = f"{path}: {exc}"
                    else:
                        # A main page answers itself: a redirect (to sign in) is a failure.
                        problem = f"{path}: {status}" if status >= 300 else ""
                    elapsed = time.perf_counter() - start
                    if round_ == 0:
                        continue  # the warm-up round
                    with lock:
                        timings[template(path)].append(elapsed)
                        if problem:
                            errors.append(problem)
        done.wait()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    done.wait()
    wall = time.perf_counter() - start
    for thread in threads:
        thread.join()
    count = sum(len(v) for v in timings.values())
    warm = count * rounds / max(rounds - 1, 1)  # every timed request, warm-up included
    return {"users": users, "timings": timings, "errors": errors, "rps": warm / wall}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(level: dict[str, Any]) -> str:
    timings = level["timings"]
    trivial = percentile(timings[TRIVIAL], 95)
    lines = [
        f"### {level['users']} concurrent user(s): {level['rps']:.1f} requests/s, "
        f"{len(level['errors'])} error(s); trivial view p95 {trivial * 1000:.1f} ms",
        "",
        "| page | n | p50 ms | p95 ms | p99 ms | p95 / trivial |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for path in sorted(timings, key=lambda p: -percentile(timings[p], 95)):
        values = timings[path]
        p50, p95, p99 = (percentile(values, p) * 1000 for p in (50, 95, 99))
        lines.append(
            f"| `{path}` | {len(values)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | "
            f"{p95 / 1000 / trivial:.1f} |"
        )
    if level["errors"]:
        lines += ["", "Errors: " + ", ".join(sorted(set(level["errors"]))[:20])]
    mean = statistics.mean(v for values in timings.values() for v in values) * 1000
    lines += ["", f"Mean over every request: {mean:.0f} ms.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/clusterdesk_load")
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--users", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = server_env(args.database)
    accounts = demo_accounts(env, args.build)
    serve = [str(BIN / "clusterdesk"), "serve", "--bind", "127.0.0.1:8765"]
    server = subprocess.Popen(
        [*serve, "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(120):
            try:
                if requests.get(BASE + TRIVIAL, timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        print(f"# Load on loopback: {len(accounts)} demo accounts, {args.workers} workers\n")
        for users in (int(u) for u in args.users.split(",")):
            print(report(run_level(accounts, users, args.rounds)), flush=True)
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
