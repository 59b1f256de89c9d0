"""The site's pages on a phone (375 px), a laptop (1280 px) and paper, in a real headless
Chromium (issue 15): nothing wider than the screen, the learner's grid without a
scrollbar at 1280 px and as cards at 375 px, axe-core at both widths, at most three A4
pages per learner, the filter box with and without JavaScript, and screenshots compared
with reviewed goldens (``pytest --update-golden`` rewrites them: look at them first).
"""

from __future__ import annotations

import io
import re

import pytest

from tests.conftest import ROOT
from tests.test_browser import PAGES, browser, serious_violations, server, site  # noqa: F401 (fixtures)

WIDTHS = (375, 1280)
GRID = "alternants/lea-martin.html"
SHOTS = ROOT / "tests" / "golden" / "screens"


def _open(browser, url: str, width: int, **kw):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900}, **kw)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", PAGES)
def test_nothing_wider_than_the_screen(browser, server, page_path, width):  # noqa: F811
    page = _open(browser, server + page_path, width)
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page_path} is {scroll} px wide on a {client} px screen"
    assert serious_violations(page) == []
    page.close()


def test_the_grid_fits_1280_px_without_scrolling(browser, server):  # noqa: F811
    page = _open(browser, server + GRID, 1280)
    over = page.evaluate(
        "() => [...document.querySelectorAll('table.grid, table.grid *')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1"
        " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))"
        ".map(e => e.tagName)"
    )
    box = page.evaluate(
        "() => { const t = document.querySelector('table.grid'), s = t.parentElement;"
        " return [t.getBoundingClientRect().width, s.clientWidth, s.scrollWidth]; }"
    )
    assert over == []
    assert box[0] <= box[1] and box[2] <= box[1], box
    page.close()


def test_the_grid_is_one_card_per_group_at_375_px(browser, server):  # noqa: F811
    page = _open(browser, server + GRID, 375)
    cards = page.evaluate(
        "() => [...document.querySelectorAll('table.grid > tbody')].map(b => {"
        " const r = b.getBoundingClientRect(), s = getComputedStyle(b);"
        " return [s.display, s.borderTopStyle, Math.round(r.left), Math.round(r.right),"
        " b.querySelector('th[scope=rowgroup]').textContent.trim()]; })"
    )
    groups = page.evaluate("() => document.querySelectorAll('table.grid > tbody').length")
    assert groups >= 2 and len(cards) == groups
    for display, border, left, right, _title in cards:
        assert display == "block" and border == "solid"
        assert 0 <= left and right <= 375
    # each cell says what it is (the column's header is out of sight), empty ones are gone
    labelled = page.evaluate(
        "() => [...document.querySelectorAll('table.grid td')]"
        ".filter(td => td.offsetParent !== null)"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    assert labelled and all(c not in ("none", "normal", "") for c in labelled)
    assert '"Échéance : "' in labelled
    page.close()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_every_learner_prints_on_three_a4_pages_at_most(browser, site):  # noqa: F811
    page = browser.new_page()
    counts = {}
    for f in sorted((site / "alternants").glob("*.html")):
        if f.name.endswith("-ressources.html"):
            continue
        page.goto(f.as_uri())
        page.emulate_media(media="print")
        counts[f.stem] = _pages(page.pdf(prefer_css_page_size=True))
    page.close()
    assert len(counts) >= 10
    assert max(counts.values()) <= 3, counts
    assert counts["lea-martin"] >= 2  # a real count, not a blank page


def test_the_filter_box(browser, server):  # noqa: F811
    page = _open(browser, server + GRID, 1280)
    rows = "table.grid tr[data-k]:not([hidden])"
    before = page.locator(rows).count()
    page.get_by_label("Filtrer les activités").fill("BEURRE blanc")  # case ignored
    assert page.locator(rows).count() == 1
    assert page.locator("output").inner_text() == "1 activité affichée"
    assert page.locator("table.grid tr.g:not([hidden])").count() == 1
    page.get_by_label("Filtrer les activités").fill("vegetarien")  # accents ignored
    assert page.locator("details.quiet").get_attribute("open") is not None  # opened for it
    assert page.locator("tr[data-k]:not([hidden])").all_inner_texts()[0].startswith("12.3 ")
    page.get_by_label("Filtrer les activités").fill("")
    assert page.locator(rows).count() == before
    page.close()
    # without JavaScript: no box, every row
    page = _open(browser, server + GRID, 1280, java_script_enabled=False)
    assert not page.locator("#filtre").is_visible()
    assert page.locator(rows).count() == before
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", ["index.html", GRID])
def test_screenshot_matches_its_golden(browser, server, request, tmp_path, page_path, width):  # noqa: F811
    from PIL import Image, ImageChops

    page = _open(browser, server + page_path, width)
    height = min(page.evaluate("() => document.documentElement.scrollHeight"), 1200)
    shot = page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": height}, full_page=True)
    page.close()
    golden = SHOTS / f"{page_path.replace('/', '__')[:-5]}-{width}.png"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(shot)
        return
    assert golden.exists(), f"no golden {golden.name}: run pytest --update-golden, look at it"
    got = Image.open(io.BytesIO(shot)).convert("RGB")
    want = Image.open(golden).convert("RGB")
    assert abs(got.height - want.height) <= 0.02 * want.height, (got.size, want.size)
    size = (min(got.width, want.width), min(got.height, want.height))
    diff = ImageChops.difference(got.crop((0, 0, *size)), want.crop((0, 0, *size))).convert("L")
    changed = sum(diff.point(lambda v: 255 if v > 48 else 0).histogram()[255:])
    share = changed / (size[0] * size[1])
    if share > 0.02:  # fonts' antialiasing differs a little between machines; a layout does not
        (tmp_path / golden.name).write_bytes(shot)
    assert share <= 0.02, f"{share:.1%} of the pixels differ from {golden.name}: see {tmp_path}"
