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


def test_missing_fields_are_asked(cohort_repo):
    child = spawn(
        ["need", "add", "lea-martin", "--detail", "Crème citron pour 40 parts"], cohort_repo
    )
    child.expect("Dans les jours qui viennent")  # the group's QCM stem is shown
    child.expect(r"Activité \(identifiant\)")
    child.sendline("9.9")  # not an activity: asked again
    child.expect(r"Activité \(identifiant\)")
    child.sendline("6.3")
    child.expect("Marqué par")
    child.sendline("e,a")
    child.expect("Identifié le")
    child.sendline("aujourd'hui")
    child.expect("Échéance")
    child.sendline("pas une date")
    child.expect("n'est pas valide ici")
    child.sendline("+60j")
    child.expect(r"L'enregistrer quand même \? \[o/N\]")
    child.sendline("peut-être")  # neither yes nor no: asked again
    child.expect("n'est pas valide ici")
    child.sendline("oui")
    child.expect("Besoin imminent enregistré")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    need = yamlfast.load((cohort_repo / "learners/lea-martin.yaml").read_text())["needs"][-1]
    assert (need["activity"], need["marked_by"], str(need["due"])) == (
        "6.3",
        ["entreprise", "alternant"],
        "2027-01-20",
    )


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
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert (cohort_repo / "learners/lea-martin.yaml").read_bytes() == before
