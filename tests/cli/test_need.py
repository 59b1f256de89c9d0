"""``olap need add | list | step``: recording needs, and refusing bad ones without a trace."""

from __future__ import annotations

import difflib
import json

import pytest

from olapcli.io import yamlread as yamlfast
from tests.conftest import git, need_args

LEA = "learners/lea-martin.yaml"
FULL = [
    "--activity",
    "6.3",
    "--by",
    "entreprise,alternant",
    "--identified",
    "2026-11-20",
    "--due",
    "2026-11-25",
    "--detail",
    "Tarte au citron : dosage pour 40 parts",
]


def needs_of(root, learner="lea-martin"):
    return yamlfast.load((root / f"learners/{learner}.yaml").read_text(encoding="utf-8"))["needs"]


def test_add_with_every_flag_changes_only_the_new_lines(olap, cohort_repo):
    before = (cohort_repo / LEA).read_text(encoding="utf-8")
    result = olap(
        "-C",
        cohort_repo,
        "need",
        "add",
        "lea-martin",
        *FULL,
        "--practice",
        "theatre",
        "--resource",
        "https://exemple.org/tarte",
        "--company",
        "Brasserie des Halles",
    )
    assert result.code == 0, result.output
    assert "Besoin imminent enregistré." in result.stdout
    after = (cohort_repo / LEA).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert all(line.startswith("+") for line in diff), diff
    need = needs_of(cohort_repo)[-1]
    assert {
        k: need[k] for k in ("activity", "practice", "marked_by", "detail", "company", "resources")
    } == {
        "activity": "6.3",
        "practice": "theatre",
        "marked_by": ["entreprise", "alternant"],
        "detail": "Tarte au citron : dosage pour 40 parts",
        "company": "Brasserie des Halles",
        "resources": ["https://exemple.org/tarte"],
    }
    assert str(need["identified"]) == "2026-11-20" and str(need["due"]) == "2026-11-25"
    assert need["id"] in result.stdout
    # every datum of the need is printed back
    for text in (
        "6.3",
        "theatre",
        "entreprise, alternant",
        "2026-11-20",
        "2026-11-25",
        "Tarte au citron : dosage pour 40 parts",
        "https://exemple.org/tarte",
    ):
        assert text in result.stdout
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0


def test_human_dates(olap, cohort_repo):
    args = [a for a in FULL]
    args[args.index("2026-11-20")] = "aujourd'hui"
    args[args.index("2026-11-25")] = "+3j"
    assert olap("-C", cohort_repo, "need", "add", "lea-martin", *args).code == 0
    need = needs_of(cohort_repo)[-1]
    assert (str(need["identified"]), str(need["due"])) == ("2026-11-21", "2026-11-24")


def test_commit_commits_only_that_file(olap, cohort_repo):
    (cohort_repo / "notes.txt").write_text("brouillon\n")
    git(cohort_repo, "add", "notes.txt")
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL, "--commit")
    assert result.code == 0, result.output
    changed = git(cohort_repo, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert changed[0] == "Besoin imminent pour lea-martin : activité 6.3, échéance 2026-11-25"
    assert [c for c in changed[1:] if c] == [LEA]
    assert "A  notes.txt" in git(cohort_repo, "status", "--porcelain")


def test_missing_fields_listed_all_at_once(refused, cohort_repo):
    result = refused(
        cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", "--activity", "6.3"
    )
    assert "il manque --by, --identified, --due, --detail" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--activity", "9.9"), "Activité inconnue : « 9.9 »"),
        (("--by", "patron"), "Acteur inconnu dans « patron »"),
        (("--due", "2026-11-19"), "L'échéance 2026-11-19 est antérieure"),
        (("--due", "le 31 février"), "Date invalide pour --due"),
        (("--identified", "2026-02-30"), "Date invalide pour --identified"),
        (("--detail", "   "), "il manque --detail"),
    ],
)
def test_refusals_leave_every_file_identical(refused, cohort_repo, change, message):
    args = list(FULL)
    args[args.index(change[0]) + 1] = change[1]
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *args)
    assert message in result.stderr


def test_unknown_practice_and_bad_resource(refused, cohort_repo):
    r = refused(
        cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *FULL, "--practice", "danse"
    )
    assert "Pratique inconnue : « danse »" in r.stderr and "qualite" in r.stderr
    r = refused(
        cohort_repo,
        "-C",
        cohort_repo,
        "need",
        "add",
        "lea-martin",
        *FULL,
        "--resource",
        "javascript:alert(1)",
    )
    assert "n'est pas un lien web" in r.stderr


def test_unknown_learner_suggests(refused, cohort_repo):
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martn", *FULL)
    assert "Alternant inconnu : « lea-martn »" in result.stderr
    assert "lea-martin" in result.stderr


def test_not_imminent_warns_but_records_without_terminal(olap, cohort_repo):
    args = list(FULL)
    args[args.index("2026-11-25")] = "2027-01-15"
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *args)
    assert result.code == 0
    assert "Attention : échéance 56 jours après l'identification" in result.stderr


