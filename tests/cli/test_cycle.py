"""The cycle's twelve steps (issue 14, point 3): a need's ``steps`` written as dates (as
before) or as mappings {date, by, notes}; what validate says of a wrong one, at its line
and column; and the lints of a cycle recorded out of order."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_validate import LEA, line_of
from tests.conftest import SAMPLE, edit

TART = "b20251029-aef4f607ed"  # lea-martin: prepared, applied, valorised, advantage
BANQUET = "b20260218-3349ea4917"  # lea-martin: applied only, evaluated
SAUCE = "b20260102-5a681b917a"  # lea-martin: no steps, evaluated
OLD_TART_STEPS = (
    "    steps:\n"
    "      prepared: 2025-10-31\n"
    "      applied: 2025-11-05\n"
    "      valorised: 2025-11-07\n"
)
TWELVE_TART_STEPS = (
    "    steps:\n"
    "      contracted: 2025-09-08\n"
    "      coached: {date: 2025-09-15, by: formateur}\n"
    "      questioned: {date: 2025-10-28, by: alternant}\n"
    '      supported: {date: 2025-10-28, by: formateur, notes: "appel avec le patron"}\n'
    "      collected: 2025-10-29\n"
    "      advised: {date: 2025-10-30, by: formateur}\n"
    "      technical:\n"
    "        date: 2025-10-31\n"
    "        by: formateur\n"
    '        notes: "Cuisson de la meringue, four plein"\n'
    '      general: {date: 2025-10-31, by: formateur, notes: "Proportions en maths"}\n'
    "      prepared: 2025-10-31\n"
    "      briefed: {date: 2025-11-03, by: formateur}\n"
    "      applied: {date: 2025-11-05, by: alternant}\n"
    "      valorised: {date: 2025-11-07, by: entreprise}\n"
    "      negotiated: {date: 2025-11-07, by: alternant}\n"
)


def problems(olap, root: Path, *codes: str) -> list[dict[str, object]]:
    result = olap("-C", root, "validate", "--format", "json")
    return [p for p in json.loads(result.stdout) if p["code"] in codes]


def test_the_twelve_steps_in_both_spellings_are_valid(olap, cohort_dir):
    edit(cohort_dir / LEA, OLD_TART_STEPS, TWELVE_TART_STEPS)
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 0, result.output
    found = json.loads(result.stdout)
    assert [p for p in found if p["severity"] == "error"] == []
    assert [p for p in found if TART in p["message"]] == []


def test_the_sample_written_before_the_twelve_steps_stays_valid(olap):
    # no migration: every file of the sample is read with the meaning it had
    result = olap("-C", SAMPLE, "validate", "--format", "json")
    assert result.code == 0
    assert {p["severity"] for p in json.loads(result.stdout)} == {"warning"}


def test_an_unknown_step_is_an_error_at_its_key_with_the_step_meant(olap, cohort_dir):
    edit(cohort_dir / LEA, "      prepared: 2025-10-31\n", "      prepard: 2025-10-31\n")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    found = [p for p in json.loads(result.stdout) if p["code"] == "unknown-key"]
    n = line_of(cohort_dir / LEA, "prepard:")
    assert [(p["path"], p["line"], p["col"]) for p in found] == [(LEA, n, 7)]
    assert found[0]["message"] == "clé inconnue « prepard »"
    assert found[0]["hint"] == "vouliez-vous dire « prepared » ?"


def test_a_step_by_someone_else_than_the_three_actors_is_an_error(olap, cohort_dir):
    edit(
        cohort_dir / LEA,
        "      applied: 2025-11-05\n",
        "      applied: {date: 2025-11-05, by: patron}\n",
    )
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    n = line_of(cohort_dir / LEA, "by: patron")
    assert (found["path"], found["line"], found["col"]) == (LEA, n, 39)
    assert found["message"] == ("« patron » n'est pas permis pour « needs[1].steps.applied.by »")
    assert "entreprise" in str(found["hint"]) and "alternant" in str(found["hint"])


def test_a_step_dated_in_words_is_an_invalid_date_at_its_value(olap, cohort_dir):
    edit(cohort_dir / LEA, "      applied: 2025-11-05\n", "      applied: mardi\n")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    n = line_of(cohort_dir / LEA, "applied: mardi")
    assert (found["path"], found["line"], found["col"], found["code"]) == (
        LEA,
        n,
        16,
        "invalid-date",
    )
    assert found["message"] == "date invalide « mardi » dans « needs[1].steps.applied »"


def test_a_step_without_its_date_is_an_error(olap, cohort_dir):
    edit(
        cohort_dir / LEA,
        "      applied: 2025-11-05\n",
        '      applied: {by: alternant, notes: "fait"}\n',
    )
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert found["code"] == "missing-field"
    assert found["message"] == "champ obligatoire « needs[1].steps.applied.date » absent"
    assert found["line"] == line_of(cohort_dir / LEA, "applied: {by")
