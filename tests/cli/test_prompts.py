"""On a terminal, ``olap need add`` asks each missing field in turn (the « pop-up »)."""

from __future__ import annotations

import os
import sys

import pytest

from olapcli.io import yamlread as yamlfast

pexpect = pytest.importorskip("pexpect")


def spawn(args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("OLAP_NO_PROMPT", "CI")}
    env["COLUMNS"] = "200"
    return pexpect.spawn(
        sys.executable,
        ["-m", "olapcli", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=30,
    )


def ends(child) -> int:
    """Wait for the command to end; its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def last_need(root, learner="lea-martin"):
    return yamlfast.load((root / f"learners/{learner}.yaml").read_text())["needs"][-1]


def test_missing_fields_are_asked(cohort_repo):
    child = spawn(
        ["need", "add", "lea-martin", "--detail", "Crème citron pour 40 parts"], cohort_repo
    )
    child.expect("Les groupes du référentiel")  # the groups only, not the 89 lines
    child.expect("Groupe \\(numéro\\), sous-activité")
    child.sendline("zzz")  # neither a group, nor an activity, nor words of a title
    child.expect("Aucune sous-activité ne contient « zzz »")
    child.sendline("6")  # a group: its question (the « pop-up ») and its sub-activities
    child.expect("Pour les desserts de la carte")
    child.expect(r"Sous-activité \(identifiant\)")
    child.sendline("9.9")  # not an activity: asked again
    child.expect(r"Sous-activité \(identifiant\)")
    child.sendline("6.3")
    child.expect("Marqué par")
    child.sendline("e,a")
    child.expect(r"Identifié le \[aujourd'hui\]")
    child.sendline("")  # Enter takes today
    child.expect("Échéance")
    child.sendline("pas une date")
    child.expect("n'est pas valide ici")
    child.expect("formes acceptées : aujourd'hui, demain, après-demain")  # what is accepted
    child.sendline("+60j")
    child.expect(r"L'enregistrer quand même \? \[o/N\]")
    child.sendline("peut-être")  # neither yes nor no: asked again
    child.expect("n'est pas valide ici")
    child.sendline("oui")
    child.expect("Besoin imminent enregistré")
    assert ends(child) == 0
    need = last_need(cohort_repo)
    assert (need["activity"], need["marked_by"], str(need["identified"]), str(need["due"])) == (
        "6.3",
        ["entreprise", "alternant"],
        "2026-11-21",  # OLAP_TODAY of the tests
        "2027-01-20",
    )


def test_words_find_the_sub_activity_whatever_their_case_and_accents(cohort_repo):
    child = spawn(
        ["need", "add", "lea-martin", "--by", "entreprise", "--identified", "aujourd'hui",
         "--detail", "Beurre blanc"],
        cohort_repo,
    )  # fmt: skip
    child.expect("Groupe \\(numéro\\), sous-activité")
    child.sendline("SAUCES de BASE")  # « Réaliser les sauces de base (béchamel…) »: one
    child.expect("→ 5.2  Réaliser les sauces de base")
    child.expect("Échéance")
    child.sendline("vendredi prochain")
    child.expect("Besoin imminent enregistré")
    assert ends(child) == 0
    need = last_need(cohort_repo)
    assert need["activity"] == "5.2" and str(need["due"]) == "2026-11-27"  # a Saturday's Friday


def test_several_found_are_listed_to_choose_from(cohort_repo):
    child = spawn(
        ["need", "add", "lea-martin", "--by", "entreprise", "--identified", "aujourd'hui",
         "--due", "dans 3 jours", "--detail", "Cuisson"],
        cohort_repo,
    )  # fmt: skip
    child.expect("Groupe \\(numéro\\), sous-activité")
    child.sendline("cuire")
    child.expect("4.1  Cuire à l'eau et à la vapeur")
    child.expect(r"Sous-activité \(identifiant\)")
    child.sendline("4.1")
    child.expect("Besoin imminent enregistré")
    child.expect(pexpect.EOF)
    child.close()
    assert last_need(cohort_repo)["activity"] == "4.1"
    assert str(last_need(cohort_repo)["due"]) == "2026-11-24"


def test_ctrl_c_writes_nothing_and_exits_130(cohort_repo):
    before = (cohort_repo / "learners/lea-martin.yaml").read_bytes()
    child = spawn(["need", "add", "lea-martin"], cohort_repo)
    child.expect("Groupe \\(numéro\\), sous-activité")
    child.sendline("6.3")
    child.expect("Marqué par")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert "Interrompu : rien n'a été écrit." in child.before
    assert child.exitstatus == 130 and "Traceback" not in child.before
    assert (cohort_repo / "learners/lea-martin.yaml").read_bytes() == before


def test_eval_add_asks_what_is_missing_the_same_way(cohort_repo):
    child = spawn(["eval", "add", "lea-martin"], cohort_repo)
    child.expect("Groupe \\(numéro\\), sous-activité")
    child.sendline("relevés d'HYGIENE")
    child.expect("→ 2.2")
    child.expect(r"Qui évalue")
    child.sendline("formateur")
    child.expect(r"Niveau \(A, EC, R\)")
    child.sendline("b")
    child.expect("n'est pas valide ici")
    child.sendline("ec")
    child.expect("Évaluation enregistrée : 2.2 = EC")
    assert ends(child) == 0
    data = yamlfast.load((cohort_repo / "learners/lea-martin.yaml").read_text())
    ev = data["evaluations"][-1]
    assert (ev["activity"], ev["level"], ev["by"]) == ("2.2", "EC", "formateur")


def test_declining_a_not_imminent_need_writes_nothing(cohort_repo):
    before = (cohort_repo / "learners/lea-martin.yaml").read_bytes()
    child = spawn(
        [
            "need",
            "add",
            "lea-martin",
            "--activity",
            "6.3",
            "--by",
            "entreprise",
            "--identified",
            "2026-11-20",
            "--due",
            "2027-02-01",
            "--detail",
            "Trop loin",
        ],
        cohort_repo,
    )
    child.expect("L'enregistrer quand même")
    child.sendline("n")
    assert ends(child) == 2
    assert (cohort_repo / "learners/lea-martin.yaml").read_bytes() == before