def test_broken_learner_file_refused_with_position(refused, cohort_repo):
    path = cohort_repo / LEA
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: contract", "status: [contract"),
        encoding="utf-8",
    )
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert f"{LEA}:" in result.stderr and "YAML invalide" in result.stderr


def test_invalid_learner_file_refused(refused, cohort_repo):
    path = cohort_repo / LEA
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: contract", "statut: contract"),
        encoding="utf-8",
    )
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert "clé inconnue « statut »" in result.stderr
    assert f"{LEA}:8:1: erreur [unknown-key]" in result.stderr


def test_broken_cohort_file_refused(refused, cohort_repo):
    path = cohort_repo / "cohort.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("imminence_days: 21", "imminence_days: -3"),
        encoding="utf-8",
    )
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert "cohort.yaml:" in result.stderr and "doit valoir au moins 1" in result.stderr


def test_commit_outside_git_refused(refused, cohort_dir):
    result = refused(cohort_dir, "-C", cohort_dir, "need", "add", "lea-martin", *FULL, "--commit")
    assert "n'est pas dans un dépôt Git" in result.stderr


def test_list_filters(olap, cohort_repo):
    olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    data = json.loads(olap("-C", cohort_repo, "need", "list", "--format", "json").stdout)
    files = (cohort_repo / "learners").glob("*.yaml")
    assert len(data) == sum(len(yamlfast.load(p.read_text()).get("needs") or []) for p in files)
    open_ = json.loads(olap("-C", cohort_repo, "need", "list", "--open", "--format", "json").stdout)
    assert {(n["learner"], n["id"]) for n in open_} == {
        (n["learner"], n["id"]) for n in data if n["open"]
    }
    soon = json.loads(
        olap("-C", cohort_repo, "need", "list", "--due-within", "7", "--format", "json").stdout
    )
    assert [(n["learner"], n["detail"]) for n in soon] == [
        ("lea-martin", "Tarte au citron : dosage pour 40 parts")
    ]
    overdue = json.loads(
        olap("-C", cohort_repo, "need", "list", "--overdue", "--format", "json").stdout
    )
    assert overdue and all(n["open"] and n["due"] < "2026-11-21" for n in overdue)
    assert len(overdue) == len(open_) - 1
    table = olap("-C", cohort_repo, "need", "list", "lea-martin")
    assert table.code == 0 and "échéance proche" in table.stdout


def test_step_and_evaluation_cycle(olap, cohort_repo):
    olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    need_id = needs_of(cohort_repo)[-1]["id"]
    r = olap(
        "-C",
        cohort_repo,
        "need",
        "step",
        "lea-martin",
        need_id[:12],
        "--prepared",
        "hier",
        "--applied",
        "2026-11-25",
        "--advantage",
        "Tartes du week-end en autonomie",
    )
    assert r.code == 0, r.output
    steps = needs_of(cohort_repo)[-1]["steps"]
    assert steps == {
        "prepared": __import__("datetime").date(2026, 11, 20),
        "applied": __import__("datetime").date(2026, 11, 25),
        "advantage": "Tartes du week-end en autonomie",
    }
    # each row of the need shown once, the advantage by its own name (not step 12's)
    assert "Avantage obtenu  Tartes du week-end en autonomie" in r.stdout
    assert "Avantage négocié" not in r.stdout
    r = olap(
        "-C",
        cohort_repo,
        "eval",
        "add",
        "lea-martin",
        "--need",
        need_id,
        "--level",
        "a",
        "--by",
        "entreprise",
        "--comment",
        "Autonome la prochaine fois",
    )
    assert r.code == 0, r.output
    data = yamlfast.load((cohort_repo / LEA).read_text(encoding="utf-8"))
    ev = data["evaluations"][-1]
    assert (ev["activity"], ev["level"], ev["by"], ev["need"]) == (
        "6.3",
        "A",
        "entreprise",
        need_id,
    )
    # the comment that introduces outcomes stays just above outcomes
    text = (cohort_repo / LEA).read_text(encoding="utf-8")
    assert "« inconnu ».\noutcomes:" in text
    listed = json.loads(
        olap("-C", cohort_repo, "need", "list", "lea-martin", "--open", "--format", "json").stdout
    )
    assert need_id not in {n["id"] for n in listed}


