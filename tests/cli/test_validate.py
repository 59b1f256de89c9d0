"""``olap validate``: the sample is clean; every kind of problem is reported
once, with its file, line and column, in text, JSON and GitHub formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, edit

LEA = "learners/lea-martin.yaml"


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line holding *needle* (``2nd:`` for the second)."""
    skip = 1 if needle.startswith("2nd:") else 0
    needle = needle.removeprefix("2nd:")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            if not skip:
                return number
            skip -= 1
    raise AssertionError(f"{needle!r} not in {path}")


def test_sample_has_no_error(olap, tmp_path):
    result = olap("-C", SAMPLE, "validate", "--format", "json")
    assert result.code == 0, result.output
    problems = json.loads(result.stdout)
    assert [p for p in problems if p["severity"] == "error"] == []
    # the sample shows each fidelity lint at least once
    codes = {p["code"] for p in problems}
    assert {"not-marked-by-company", "not-imminent", "no-new-need", "not-evaluated"} <= codes
    assert "applied-unprepared" in codes  # and of a cycle recorded out of order
    for p in problems:
        assert set(p) == {"path", "line", "col", "severity", "code", "message", "hint"}
        assert isinstance(p["line"], int) and isinstance(p["col"], int)


def test_strict_turns_lints_into_errors(olap):
    result = olap("-C", SAMPLE, "validate", "--strict", "--format", "json")
    assert result.code == 1
    assert {p["severity"] for p in json.loads(result.stdout)} == {"error"}


def test_text_format_names_file_line_col_with_caret(olap, cohort_dir):
    edit(cohort_dir / LEA, 'activity: "6.3"', 'activity: "9.9"')
    result = olap("-C", cohort_dir, "validate")
    assert result.code == 1
    n = line_of(cohort_dir / LEA, '"9.9"')
    assert (
        f"{LEA}:{n}:15: erreur [unknown-activity] l'activité « 9.9 » n'est pas dans le référentiel"
        in result.stdout
    )
    assert f'  {n} |     activity: "9.9"\n' in result.stdout
    assert "              ^" in result.stdout
    assert "Validation échouée : 1 erreur" in result.stderr


def test_github_annotations(olap, cohort_dir):
    edit(cohort_dir / LEA, 'activity: "6.3"', 'activity: "9.9"')
    result = olap("-C", cohort_dir, "validate", "--format", "github")
    assert result.code == 1
    n = line_of(cohort_dir / LEA, '"9.9"')
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(lines) == 1
    assert (
        lines[0].startswith("::error file=")
        and f"{LEA},line={n},col=15,title=unknown-activity::" in lines[0]
    )


def test_english_on_request(olap, cohort_dir):
    edit(cohort_dir / LEA, 'activity: "6.3"', 'activity: "9.9"')
    result = olap("--lang", "en", "-C", cohort_dir, "validate")
    assert (
        "error [unknown-activity] the activity « 9.9 » is not in the référentiel" in result.stdout
    )
    assert "Validation failed: 1 error" in result.stderr


# (file, old text, new text, code, text on the reported line, column, message fragment)
CASES = [
    (
        LEA,
        'first_name: "Léa"',
        'first_name: "Léa"\nfirstname: Léa',
        "unknown-key",
        "firstname:",
        1,
        "clé inconnue « firstname »",
    ),
    (
        LEA,
        'activity: "6.3"',
        "activity: 6.3",
        "quote-value",
        "activity: 6.3",
        15,
        "« needs[1].activity » doit être un texte",
    ),
    (LEA, "ar: false", "ar: no", "schema", "ar: no", 9, "doit valoir true ou false, pas « no »"),
    (
        LEA,
        "identified: 2025-10-29",
        "identified: 2025-13-29",
        "invalid-date",
        "identified: 2025-13-29",
        17,
        "date invalide « 2025-13-29 »",
    ),
    (
        LEA,
        "identified: 2025-10-29",
        "identified: 29/10/2025",
        "invalid-date",
        "identified: 29/10/2025",
        17,
        "date invalide « 29/10/2025 »",
    ),
    (
        LEA,
        '    detail: "Tarte au citron meringuée servie en volume le week-end : approvisionnement, dosage de la crème et surveillance de la cuisson. Point de vigilance du patron : compter 10 minutes de plus quand le four est plein."\n',
        "",
        "missing-field",
        "- id: b20251029",
        5,
        "champ obligatoire « needs[1].detail » absent",
    ),
    (LEA, "level: A", "level: B", "schema", "level: B", 12, "« B » n'est pas permis pour"),
    (
        LEA,
        "email: lea.martin@mail.example",
        "email: lea.martin-at-mail",
        "invalid-email",
        "email: lea.martin-at-mail",
        8,
        "adresse e-mail invalide",
    ),
    (
        LEA,
        "marked_by: [entreprise, alternant]",
        "marked_by: [entreprise, patron]",
        "schema",
        "marked_by: [entreprise, patron]",
        29,
        "« patron » n'est pas permis",
    ),
    (
        LEA,
        "practice: theatre",
        "practice: theatr",
        "unknown-practice",
        "practice: theatr",
        15,
        "la pratique « theatr » n'est pas déclarée",
    ),
    (
        LEA,
        "trainers: [fdupont, kmessaoudi]",
        "trainers: [fdupont, zorro]",
        "unknown-trainer",
        "trainers: [fdupont, zorro]",
        21,
        "le formateur « zorro »",
    ),
    (
        LEA,
        "periods: [P2, P3]",
        "periods: [P2, P9]",
        "unknown-period",
        "periods: [P2, P9]",
        19,
        "la période « P9 »",
    ),
    (
        LEA,
        "due: 2025-11-05",
        "due: 2025-10-01",
        "due-before-identified",
        "due: 2025-10-01",
        10,
        "antérieure à son identification",
    ),
    (
        "learners/kevin-lopez.yaml",
        "- id: b20251117-04fd82a5e6",
        "- id: b20250911-1d4385c6cc",
        "duplicate-id",
        "2nd:- id: b20250911-1d4385c6cc",
        9,
        "utilisé deux fois",
    ),
    (
        LEA,
        "need: b20251029-aef4f607ed",
        "need: b00000000-0000000000",
        "unknown-need",
        "need: b00000000",
        11,
        "pas de besoin « b00000000-0000000000 »",
    ),
    (
        LEA,
        "key: K-7QF2MZ9A",
        "key: K-4HX8RT2C",
        "duplicate-key",
        "key: K-4HX8RT2C",
        6,
        "partagée avec un autre alternant",
    ),
    (
        LEA,
        "id: lea-martin",
        "id: lea-martine",
        "file-name",
        "id: lea-martine",
        5,
        "ne correspond pas au nom du fichier",
    ),
    (
        LEA,
        "trainers: [fdupont, kmessaoudi]",
        "trainers: [fdupont, kmessaoudi",
        "yaml",
        None,
        None,
        "YAML invalide",
    ),
    (
        LEA,
        "status: contract",
        "status: contract\nstatus: searching",
        "duplicate-key",
        "status: searching",
        1,
        "apparaît deux fois",
    ),
    (
        LEA,
        'detail: "Beurre blanc',
        'detail: &x "Beurre blanc',
        "yaml-construct",
        "detail: &x",
        13,
        "ancres, alias",
    ),
    (
        "cohort.yaml",
        "imminence_days: 21",
        "imminence_days: vingt",
        "schema",
        "imminence_days: vingt",
        19,
        "nombre entier",
    ),
    (
        "cohort.yaml",
        "start: 2025-09-29",
        "start: 2025-10-29",
        "date-order",
        "end: 2025-10-17",
        10,
        "la période « P1 » finit avant de commencer",
    ),
    (
        "referentiel.yaml",
        'maths: ["M4"]',
        'maths: ["M9"]',
        "unknown-objective",
        'maths: ["M9"]',
        19,
        "pas d'objectif « M9 »",
    ),
    (
        "resources/6.3.yaml",
        'file: "tarte-citron-meringuee.md"',
        'file: "absent.md"',
        "missing-file",
        'file: "absent.md"',
        11,
        "resources/files/absent.md n'existe pas",
    ),
    (
        "resources/6.3.yaml",
        "https://ressources",
        "javascript://ressources",
        "schema",
        "javascript://",
        10,
        "n'est pas un lien web",
    ),
]


