"""The contract search (issue 14, point 1): ``olap prospect add | step | list``, the
checks of ``validate`` on a prospect's stages, ``need add --prospect``, and the pipeline's
figures in ``olap metrics`` and the report, against a count made here from the files."""

from __future__ import annotations

import html
import json
import re
import statistics

import pytest
import yaml

from olapcli.io import yamlread
from tests.conftest import edit, git

KEVIN = "learners/kevin-lopez.yaml"
AMINA = "learners/amina-traore.yaml"


def prospects_of(root, learner="kevin-lopez"):
    return yamlread.load((root / f"learners/{learner}.yaml").read_text(encoding="utf-8"))[
        "prospects"
    ]


def test_a_search_from_the_first_call_to_the_contract(olap, cohort_repo):
    args = ("-C", cohort_repo, "prospect")
    result = olap(
        *args, "add", "kevin-lopez", "--name", "Boulangerie Février", "--town", "Bron",
        "--contact", "Mme Février", "--by", "cre", "--date", "2026-10-01", "--commit",
    )  # fmt: skip
    assert result.code == 0, result.output
    assert "Prospect enregistré : p-boulangerie-fevrier (premier appel le 2026-10-01)." in (
        result.stdout
    )
    assert git(cohort_repo, "log", "-1", "--format=%s").strip() == (
        "Prospect Boulangerie Février pour kevin-lopez"
    )
    steps = [
        ("rappel", "--date", "2026-10-05"),
        ("visite", "--date", "2026-10-08"),
        ("stage", "--date", "2026-10-12", "--end", "2026-10-16"),
        ("contrat-signé", "--date", "2026-10-30"),  # the accent as people type it
    ]
    for step in steps:
        result = olap(*args, "step", "kevin-lopez", "p-boulangerie-fevrier", *step, "--commit")
        assert result.code == 0, result.output
    assert "Prospect p-boulangerie-fevrier : contrat signé le 2026-10-30." in result.stdout
    assert git(cohort_repo, "status", "--porcelain") == ""
    new = prospects_of(cohort_repo)[-1]
    assert new["company"] == {
        "name": "Boulangerie Février",
        "town": "Bron",
        "contact": "Mme Février",
    }
    assert new["first_contact"] == "cre"
    assert [(s["stage"], str(s["date"])) for s in new["stages"]] == [
        ("premier-appel", "2026-10-01"),
        ("rappel", "2026-10-05"),
        ("visite", "2026-10-08"),
        ("stage", "2026-10-12"),
        ("contrat-signe", "2026-10-30"),
    ]
    assert str(new["stages"][3]["end"]) == "2026-10-16"
    need = olap(
        "-C", cohort_repo, "need", "add", "kevin-lopez", "--activity", "6.3",
        "--by", "entreprise,alternant", "--identified", "2026-10-05", "--due", "2026-10-09",
        "--detail", "Viennoiseries du samedi", "--practice", "recherche-contrat",
        "--prospect", "p-boulangerie-fevrier",
    )  # fmt: skip
    assert need.code == 0, need.output
    assert olap("-C", cohort_repo, "validate").code == 0
    listed = olap("-C", cohort_repo, "prospect", "list", "kevin-lopez", "-f", "json")
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert rows["p-boulangerie-fevrier"]["stage"] == "contrat-signe"
    assert rows["p-boulangerie-fevrier"]["needs"] == 1
    table = olap("-C", cohort_repo, "prospect", "list")
    assert table.code == 0 and "contrat signé" in table.stdout and "amina-traore" in table.stdout