def test_eval_sheet_proposes_level(olap, cohort_repo):
    r = olap(
        "-C",
        cohort_repo,
        "eval",
        "add",
        "lea-martin",
        "--activity",
        "6.2",
        "--by",
        "formateur",
        "--criteria",
        "1,2",
    )
    assert r.code == 0 and "niveau proposé EC" in r.stdout
    r = olap(
        "-C",
        cohort_repo,
        "eval",
        "add",
        "lea-martin",
        "--activity",
        "6.2",
        "--by",
        "formateur",
        "--sheet",
        "--criteria",
        "1,2,4",
    )
    assert "niveau proposé A" in r.stdout
    levels = [
        e["level"] for e in yamlfast.load((cohort_repo / LEA).read_text())["evaluations"][-2:]
    ]
    assert levels == ["EC", "A"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--activity", "6.3", "--by", "entreprise", "--level", "B"], "Niveau inconnu"),
        (["--activity", "6.3", "--by", "patron", "--level", "A"], "Acteur inconnu"),
        (["--activity", "6.3", "--by", "entreprise", "--sheet", "--criteria", "1"], "pas de fiche"),
        (["--activity", "6.2", "--by", "entreprise", "--sheet"], "lancez-le dans un terminal"),
        (["--activity", "6.2", "--by", "entreprise", "--criteria", "9"], "critères 1 à 4"),
        (
            ["--activity", "6.2", "--by", "entreprise", "--level", "A", "--need", "zzz"],
            "Pas de besoin « zzz »",
        ),
        (
            ["--activity", "6.2", "--by", "entreprise", "--level", "A", "--date", "hier soir"],
            "Date invalide",
        ),
        (["--by", "entreprise", "--level", "A"], "il manque --activity"),
    ],
)
def test_eval_refusals(refused, cohort_repo, args, message):
    result = refused(cohort_repo, "-C", cohort_repo, "eval", "add", "lea-martin", *args)
    assert message in result.stderr


def test_plan_set(olap, refused, cohort_repo):
    r = olap(
        "-C",
        cohort_repo,
        "plan",
        "set",
        "lea-martin",
        "10.2",
        "--ar",
        "--no-as",
        "--periods",
        "P4,P5",
    )
    assert r.code == 0, r.output
    plan = yamlfast.load((cohort_repo / LEA).read_text())["plan"]
    assert plan["10.2"] == {"ar": True, "as": False, "periods": ["P4", "P5"]}
    olap("-C", cohort_repo, "plan", "set", "lea-martin", "10.2", "--as")
    assert yamlfast.load((cohort_repo / LEA).read_text())["plan"]["10.2"]["as"] is True
    assert (
        "Période inconnue"
        in refused(
            cohort_repo, "-C", cohort_repo, "plan", "set", "lea-martin", "10.2", "--periods", "P9"
        ).stderr
    )
    assert (
        "Rien à modifier"
        in refused(cohort_repo, "-C", cohort_repo, "plan", "set", "lea-martin", "10.2").stderr
    )
    assert (
        "Activité inconnue"
        in refused(
            cohort_repo, "-C", cohort_repo, "plan", "set", "lea-martin", "99.1", "--ar"
        ).stderr
    )


def test_learner_file_not_utf8_refused_with_position(refused, cohort_repo):
    path = cohort_repo / LEA
    path.write_bytes(path.read_bytes().replace("Léa".encode(), "Léa".encode("latin-1"), 1))
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert (
        f"{LEA}:4:15: erreur [encoding] le fichier n'est pas en UTF-8 (octet 0xe9)" in result.stderr
    )


def test_write_without_cohort_refused(refused, tmp_path, chdir):
    chdir(tmp_path)
    result = refused(tmp_path, "need", "add", "lea-martin", *FULL)
    assert "Aucun cohort.yaml" in result.stderr


def test_unknown_learner_for_every_write_command(refused, cohort_repo):
    for args in (
        ["need", "step", "personne", "b1", "--applied", "demain"],
        ["eval", "add", "personne", "--activity", "6.3", "--level", "A", "--by", "entreprise"],
        ["plan", "set", "personne", "6.3", "--ar"],
        ["log", "personne"],
    ):
        result = refused(cohort_repo, "-C", cohort_repo, *args)
        assert "Alternant inconnu : « personne »" in result.stderr


def test_a_need_identified_after_today_is_refused(refused, olap, cohort_repo, monkeypatch):
    # it would count in figures made on a day it was not yet known; OLAP_TODAY is today
    args = need_args()
    args[args.index("--identified") + 1] = "2026-11-22"
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *args)
    assert "Le besoin est identifié le 2026-11-22, après aujourd'hui (2026-11-21)" in result.stderr
    assert "vérifiez la date" in result.stderr
    monkeypatch.setenv("OLAP_TODAY", "2026-11-22")
    assert olap("-C", cohort_repo, "need", "add", "lea-martin", *args).code == 0


def test_the_same_need_again_is_refused(refused, olap, cohort_repo):
    # validate would say duplicate-need: the figures would count it twice
    first = olap("-C", cohort_repo, "need", "add", "lea-martin", *need_args("Crème citron"))
    assert first.code == 0, first.output
    again = need_args("  CRÈME   citron ")
    result = refused(cohort_repo, "-C", cohort_repo, "need", "add", "lea-martin", *again)
    assert "Ce besoin est déjà enregistré sous b20261120-" in result.stderr
    assert "olap need step" in result.stderr
    assert olap("-C", cohort_repo, "validate").code == 0
