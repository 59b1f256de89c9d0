"""The contract search in a real Chromium on a phone: the learner's page with its
prospects and forms fits 375 px, passes axe-core (no serious or critical violation) and
its CSP; a stage recorded through the form is one commit by the learner; the trainer's
dashboard shows the pipeline."""

from __future__ import annotations

from tests.conftest import git
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)
from tests.web.conftest import start, token
from tests.web.test_serve_browser import PHONE, fits, serious_violations, watched

KEVIN = "kevin-lopez"


def test_a_learner_records_a_stage_on_a_phone(browser, cohort_repo, olap):  # noqa: F811
    for server in start(cohort_repo):
        context = browser.new_context(viewport=PHONE)
        page, errors, outside = watched(context, server.url)
        page.goto(f"{server.url}/a/{token(cohort_repo, KEVIN, 'alternant')}")
        page.wait_for_url(f"**/alternants/{KEVIN}")
        assert page.get_by_role("heading", name="La recherche de contrat").is_visible()
        assert fits(page) and serious_violations(page) == []
        form = page.locator(f"form[action='/alternants/{KEVIN}/prospects/p-le-bon-plat/etape']")
        form.get_by_label("Étape suivante").select_option("stage-propose")
        form.get_by_label("Le (par défaut aujourd'hui)").fill("2026-11-18")
        form.get_by_role("button", name="Enregistrer l'étape").click()
        page.wait_for_url("**?fait=1#recherche")
        assert page.get_by_text("2026-11-18 : stage proposé").is_visible()
        assert git(cohort_repo, "log", "-1", "--format=%an").strip() == "Kevin Lopez"
        assert olap("-C", cohort_repo, "validate").code == 0
        trainer = context.new_page()
        trainer.goto(f"{server.url}/a/{token(cohort_repo, '*', 'formateur', 'kmessaoudi')}")
        trainer.wait_for_url(f"{server.url}/")
        assert trainer.get_by_role("heading", name="La recherche de contrat").is_visible()
        assert fits(trainer) and serious_violations(trainer) == []
        assert errors == [] and outside == []
        context.close()