def expected_search(root):
    """The pipeline's figures counted here from the YAML, as docs/metrics.md says."""
    learners = {}
    for path in sorted((root / "learners").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prospects = data.get("prospects") or []
        if not prospects:
            continue
        named = [n.get("prospect") for n in data.get("needs") or []]
        days, internships, contracts = [], 0, 0
        for p in prospects:
            kinds = [s["stage"] for s in p["stages"]]
            internships += "stage" in kinds
            if "contrat-signe" in kinds:
                contracts += 1
                signed = p["stages"][kinds.index("contrat-signe")]["date"]
                days.append((signed - p["stages"][0]["date"]).days)
        needs = sum(named.count(p["id"]) for p in prospects)
        learners[data["key"]] = {
            "prospects": len(prospects),
            "needs": needs,
            "needs_per_prospect": needs / len(prospects),
            "internships": internships,
            "contracts": contracts,
            "median_days_to_contract": statistics.median(days) if days else None,
        }
    return learners


def test_the_pipeline_s_figures_match_a_count_of_the_files(olap, cohort_repo):
    result = olap("-C", cohort_repo, "metrics", "--format", "json")
    assert result.code == 0, result.output
    got = json.loads(result.stdout)["pipeline"]
    want = expected_search(cohort_repo)
    assert len(want) == 2  # the sample: Amina and Kevin search
    assert {r["key"]: {k: v for k, v in r.items() if k != "key"} for r in got["learners"]} == want
    total = got["total"]
    assert total["prospects"] == sum(w["prospects"] for w in want.values())
    assert total["contracts"] == sum(w["contracts"] for w in want.values()) == 1
    assert total["internships"] == 2
    assert total["needs_per_prospect"] == pytest.approx(
        sum(w["needs"] for w in want.values()) / total["prospects"]
    )
    report = cohort_repo / "rapport.html"
    assert olap("-C", cohort_repo, "report", "--out", report).code == 0
    text = html.unescape(re.sub(r"<[^>]+>", " ", report.read_text(encoding="utf-8")))
    text = re.sub(r"\s+", " ", text)
    assert "La recherche de contrat" in text
    assert (
        f"Entreprises contactées : {total['prospects']} ; besoins recueillis auprès d'elles : "
        f"{total['needs']} ; stages obtenus : 2 ; contrats obtenus : 1."
    ) in text
    days = int(total["median_days_to_contract"])
    assert f"Délai médian du premier contact au contrat : {days} jours." in text
    # with --from after every first contact, there is no search to show
    late = olap("-C", cohort_repo, "metrics", "--format", "json", "--from", "2026-01-01")
    assert json.loads(late.stdout)["pipeline"]["total"]["prospects"] == 0
    assert olap("-C", cohort_repo, "report", "--out", report, "--from", "2026-01-01").code == 0
    assert "La recherche de contrat" not in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["contrat-propose", "--date", "2025-10-01"], "avant l'étape précédente"),
        (["premier-appel", "--date", "2025-11-25"], "ne peut pas suivre « visite »"),
        (["visite", "--date", "2025-11-25"], "« visite » ne peut pas suivre « visite »"),
        (["abandon", "--date", "2025-11-25"], "dit pourquoi"),
        (["visite2"], "Étape inconnue « visite2 »"),
        (["contrat-propose", "--date", "2025-11-25", "--end", "2025-11-30"], "seul un stage"),
        (["stage", "--date", "2025-11-25", "--end", "2025-11-20"], "avant de commencer"),
        (["contrat-propose", "--date", "2026-12-25"], "un jour encore à venir"),
    ],
)
def test_a_stage_that_cannot_be_is_refused(refused, cohort_repo, args, message):
    result = refused(
        cohort_repo, "-C", cohort_repo, "prospect", "step", "kevin-lopez", "p-le-bon-plat", *args
    )
    assert message in result.output


def test_refusals_of_prospects_and_needs(refused, olap, cohort_repo):
    base = ("-C", cohort_repo, "prospect")
    closed = refused(cohort_repo, *base, "step", "kevin-lopez", "p-chez-paul", "visite")
    assert "le prospect est clos (abandonné le 2025-09-29)" in closed.output
    unknown = refused(cohort_repo, *base, "step", "kevin-lopez", "p-nulle-part", "visite")
    assert "Pas de prospect « p-nulle-part »" in unknown.output and "p-bio-des-pentes" in (
        unknown.output
    )
    refused(cohort_repo, *base, "step", "personne", "p-chez-paul", "visite")
    who = refused(cohort_repo, *base, "add", "kevin-lopez", "--name", "X", "--by", "tuteur")
    assert "Premier contact inconnu" in who.output
    refused(cohort_repo, *base, "add", "kevin-lopez", "--name", "  ")
    refused(cohort_repo, *base, "add", "kevin-lopez", "--name", "X", "--date", "2026-12-24")
    need = refused(
        cohort_repo, "-C", cohort_repo, "need", "add", "kevin-lopez", "--activity", "6.3",
        "--by", "entreprise", "--identified", "2026-11-02", "--due", "2026-11-06",
        "--detail", "Un besoin", "--prospect", "p-inconnu",
    )  # fmt: skip
    assert "Pas de prospect « p-inconnu »" in need.output
    other = refused(
        cohort_repo, "-C", cohort_repo, "need", "add", "kevin-lopez", "--activity", "6.3",
        "--by", "entreprise", "--identified", "2026-11-02", "--due", "2026-11-06",
        "--detail", "Un besoin", "--prospect", "p-le-bon-plat", "--company", "Chez Paul",
    )  # fmt: skip
    assert "pas « Chez Paul »" in other.output
    # a company dropped may be approached again, under its own id; not twice at once
    assert olap(*base, "add", "kevin-lopez", "--name", "Chez Paul").code == 0
    ids = [p["id"] for p in prospects_of(cohort_repo)]
    assert ids.count("p-chez-paul") == 1 and "p-chez-paul-2" in ids
    twice = refused(cohort_repo, *base, "add", "kevin-lopez", "--name", "chez  PAUL")
    assert "déjà un prospect de cet alternant : p-chez-paul-2" in twice.output
    assert (
        "ni lettre ni chiffre"
        in refused(cohort_repo, *base, "add", "kevin-lopez", "--name", "!!!").output
    )
    reason = refused(
        cohort_repo, *base, "step", "kevin-lopez", "p-le-bon-plat", "stage-propose", "--reason", "x"
    )
    assert "seul un prospect abandonné a une raison" in reason.output
    # the stages' English words are understood too
    assert olap(*base, "step", "kevin-lopez", "p-le-bon-plat", "internship-proposed").code == 0
    assert prospects_of(cohort_repo)[2]["stages"][-1]["stage"] == "stage-propose"


