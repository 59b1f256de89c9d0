"""``olap log``: who recorded what, and when, in words."""

from __future__ import annotations

from tests.conftest import need_args

FULL = need_args("Tarte au citron pour 40")


def test_log_tells_the_story(olap, cohort_repo):
    assert olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL, "--commit").code == 0
    assert (
        olap(
            "-C",
            cohort_repo,
            "eval",
            "add",
            "lea-martin",
            "--activity",
            "6.2",
            "--level",
            "EC",
            "--by",
            "formateur",
            "--commit",
        ).code
        == 0
    )
    assert (
        olap("-C", cohort_repo, "plan", "set", "lea-martin", "6.2", "--no-ar", "--commit").code == 0
    )
    out = olap("-C", cohort_repo, "log", "lea-martin").stdout
    lines = out.splitlines()
    assert "Formatrice Test" in lines[0]
    assert "plan modifié pour 6.2" in out
    assert "évaluation enregistrée : 6.2 = EC par formateur le 2026-11-21" in out
    assert "besoin ajouté" in out and "Tarte au citron pour 40" in out
    assert "fiche de l'alternant créée (Léa Martin)" in out
    assert (
        out.index("plan modifié")
        < out.index("évaluation enregistrée : 6.2")
        < out.index("Tarte au citron pour 40")
    )


def test_log_outside_git_refused(olap, cohort_dir):
    r = olap("-C", cohort_dir, "log", "lea-martin")
    assert r.code == 2 and "n'est pas dans un dépôt Git" in r.stderr
