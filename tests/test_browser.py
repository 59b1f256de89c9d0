"""The site in a real headless Chromium: no console error, no request leaving the page,
no serious or critical axe-core violation, no Nu HTML Checker error.

Needs Debian's chromium, Java and ``npm ci`` (package.json); .ci/run installs them and sets
OLAP_REQUIRE_BROWSER=1 so that a missing tool fails instead of skipping.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
PAGES = [
    "index.html",
    "alternants/lea-martin.html",
    "synoptique.html",
    "activites/6.3.html",
    "matieres/maths.html",
    "qcm/6.html",
    "alternants/lea-martin-ressources.html",
]


def serious_violations(page) -> list[tuple]:
    """axe-core's serious and critical violations on *page* (id, impact, first targets)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _need(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("OLAP_REQUIRE_BROWSER"):
            pytest.fail(f"missing for the browser tests: {what}")
        pytest.skip(f"missing: {what} (run .ci/run, or npm ci and apt-get install chromium)")


def print_a4_boxes(uri: str, tmp_path: Path) -> set[tuple[float, ...]]:
    """Print *uri* with Chromium itself (as Ctrl+P does); the PDF's page boxes."""
    import re

    pdf = tmp_path / "page.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            uri,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return {
        tuple(float(x) for x in m.split())
        for m in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf.read_bytes())
    }


def is_a4_landscape(boxes: set[tuple[float, ...]]) -> bool:
    return bool(boxes) and all(abs(w - 842) < 2 and abs(h - 595) < 2 for _x, _y, w, h in boxes)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "OLAP_TODAY": "2026-01-07", "OLAP_CACHE_DIR": str(out.parent / "cache")}
    import sys

    subprocess.run(
        [sys.executable, "-m", "olapcli", "-C", str(SAMPLE), "render", "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def server(site: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    _need(Path(CHROMIUM).exists(), "chromium (apt-get install chromium)")
    _need(AXE.exists(), "axe-core (npm ci)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_chromium(browser, server, page_path):
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(server + page_path)
    assert response is not None and response.ok
    page.wait_for_load_state("networkidle")
    assert errors == []
    assert failed == []
    assert [u for u in requests if not u.startswith(server)] == []  # nothing leaves the site
    assert requests == [server + page_path]  # CSS inline, no font, no script, no image
    assert serious_violations(page) == []
    page.close()


@pytest.mark.parametrize("page_path", ["alternants/lea-martin.html", "synoptique.html"])
def test_prints_on_a4_landscape(browser, server, site, tmp_path, page_path):

    # nothing wider than an A4 landscape page (273 mm between 12 mm margins) in print
    page = browser.new_page(viewport={"width": 1031, "height": 700})
    page.goto(server + page_path)
    page.emulate_media(media="print")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    page.close()
    # printed by Chromium itself, as Ctrl+P does
    assert is_a4_landscape(print_a4_boxes((site / page_path).as_uri(), tmp_path))


def test_nu_html_checker_finds_no_error(site):
    _need(VNU.exists(), "vnu-jar (npm ci)")
    _need(shutil.which("java") is not None, "java")
    files = [str(site / p) for p in PAGES] + [str(site / "qcm/index.html")]
    proc = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
    )
    messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    errors = [
        (Path(m.get("url", "")).name, m.get("message"))
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
