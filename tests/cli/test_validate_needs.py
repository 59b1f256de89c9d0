"""``olap validate`` sees what would make the figures wrong (issue 13): a need outside
the training action or the contract, the same need recorded twice, a counted need the
company did not mark — each on a real file, at its line and
column, with a French hint."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_validate import LEA, line_of
from tests.conftest import edit

FIRST = "b20250924-98a45ddc0a"  # lea-martin's first need: 3.1, 2025-09-24 → 2025-09-30


def _problems(olap, root: Path, code: str, *args: str) -> list[dict[str, object]]:
    result = olap("-C", root, "validate", "--format", "json", *args)
    return [p for p in json.loads(result.stdout) if p["code"] == code]


def test_the_same_need_twice_is_an_error(olap, cohort_dir):
    # the first need again, its detail in other case, accents and spaces
    again = (
        "  - id: b20250924-0000000000\n"
        '    activity: "3.1"\n'
        "    marked_by: [entreprise]\n"
        "    identified: 2025-09-24\n"
        "    due: 2025-09-30\n"
        '    detail: "TAILLE en  brunoise de 5 kg de legumes pour la garniture du plat du '
        'jour ; le chef veut des cubes réguliers de 3 mm. "\n'
        "evaluations:\n"
    )
    edit(cohort_dir / LEA, "evaluations:\n", again)
    found = _problems(olap, cohort_dir, "duplicate-need")
    n = line_of(cohort_dir / LEA, "TAILLE en")
    assert [(p["path"], p["line"], p["col"], p["severity"]) for p in found] == [
        (LEA, n, 13, "error")
    ]
    assert found[0]["message"] == (
        f"le besoin b20250924-0000000000 répète le besoin {FIRST} : même activité, mêmes "
        "dates et même détail"
    )
    assert "compté deux fois" in str(found[0]["hint"])


def test_another_detail_is_another_need(olap, cohort_dir):
    again = (
        "  - id: b20250924-0000000000\n"
        '    activity: "3.1"\n'
        "    marked_by: [entreprise]\n"
        "    identified: 2025-09-24\n"
        "    due: 2025-09-30\n"
        '    detail: "Taille en julienne de carottes"\n'
        "evaluations:\n"
    )
    edit(cohort_dir / LEA, "evaluations:\n", again)
    assert _problems(olap, cohort_dir, "duplicate-need") == []


def test_a_need_outside_the_training_action(olap, cohort_dir):
    edit(cohort_dir / LEA, "identified: 2025-09-24\n    due: 2025-09-30", "identified: 2025-08-25\n    due: 2025-08-29")  # fmt: skip
    found = _problems(olap, cohort_dir, "outside-cohort")
    n = line_of(cohort_dir / LEA, "identified: 2025-08-25")
    assert [(p["line"], p["col"], p["severity"]) for p in found] == [(n, 17, "warning")]
    assert found[0]["message"] == (
        f"besoin {FIRST} : le 2025-08-25 est hors de l'action de formation "
        "(2025-09-01 – 2026-06-30)"
    )
    assert "cohorte de cette année-là" in str(found[0]["hint"])
    # said once: the contract is not said again for the same date
    assert _problems(olap, cohort_dir, "outside-contract") == []


def test_a_need_outside_the_contract(olap, cohort_dir):
    edit(cohort_dir / LEA, "  start: 2025-09-01", "  start: 2025-09-26")
    found = _problems(olap, cohort_dir, "outside-contract")
    n = line_of(cohort_dir / LEA, "identified: 2025-09-24")
    assert [(p["line"], p["col"], p["severity"]) for p in found] == [(n, 17, "warning")]
    assert found[0]["message"] == (
        f"besoin {FIRST} : le 2025-09-24 est hors du contrat (2025-09-26 – 2027-08-31)"
    )
    assert "recherche de contrat" in str(found[0]["hint"])


def test_a_need_not_marked_by_the_company_says_it_is_not_counted(olap, cohort_dir):
    edit(cohort_dir / LEA, "marked_by: [entreprise, alternant]", "marked_by: [alternant]")
    found = [p for p in _problems(olap, cohort_dir, "not-marked-by-company") if p["path"] == LEA]
    n = line_of(cohort_dir / LEA, "marked_by: [alternant]")
    assert [(p["line"], p["col"]) for p in found] == [(n, 5)]
    assert found[0]["message"] == (
        f"le besoin {FIRST} n'est pas compté dans le tableau d'impact : l'entreprise ne l'a "
        "ni signalé ni confirmé"
    )
    assert "ajoutez « entreprise » à marked_by" in str(found[0]["hint"])
    # one that would not count anyway (not imminent) keeps the plain message
    edit(cohort_dir / LEA, "due: 2025-09-30", "due: 2025-12-30")
    found = [p for p in _problems(olap, cohort_dir, "not-marked-by-company") if p["path"] == LEA]
    assert [p["message"] for p in found] == [f"le besoin {FIRST} n'est pas marqué par l'entreprise"]


def test_a_need_identified_after_today_is_an_error_until_that_day(olap, cohort_dir, monkeypatch):
    """A need identified on a day still to come (a typo of the year, a date made up):
    an error on today's run, gone once that day has come; OLAP_TODAY sets today, and a
    run for an earlier day after a later one (the text kept for that later day) says it
    again."""
    edit(cohort_dir / LEA, "identified: 2025-09-24", "identified: 2027-01-05")
    edit(cohort_dir / LEA, "due: 2025-09-30", "due: 2027-01-08")
    n = line_of(cohort_dir / LEA, "identified: 2027-01-05")
    monkeypatch.setenv("OLAP_TODAY", "2026-11-21")
    found = _problems(olap, cohort_dir, "identified-in-future")
    assert [(p["path"], p["line"], p["col"], p["severity"]) for p in found] == [
        (LEA, n, 17, "error")
    ]
    assert found[0]["message"] == (
        f"le besoin {FIRST} est identifié le 2027-01-05, un jour encore à venir"
    )
    assert "vérifiez la date" in str(found[0]["hint"])
    text = olap("-C", cohort_dir, "validate")
    assert text.code != 0 and "identified-in-future" in text.output
    monkeypatch.setenv("OLAP_TODAY", "2027-01-05")  # that day has come
    assert _problems(olap, cohort_dir, "identified-in-future") == []
    assert "identified-in-future" not in olap("-C", cohort_dir, "validate").output
    monkeypatch.setenv("OLAP_TODAY", "2026-11-21")  # back: the text is made again
    assert "identified-in-future" in olap("-C", cohort_dir, "validate").output