@pytest.mark.parametrize(
    ("rel", "old", "new", "code", "at", "col", "fragment"),
    CASES,
    ids=[f"{c[3]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_problem_is_reported_where_it_is(
    olap, cohort_dir, rel, old, new, code, at, col, fragment
):
    edit(cohort_dir / rel, old, new)
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1, result.output
    problems = [
        p for p in json.loads(result.stdout) if p["severity"] == "error" and p["path"] == rel
    ]
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem["code"] == code
    assert problem["path"] == rel
    assert fragment in problem["message"]
    if at is not None:
        assert problem["line"] == line_of(cohort_dir / rel, at)
        assert problem["col"] == col
    else:
        assert problem["line"] is not None


def test_not_utf8(olap, cohort_dir):
    path = cohort_dir / LEA
    data = path.read_bytes().replace("Léa".encode(), "Léa".encode("latin-1"), 1)
    path.write_bytes(data)
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    (problem,) = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert problem["code"] == "encoding"
    assert (problem["line"], problem["col"]) == (line_of(SAMPLE / LEA, "first_name"), 15)


def test_empty_learner_file(olap, cohort_dir):
    (cohort_dir / "learners" / "vide.yaml").write_text("# rien\n", encoding="utf-8")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    (problem,) = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert problem["code"] == "empty-file"


def test_no_cohort_found(olap, tmp_path, chdir):
    chdir(tmp_path)
    result = olap("validate")
    assert result.code == 2
    assert "Aucun cohort.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_discovers_cohort_upward(olap, cohort_dir, chdir):
    chdir(cohort_dir / "learners")
    assert olap("validate").code == 0


def test_referentiel_shape_lint(olap, build_tree, cohort_dir):
    text = (cohort_dir / "referentiel.yaml").read_text(encoding="utf-8")
    cut = text.index('  - id: "2"\n')
    (cohort_dir / "referentiel.yaml").write_text(text[:cut], encoding="utf-8")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    shape = [p for p in json.loads(result.stdout) if p["code"] == "referentiel-shape"]
    assert [p["message"] for p in shape] == [
        "le référentiel a 1 groupes ; la démarche en demande 10 à 15"
    ]


def test_parallel_workers_give_the_same_result(olap, cohort_dir, monkeypatch):
    import olapcli.io.workers as pipeline

    # problems of every kind, including one across two learner files
    edit(cohort_dir / LEA, 'activity: "6.3"', 'activity: "9.9"')
    edit(cohort_dir / LEA, "key: K-7QF2MZ9A", "key: K-4HX8RT2C")
    single = olap("-C", cohort_dir, "validate", "--format", "json", "--no-cache")
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pipeline, "_workers", lambda count: 2)
    parallel = olap("-C", cohort_dir, "validate", "--format", "json", "--no-cache")
    assert parallel.code == single.code == 1
    assert json.loads(parallel.stdout) == json.loads(single.stdout)
    codes = {p["code"] for p in json.loads(single.stdout)}
    assert {"unknown-activity", "duplicate-key", "not-evaluated"} <= codes