BAD = """prospects:
  - id: p-a
    company: {name: A}
    first_contact: alternant
    stages:
      - {stage: premier-appel, date: 2025-10-06}
      - {stage: visite, date: 2025-10-03}
      - {stage: rappel, date: 2025-10-20}
      - {stage: stage-propose, date: 2025-10-21, end: 2025-10-22}
      - {stage: abandon, date: 2025-10-22}
      - {stage: stage, date: 2025-10-23}
  - id: p-a
    company: {name: B}
    first_contact: cre
    stages:
      - {stage: premier-appel, date: 2026-12-01}
"""


def test_validate_names_each_fault_with_its_line_and_column(olap, cohort_repo):
    path = cohort_repo / KEVIN
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"# La recherche de contrat.*", "", text, flags=re.S) + BAD
    text = text.replace("    prospect: p-le-bon-plat\n", "    prospect: p-zz\n")
    path.write_text(text, encoding="utf-8")
    result = olap("-C", cohort_repo, "validate", "--format", "json")
    assert result.code == 1, result.output
    found = [p for p in json.loads(result.stdout) if p["code"] in ("prospects", "stage-in-future")]
    lines = text.splitlines()

    def where(fragment, nth=0):
        return [i + 1 for i, line in enumerate(lines) if fragment in line][nth]

    want = {
        where("visite, date: 2025-10-03"): "2025-10-03 est avant l'étape précédente",
        where("rappel, date: 2025-10-20"): "« rappel après préparation » ne peut pas suivre",
        where("stage-propose, date"): "seul un stage a une date de fin",
        where("abandon, date: 2025-10-22"): "un prospect abandonné dit pourquoi",
        where("stage, date: 2025-10-23"): "rien ne suit",
        where("  - id: p-a", 1): "deux prospects ont l'identifiant « p-a »",
        where("premier-appel, date: 2026-12-01"): "2026-12-01, un jour encore à venir",
        # the needs naming prospects that are gone, and the one naming p-zz
        where("prospect: p-bio-des-pentes"): "nomme le prospect « p-bio-des-pentes »",
        where("prospect: p-zz"): "nomme le prospect « p-zz », inconnu pour cet alternant",
    }
    got = {p["line"]: p["message"] for p in found}
    assert sorted(got) == sorted(want) and len(found) == len(want)
    for line, fragment in want.items():
        assert fragment in got[line], (line, got[line])
    assert all(p["col"] >= 1 and p["path"] == KEVIN for p in found)


def test_the_lints_of_a_search(olap, cohort_repo):
    path = cohort_repo / KEVIN
    text = path.read_text(encoding="utf-8")
    # a need collected from a prospect after the search with it was dropped
    text = text.replace("    prospect: p-le-bon-plat\n", "    prospect: p-chez-paul\n")
    path.write_text(text, encoding="utf-8")
    # a contract signed while the file still says the learner searches
    edit(cohort_repo / AMINA, "status: contract\n", "status: searching\n")
    result = olap("-C", cohort_repo, "validate", "--format", "json")
    found = {(p["path"], p["code"]) for p in json.loads(result.stdout)}
    assert ("learners/amina-traore.yaml", "contract-signed") in found
    dates = [p for p in json.loads(result.stdout) if p["code"] == "prospect-dates"]
    assert [p["path"] for p in dates] == [KEVIN] and "b20251117-04fd82a5e6" in dates[0]["message"]
