"""olap serve in a real Chromium (Debian's, driven by Playwright, as tests/test_browser.py
does): a tutor opens the link on a phone, signals a need with the keyboard only — first
with a field missing (refused, the field marked, nothing written), then complete (one
commit by the tutor, the e-mail in the outbox, the cohort still valid); the trainer sees
it on the dashboard. axe-core finds no serious or critical violation on the pages, and no
page breaks its Content-Security-Policy (a violation is a console error)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import git, snapshot
from tests.test_browser import AXE, browser  # noqa: F401  (the module's Chromium)
from tests.web.conftest import LEA, start, token

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def served(cohort_repo):
    yield from start(cohort_repo)


def watched(context: Any, base: str) -> tuple[Any, list[str], list[str]]:
    """A page of *context* and the lists where its console errors and the requests
    leaving the server are kept."""
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    return page, errors, outside


def serious_violations(page: Any) -> list[Any]:
    # through the DevTools protocol, which the page's CSP does not govern (a <script>
    # tag would be refused: no inline script)
    page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits(page: Any) -> bool:
    """Nothing wider than the viewport (tables scroll inside their own box)."""
    width, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return bool(width <= client)


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until *selector* has the focus (as a keyboard user does)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {selector}")


def test_a_tutor_signals_a_need_on_a_phone_and_the_trainer_sees_it(browser, served, olap):  # noqa: F811
    base = f"http://127.0.0.1:{served.port}"
    root = served.root
    tutor = browser.new_context(viewport=PHONE, locale="fr-FR")
    page, errors, outside = watched(tutor, base)

    # the link opens the learner's page; the token leaves the address bar
    tok = token(root, LEA, "tuteur")
    page.goto(f"{base}/a/{tok}")
    page.wait_for_url(f"{base}/alternants/{LEA}")  # the link's page goes on
    assert page.locator("h1").inner_text() == "Léa Martin"
    assert fits(page)
    assert serious_violations(page) == []

    # keyboard only: to the form, then every field in turn
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/alternants/{LEA}/besoins/nouveau")
    assert fits(page)
    assert serious_violations(page) == []
    tab_to(page, "#activity")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#activity", "e => e.value") != ""
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "identified"
    tab_to(page, "#due")  # (Tab walks the day, month and year of a date field)
    # the segments come in the order of Chromium's own language (month first in en-US,
    # day first in French), which the page cannot tell: the day-first order is tried
    # first, then the other one from the first segment again
    for typed in ("25112026", "11252026"):
        page.keyboard.type(typed)
        if page.eval_on_selector("#due", "e => e.value") == "2026-11-25":
            break
        while page.evaluate("() => document.activeElement.id") == "due":
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    assert page.eval_on_selector("#due", "e => e.value") == "2026-11-25"
    tab_to(page, "#detail")
    # the detail is left empty: refused, the field marked, nothing written
    before, count = snapshot(root), len(git(root, "log", "--format=%H").split())
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#err-detail")
    assert page.get_attribute("#detail", "aria-invalid") == "true"
    assert page.get_attribute("#detail", "aria-describedby") == "err-detail"
    assert page.locator("#err-detail").inner_text() == "Ce champ est obligatoire."
    assert page.eval_on_selector("#due", "e => e.value") == "2026-11-25"  # kept
    assert snapshot(root) == before and len(git(root, "log", "--format=%H").split()) == count
    assert serious_violations(page) == []

    # completed with the keyboard: recorded, one commit by the tutor
    tab_to(page, "#detail")
    page.keyboard.type("Tarte au citron pour 40 couverts : dosage du sucre")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/alternants/{LEA}?fait=1")
    assert "Tarte au citron pour 40 couverts" in page.content()
    assert len(git(root, "log", "--format=%H").split()) == count + 1
    assert git(root, "log", "-1", "--format=%an <%ae>").strip() == (
        "Marc Girard <marc.girard@brasserie-halles.example>"
    )
    assert list((root / "outbox/pending").glob("*.eml"))
    assert olap("-C", root, "validate").code == 0
    # the refused form came back as 422 (Unprocessable Entity), which Chromium logs
    assert [e for e in errors if "422" not in e] == [] and outside == []
    tutor.close()

    # the trainer's dashboard, on a wide screen
    trainer = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page, errors, outside = watched(trainer, base)
    page.goto(f"{base}/a/{token(root, '*', 'formateur', 'fdupont')}")
    page.wait_for_url(f"{base}/")  # the link's page goes on
    week = page.locator("h2:has-text('Échéance cette semaine') + div table")
    assert "Tarte au citron pour 40 couverts" in week.inner_text()
    assert fits(page)
    assert serious_violations(page) == []
    page.locator(f"a[href='/alternants/{LEA}']").first.click()
    assert page.url == f"{base}/alternants/{LEA}"
    assert serious_violations(page) == []
    assert errors == [] and outside == []
    trainer.close()


def test_a_link_clicked_in_a_webmail_opens_the_page(browser, served):  # noqa: F811
    """People open their link from a webmail: another site. The session cookie set by
    the link must reach the page that follows: a redirect after another site's click
    does not carry a SameSite=Strict cookie (it left them on « Accès refusé »); the
    link's own page goes on from this site, and it does."""
    import http.server
    import threading

    link = f"http://127.0.0.1:{served.port}/a/{token(served.root, LEA, 'tuteur')}"
    mail = f'<!DOCTYPE html><title>Webmail</title><a id="lien" href="{link}">votre lien</a>'

    class Webmail(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(mail.encode("utf-8"))

        def log_message(self, *args: Any) -> None:
            pass

    webmail = http.server.HTTPServer(("127.0.0.1", 0), Webmail)
    threading.Thread(target=webmail.serve_forever, daemon=True).start()
    try:
        page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
        # « localhost » and « 127.0.0.1 » are two sites for the browser
        page.goto(f"http://localhost:{webmail.server_address[1]}/")
        page.click("#lien")
        # the link's page goes on by itself (a refresh from this site carries the cookie)
        page.wait_for_url(f"http://127.0.0.1:{served.port}/alternants/{LEA}")
        assert "Accès refusé" not in page.title(), page.title()
        page.context.close()
    finally:
        webmail.shutdown()


def test_a_section_s_full_list_page_by_page_on_a_phone(browser, tmp_path, monkeypatch):  # noqa: F811
    """A cohort too large to list on the dashboard: the trainer follows « Voir tout »,
    then the next page, on a phone; every page fits, passes axe and keeps its CSP."""
    from bench.gen import generate
    from tests.conftest import make_repo
    from tests.web.test_board import DAY

    monkeypatch.setenv("OLAP_TODAY", DAY)
    root = make_repo(generate(tmp_path / "cohorte", 150))
    for served in start(root):
        base = f"http://127.0.0.1:{served.port}"
        trainer = browser.new_context(viewport=PHONE, locale="fr-FR")
        page, errors, outside = watched(trainer, base)
        page.goto(f"{base}/a/{token(root, '*', 'formateur', 'fdupont')}")
        page.wait_for_url(f"{base}/")  # the link's page goes on
        assert fits(page)
        assert serious_violations(page) == []
        page.locator("a[href='/tableau/sans-besoin']").click()
        page.wait_for_url(f"{base}/tableau/sans-besoin")
        assert "Page 1 sur 3" in page.locator("nav.paging").inner_text()
        page.locator("a[rel=next]").click()
        page.wait_for_url(f"{base}/tableau/sans-besoin?page=2")
        assert page.locator("a[rel=prev]").count() == 1 and page.locator("a[rel=next]").count() == 1
        assert page.locator("ul.quiet li").count() == 50
        assert fits(page)
        assert serious_violations(page) == []
        page.goto(f"{base}/tableau/en-retard?page=2")
        assert page.locator("table caption").inner_text() == "En retard, page 2 sur 2"
        assert fits(page)
        assert serious_violations(page) == []
        assert errors == [] and outside == []
        trainer.close()
