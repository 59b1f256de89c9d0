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
    page.wait_for_url(f"{base}/alternants/{LEA}")  # the link's page goes on
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


def test_an_apprentice_prepares_a_need_and_deposits_a_file_by_keyboard(browser, served, tmp_path):  # noqa: F811
    """Issue 12, point 6: the apprentice on a phone marks a need prepared and deposits a
    file, with the keyboard alone (Tab, Enter); then logs out. axe-core on each page,
    the refusal and the logged-out page included."""
    from tests.conftest import TODAY
    from tests.web.test_serve_browser import tab_to

    base = f"http://127.0.0.1:{served.port}"
    root = served.root
    need = past_need(served)  # open, not prepared
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page, errors, outside = watched(context, base)
    page.goto(f"{base}/a/{token(root, LEA, 'alternant')}")
    page.wait_for_url(f"{base}/alternants/{LEA}")  # the link's page goes on
    assert page.locator("a[href*='/evaluations/nouvelle']").count() == 0  # no evaluating
    assert serious_violations(page) == []

    # « Marquer préparé » on that need, reached by Tab
    action = f"/alternants/{LEA}/besoins/{need}/etape"
    tab_to(page, f"form[action='{action}']:has(input[value=prepared]) button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/alternants/{LEA}?fait=1")
    [done] = [n for n in learner_data(root)["needs"] if n["id"] == need]
    assert str(done["steps"]["prepared"]["date"]) == TODAY
    assert done["steps"]["prepared"]["by"] == "alternant"
    assert git(root, "log", "-1", "--format=%an").strip() == "Léa Martin"
    assert page.locator(f"form[action='{action}']:has(input[value=prepared])").count() == 0
    assert fits(page)

    # the own folder: the file chosen, then « Envoyer le fichier » by Tab and Enter
    sent = tmp_path / "fiche.pdf"
    sent.write_bytes(PDF)
    page.set_input_files("#fichier", str(sent))
    tab_to(page, "form.upload button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/alternants/{LEA}?fait=1#fichiers")
    assert (root / f"learners/{LEA}/files/fiche.pdf").read_bytes() == PDF
    assert git(root, "log", "-1", "--format=%an").strip() == "Léa Martin"
    assert serious_violations(page) == []

    # another learner's page: the French refusal, accessible too
    page.goto(f"{base}/alternants/chloe-dubois")
    assert "Accès refusé" in page.inner_text("h1")
    assert serious_violations(page) == []

    # « Se déconnecter » by Tab and Enter: the logged-out page, then nothing opens
    page.goto(f"{base}/alternants/{LEA}")
    tab_to(page, "form.logout button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/deconnexion")
    assert "Déconnecté" in page.inner_text("h1")
    assert fits(page) and serious_violations(page) == []
    page.goto(f"{base}/alternants/{LEA}")
    assert "Accès refusé" in page.inner_text("h1")
    assert outside == []
    assert all("403" in e or "Forbidden" in e for e in errors), errors
    context.close()
