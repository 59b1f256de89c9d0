"""The evaluation form and the deposit form in a real Chromium on a 375-px phone: the
tutor deposits a PDF with the file input (one commit, the file listed), then evaluates a
need with the sheet; axe-core finds no serious or critical violation on either form, and
no page breaks its Content-Security-Policy."""

from __future__ import annotations

from tests.conftest import git
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)
from tests.web.conftest import LEA, token
from tests.web.test_serve_browser import PHONE, fits, serious_violations, served, watched  # noqa: F401
from tests.web.test_serve_eval_upload import PDF, learner_data, past_need


def test_a_tutor_deposits_a_file_and_evaluates_on_a_phone(browser, served, olap, tmp_path):  # noqa: F811
    base = f"http://127.0.0.1:{served.port}"
    root = served.root
    need = past_need(served)
    context = browser.new_context(viewport=PHONE, locale="fr-FR", accept_downloads=True)
    page, errors, outside = watched(context, base)
    page.goto(f"{base}/a/{token(root, LEA, 'tuteur')}")
    assert page.url == f"{base}/alternants/{LEA}"
    assert page.locator("#fichier").count() == 1
    assert fits(page)
    assert serious_violations(page) == []

    # the deposit: the file input, then « Envoyer le fichier »
    sent = tmp_path / "Menu du jour.pdf"
    sent.write_bytes(PDF)
    page.set_input_files("#fichier", str(sent))
    page.click("form.upload button[type=submit]")
    page.wait_for_url(f"{base}/alternants/{LEA}?fait=1#fichiers")
    link = page.locator(f"a[href='/alternants/{LEA}/fichiers/menu-du-jour.pdf']")
    assert link.inner_text() == "menu-du-jour.pdf"
    assert (root / f"learners/{LEA}/files/menu-du-jour.pdf").read_bytes() == PDF
    assert git(root, "log", "-1", "--format=%an").strip() == "Marc Girard"
    with page.expect_download() as got:
        link.click()
    assert got.value.suggested_filename == "menu-du-jour.pdf"
    assert fits(page)
    assert serious_violations(page) == []

    # the evaluation: the need chosen, then the sheet's criteria and the level
    page.goto(f"{base}/alternants/{LEA}/evaluations/nouvelle")
    assert fits(page)
    assert serious_violations(page) == []
    page.select_option("#cible", f"b:{need}")
    page.click("main button[type=submit]")
    page.wait_for_selector("#criterion-1")
    assert fits(page)
    assert serious_violations(page) == []
    page.check("#criterion-1")
    page.click("main button[type=submit]")  # one criterion of the three needed: EC
    page.wait_for_url(f"{base}/alternants/{LEA}?fait=1")
    [ev] = [e for e in learner_data(root)["evaluations"] if e.get("need") == need]
    assert ev["level"] == "EC" and ev["criteria"] == [1] and ev["by"] == "entreprise"
    assert olap("-C", root, "validate").code == 0
    assert errors == [] and outside == []
    context.close()
