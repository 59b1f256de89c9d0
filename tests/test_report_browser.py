"""The impact report in a real headless Chromium (issue 15, point 2): readable on a
375 px phone and at 1280 px with nothing wider than the page, its charts scaled to the
width with their text still legible, each chart beside the table of its figures, no
serious or critical axe-core violation; and printed on A4 portrait with nothing wider
than the page, the data tables printed, no chart nor table row cut across two pages.

Both reports are checked: the one made from a cohort folder and the one made from
observatory exports (report-rows.html.j2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, TODAY, make_repo
from tests.test_browser import browser, print_a4_boxes, serious_violations  # noqa: F401 (a fixture)

PAGES = ["rapport.html", "rapport-exports.html"]
#: an A4 page's width less the report's 12 mm margins, in CSS pixels (96 per inch)
A4_PORTRAIT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)


def is_a4_portrait(boxes: set[tuple[float, ...]]) -> bool:
    return bool(boxes) and all(abs(w - 595) < 2 and abs(h - 842) < 2 for _x, _y, w, h in boxes)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two reports of the sample cohort: from its folder, from its export."""
    out = tmp_path_factory.mktemp("reports")
    repo = out / "cohorte"
    shutil.copytree(SAMPLE, repo)
    make_repo(repo)
    env = {
        **os.environ,
        "OLAP_TODAY": TODAY,
        "OLAP_CACHE_DIR": str(out / "cache"),
        "OLAP_NO_PROMPT": "1",
        "OLAP_LANG": "fr",
    }

    def olap(*args: str | Path) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "olapcli", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    olap("-C", repo, "report", "--out", out / PAGES[0])
    olap("-C", repo, "export", "observatoire", "--out", out / "export.jsonl")
    olap("report", out / "export.jsonl", "--out", out / PAGES[1])
    return out


MEASURE = """() => {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll('.figure')].map(f => {
    const svg = f.querySelector('svg'), table = f.querySelector('table');
    const box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
    const scale = box.width / vb.width;
    const fonts = [...svg.querySelectorAll('text')].map(
      t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {
      svg: box.width, column: f.getBoundingClientRect().width,
      font: Math.min(...fonts),
      table: table.getBoundingClientRect().width,
      tableShown: getComputedStyle(table).display !== 'none' && table.offsetHeight > 0,
      titled: !!svg.querySelector('title') && !!svg.querySelector('desc')
        && svg.getAttribute('role') === 'img',
    };
  });
  return {scroll: root.scrollWidth, client: root.clientWidth, charts};
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_readable_on_a_phone_and_a_desktop(browser, reports, name, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((reports / name).as_uri())
    got = page.evaluate(MEASURE)
    assert errors == []
    # nothing wider than the screen: a wide table scrolls inside its own region
    assert got["scroll"] <= got["client"], got
    assert got["charts"], "no chart"
    for chart in got["charts"]:
        assert chart["titled"]
        assert chart["svg"] <= chart["column"] + 0.5  # scaled down to its column
        assert chart["font"] >= 11, chart  # the labels not crushed: 11 px at least
        assert chart["tableShown"] and chart["table"] <= got["client"]
    if width == 1280:  # room for both: the table beside the chart
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('.figure')].map(f => "
            "[f.querySelector('svg').getBoundingClientRect().top, "
            "f.querySelector('table').getBoundingClientRect().top])"
        )
        assert all(abs(svg - table) < 40 for svg, table in boxes), boxes
    assert serious_violations(page) == []
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_prints_on_a4_portrait(browser, reports, tmp_path, name):  # noqa: F811
    page = browser.new_page(viewport={"width": A4_PORTRAIT_WIDTH, "height": 1000})
    page.goto((reports / name).as_uri())
    page.emulate_media(media="print")
    got = page.evaluate(MEASURE)
    assert got["scroll"] <= got["client"], got  # nothing wider than the paper
    for chart in got["charts"]:
        assert chart["tableShown"]  # the figures are printed, not folded away
    kept = page.evaluate(
        "() => [...document.querySelectorAll('.figure, tr')]"
        ".map(e => getComputedStyle(e).breakInside)"
    )
    assert kept and set(kept) == {"avoid"}  # no chart, no table row across two pages
    page.close()
    # printed by Chromium itself, as Ctrl+P does
    assert is_a4_portrait(print_a4_boxes((reports / name).as_uri(), tmp_path))
