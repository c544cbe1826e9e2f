"""`clusterdesk serve` from a built wheel, as production runs it: gunicorn, DEBUG off,
static files collected and served by WhiteNoise (the stylesheet and the vendored htmx)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def install_wheel(tmp_path: Path) -> Path:
    """Build the wheel and unpack it: the package as pip would install it, data files and all."""
    if not UV.exists():
        pytest.skip("uv is not installed in this environment (make install brings it)")
    dist = tmp_path / "dist"
    built = subprocess.run(
        [str(UV), "build", "--quiet", "--out-dir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.skip(f"the wheel could not be built here (no package index?): {built.stderr}")
    site = tmp_path / "site"
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        wheel.extractall(site)
    return site


def test_serve_installed_without_debug_answers_pages_and_static_files(tmp_path: Path) -> None:
    site = install_wheel(tmp_path)
    home = tmp_path / "home"
    (home / "var").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CLUSTERDESK_"))}
    env.update(
        PYTHONPATH=str(site),
        CLUSTERDESK_HOME=str(home),
        CLUSTERDESK_SECRET_KEY="serve-test-" + "k" * 50,
        CLUSTERDESK_SSL_REDIRECT="0",
    )
    command = [sys.executable, "-m", "clusterdesk.cli"]
    where = subprocess.run(
        [sys.executable, "-c", "import clusterdesk; print(clusterdesk.__file__)"],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site)), "the wheel, not the source tree, must be served"
    subprocess.run([*command, "migrate", "-v0"], env=env, cwd=home, check=True)

    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*command, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300  # the first collectstatic compresses every file
        status, page = 0, b""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, page = get(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, (tmp_path / "serve.log").read_text()

        # The page links the hashed names of the manifest, and WhiteNoise serves them.
        html = page.decode()
        stylesheet = re.search(r'href="(/static/clusterdesk/clusterdesk\.[0-9a-f]{12}\.css)"', html)
        htmx = re.search(r'src="(/static/vendor/htmx\.org/htmx\.min\.[0-9a-f]{12}\.js)"', html)
        assert stylesheet and htmx, html
        for path in (stylesheet[1], htmx[1], "/static/vendor/htmx.org/htmx.min.js"):
            status, body = get(base + path)
            assert status == 200, path
            assert len(body) > 1000, path
        assert get(base + "/static/no-such-file.js")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert (home / "var" / "static" / "staticfiles.json").exists()
