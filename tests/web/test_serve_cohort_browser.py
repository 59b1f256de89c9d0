"""The synoptic table and peer matching in a real Chromium, on a 375-px phone and on a
wide screen: the trainer over the whole cohort reaches them from the navigation, pages
through the table with its links, filters peer matching by activity with the form; no
page is wider than the screen (the tables scroll in their own box), axe-core finds no
serious or critical violation, and no page breaks its Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests.test_browser import browser  # noqa: F401  (the module's Chromium)
from tests.web.conftest import token
from tests.web.test_serve_browser import DESKTOP, PHONE, fits, serious_violations, watched
from tests.web.test_serve_cohort import RARE, served  # noqa: F401  (74 learners)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_trainer_pages_through_the_synoptic_table_and_peer_matching(
    browser,  # noqa: F811
    served,  # noqa: F811
    viewport,
):
    base = f"http://127.0.0.1:{served.port}"
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page, errors, outside = watched(context, base)
    page.goto(f"{base}/a/{token(served.root, '*', 'formateur', 'fdupont')}")
    page.wait_for_url(f"{base}/")  # the link's page goes on

    page.click("nav[aria-label='Site'] >> text=Synoptique")
    page.wait_for_url(f"{base}/synoptique")
    assert page.locator("table.synoptic caption").count() == 1
    assert page.locator("table.synoptic tbody tr").count() == 50
    assert fits(page)
    assert serious_violations(page) == []
    page.locator("a[rel=next]").first.click()
    page.wait_for_url(f"{base}/synoptique?page=2")
    assert "Page 2 sur 2" in page.inner_text("nav.paging")
    assert page.locator("table.synoptic tbody tr").count() == 24
    assert fits(page)
    assert serious_violations(page) == []

    page.click("nav[aria-label='Site'] >> text=Entraide entre pairs")
    page.wait_for_url(f"{base}/entraide")
    assert fits(page)
    assert serious_violations(page) == []
    page.select_option("#activite", RARE)
    page.click("form.filter button[type=submit]")
    page.wait_for_url(f"{base}/entraide?activite={RARE}")
    assert page.locator("a[href='/alternants/zz-000']").count() == 1
    assert fits(page)
    assert serious_violations(page) == []

    page.locator("a[href='/alternants/zz-000']").click()
    page.wait_for_url(f"{base}/alternants/zz-000")
    assert page.locator("p.helpers a").count() == 2
    assert fits(page)
    assert serious_violations(page) == []
    assert errors == [] and outside == []
    context.close()
