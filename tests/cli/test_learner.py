"""``olap learner add | list | import``."""

from __future__ import annotations

import json

import pytest

from olapcli.io import yamlread as yamlfast
from tests.conftest import snapshot

HEADER = "Nom;Prénom;Courriel;Téléphone;Entreprise;Nom tuteur;Prénom tuteur;Email tuteur;Formateur;Début contrat\n"


def test_add_slug_and_key(olap, cohort_repo):
    r = olap(
        "-C",
        cohort_repo,
        "learner",
        "add",
        "--first-name",
        "Élodie",
        "--last-name",
        "Müller-Ñúñez",
        "--company",
        "Le Bistrot",
        "--trainer",
        "fdupont",
        "--email",
        "elodie@mail.example",
        "--contract-start",
        "2026-09-01",
    )
    assert r.code == 0, r.output
    path = cohort_repo / "learners/elodie-muller-nunez.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.olap/schema/learner.schema.json\n")
    data = yamlfast.load(text)
    assert data["id"] == "elodie-muller-nunez" and data["status"] == "contract"
    assert data["key"].startswith("K-") and len(data["key"]) == 10
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0
    # a homonym gets a distinct id
    r = olap(
        "-C",
        cohort_repo,
        "learner",
        "add",
        "--first-name",
        "Elodie",
        "--last-name",
        "Muller Nunez",
        "--email",
        "autre.elodie@mail.example",
    )
    assert r.code == 0 and (cohort_repo / "learners/elodie-muller-nunez-2.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--first-name", "Léa"], "il manque --last-name"),
        (
            ["--first-name", "Léa", "--last-name", "Martin", "--email", "lea.martin@mail.example"],
            "déjà dans la cohorte (lea-martin)",
        ),
        (["--first-name", "A", "--last-name", "B", "--trainer", "zorro"], "Formateur inconnu"),
        (
            ["--first-name", "A", "--last-name", "B", "--email", "pas-un-mail"],
            "adresse e-mail invalide",
        ),
        (
            ["--first-name", "A", "--last-name", "B", "--contract-start", "demain matin"],
            "Date invalide pour --contract-start",
        ),
    ],
)
def test_add_refusals(refused, cohort_repo, args, message):
    result = refused(cohort_repo, "-C", cohort_repo, "learner", "add", *args)
    assert message in result.stderr


def test_list(olap, cohort_repo):
    rows = json.loads(olap("-C", cohort_repo, "learner", "list", "--format", "json").stdout)
    assert len(rows) == 14
    lea = next(r for r in rows if r["id"] == "lea-martin")
    assert (lea["needs"], lea["open"], lea["status"]) == (6, 0, "contract")
    assert olap("-C", cohort_repo, "learner", "list").code == 0


def csv_file(tmp_path, rows, encoding="utf-8-sig"):
    path = tmp_path / "inscrits.csv"
    path.write_bytes((HEADER + "".join(rows)).encode(encoding))
    return path


ROWS = [
    "Durand;Zoé;zoe.durand@mail.example;+33 6 00 00 00 01;Auberge du Lac;Perret;Luc;luc@auberge.example;Dupont;01/09/2026\n",
    "Nguyen;Minh;;;;;;;Berger;\n",
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_import_csv(olap, cohort_repo, tmp_path, encoding):
    path = csv_file(tmp_path, ROWS, encoding)
    dry = olap("-C", cohort_repo, "learner", "import", path, "--dry-run")
    assert dry.code == 0 and "zoe-durand" in dry.stdout and "Rien n'a été écrit" in dry.stdout
    assert not (cohort_repo / "learners/zoe-durand.yaml").exists()
    r = olap("-C", cohort_repo, "learner", "import", path, "--commit")
    assert r.code == 0, r.output
    zoe = yamlfast.load((cohort_repo / "learners/zoe-durand.yaml").read_text(encoding="utf-8"))
    assert zoe["company"]["name"] == "Auberge du Lac" and zoe["trainers"] == ["fdupont"]
    assert zoe["tutor"] == {
        "first_name": "Luc",
        "last_name": "Perret",
        "email": "luc@auberge.example",
    }
    assert str(zoe["contract"]["start"]) == "2026-09-01" and zoe["phone"] == "+33 6 00 00 00 01"
    minh = yamlfast.load((cohort_repo / "learners/minh-nguyen.yaml").read_text(encoding="utf-8"))
    assert minh["status"] == "searching" and minh["trainers"] == ["aberger"]
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0
    # importing again: every row is a duplicate, nothing written
    before = snapshot(cohort_repo)
    again = olap("-C", cohort_repo, "learner", "import", path)
    assert again.code == 2 and "doublons" in again.stderr
    assert snapshot(cohort_repo) == before


def test_import_xlsx(olap, cohort_repo, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Prénom", "Nom", "E-mail", "Entreprise", "Formateur référent"])
    sheet.append(["Inès", "Da Silva", "ines.ds@mail.example", "Le Relais", "Anne Berger"])
    path = tmp_path / "inscrits.xlsx"
    book.save(path)
    r = olap("-C", cohort_repo, "learner", "import", path)
    assert r.code == 0, r.output
    data = yamlfast.load((cohort_repo / "learners/ines-da-silva.yaml").read_text(encoding="utf-8"))
    assert data["trainers"] == ["aberger"] and data["status"] == "contract"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ROWS[0], ROWS[0]], "apparaît deux fois"),
        (["Durand;;;;;;;;;\n"], "le nom et le prénom sont obligatoires"),
        (["Durand;Zoé;;;;;;;Zorro;\n"], "formateur inconnu « Zorro »"),
        (["Durand;Zoé;;;;;;;;32/13/2026\n"], "date invalide"),
        (["Durand;Zoé;pas-un-mail;;;;;;;\n"], "adresse e-mail invalide"),
    ],
)
def test_import_refusals_write_nothing(olap, cohort_repo, tmp_path, rows, message):
    path = csv_file(tmp_path, rows)
    before = snapshot(cohort_repo)
    r = olap("-C", cohort_repo, "learner", "import", path)
    assert r.code == 2, r.output
    assert message in r.stderr and "Traceback" not in r.output
    assert snapshot(cohort_repo) == before


def test_import_unknown_columns(olap, cohort_repo, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Identité;Adresse\nA;B\n", encoding="utf-8")
    r = olap("-C", cohort_repo, "learner", "import", path)
    assert r.code == 2 and "aucune colonne pour « first_name »" in r.stderr
    bad = tmp_path / "x.ods"
    bad.write_text("x")
    assert "non pris en charge" in olap("-C", cohort_repo, "learner", "import", bad).stderr
    fake = tmp_path / "faux.xlsx"
    fake.write_text("pas un classeur")
    r = olap("-C", cohort_repo, "learner", "import", fake)
    assert r.code == 2 and "classeur Excel" in r.stderr
