"""``olap export observatoire`` (issue 13, point 8): pseudonymous, schema-versioned rows
for regional observatories, whose figures are recounted here from the YAML with PyYAML
by the rule of docs/metrics.md, without olap's functions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import statistics
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from tests import search_ref
from tests.conftest import ROOT, edit
from tests.independent_ref import prepared_day

SCHEMA = json.loads((ROOT / "schema" / "observatoire.schema.json").read_text(encoding="utf-8"))
OUTCOMES = ("rupture", "exam", "placement", "absence_hours", "insertion_6m")
OUTCOMES += ("satisfaction_learner", "satisfaction_company", "dropout", "further_study")


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _by_hand(root: Path, start: dt.date | None = None, end: dt.date | None = None):
    """key -> what the export must say of that learner, counted from the YAML."""
    searches = search_ref.by_hand(root, start, end)
    cohort = _yaml(root / "cohort.yaml")
    practices = [p["id"] for p in cohort["practices"]]
    window = cohort.get("policy", {}).get("imminence_days", 21)
    out = {}
    for path in sorted((root / "learners").glob("*.yaml")):
        learner = _yaml(path)
        needs = learner.get("needs") or []
        answered = {e.get("need") for e in learner.get("evaluations") or []}

        def anticipated(n):
            lead = (n["due"] - n["identified"]).days
            return (
                n.get("practice", "qualite") in practices
                and 1 <= lead <= window
                and (start is None or n["identified"] >= start)
                and (end is None or n["identified"] <= end)
            )

        counted = [n for n in needs if anticipated(n) and "entreprise" in n["marked_by"]]
        counts = dict.fromkeys(practices, 0)
        for n in counted:
            counts[n.get("practice", "qualite")] += 1
        steps = [n.get("steps") or {} for n in counted]
        o = learner.get("outcomes") or {}
        mine = searches[learner["key"]]
        out[learner["key"]] = {
            "search": {
                **{k: mine[k] for k in search_ref.FIELDS},
                "days_to_contract": mine["days"],
            },
            "counts": counts,
            "total": len(counted),
            "proactive": bool(counted),
            "needs_recorded": len(needs),
            "quality": {
                "counted": len(counted),
                "anticipated": sum(anticipated(n) for n in needs),
                "prepared": sum(
                    (first := prepared_day(s)) is not None and first <= n["due"]
                    for s, n in zip(steps, counted, strict=True)
                ),
                "applied": sum(s.get("applied") is not None for s in steps),
                "evaluated": sum(n["id"] in answered for n in counted),
                "valorised": sum(bool(s.get("valorised") and s.get("advantage")) for s in steps),
                "median_lead_days": float(
                    statistics.median((n["due"] - n["identified"]).days for n in counted)
                )
                if counted
                else None,
            },
            "outcomes": {
                "rupture": None if o.get("rupture") is None else o["rupture"] is not False,
                "exam": None if o.get("exam") is None else o["exam"] == "passed",
                "placement": o.get("placement"),
                "absence_hours": o.get("absence_hours"),
                "insertion_6m": o.get("insertion_6m"),
                "satisfaction_learner": o.get("satisfaction_learner"),
                "satisfaction_company": o.get("satisfaction_company"),
                "dropout": None if o.get("dropout") is None else o["dropout"] is not False,
                "further_study": o.get("further_study"),
            },
        }
    return out


def _lines(text: str) -> list[dict]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("period", [(None, None), (dt.date(2025, 10, 1), dt.date(2026, 1, 31))])
def test_figures_are_those_of_the_yaml(olap, cohort_repo, period):
    start, end = period
    args = ["-C", cohort_repo, "export", "observatoire"]
    if start:
        args += ["--from", start.isoformat(), "--to", end.isoformat()]
    result = olap(*args)
    assert result.code == 0, result.output
    rows = _lines(result.stdout)
    expected = _by_hand(cohort_repo, start, end)
    assert sorted(r["key"] for r in rows) == sorted(expected)
    assert sum(r["total"] for r in rows) > 0
    searching = [k for k, w in expected.items() if w["search"]["prospects"]]
    assert len(searching) == (1 if start else 2)  # Amina's search is over by October
    for row in rows:
        want = expected[row["key"]]
        for field in ("counts", "total", "proactive", "needs_recorded", "quality"):
            assert row[field] == want[field], (row["key"], field)
        # the contract search: counts, and each contract's days (their order aside)
        got = {**row["search"], "days_to_contract": sorted(row["search"]["days_to_contract"])}
        assert got == want["search"], row["key"]
        assert row["outcomes"] == want["outcomes"], row["key"]
        # the cohort on every row
        assert row["format"] == "olap-observatoire/2"
        assert (row["rncp"], row["level"], row["year"]) == (
            "RNCP37859",
            "CAP (niveau 3)",
            "2025-2026",
        )
        assert (row["period_from"], row["period_to"]) == (
            start and start.isoformat(),
            end and end.isoformat(),
        )
        assert row["exported"] == "2026-11-21" and row["excluded"] == 0


def test_every_line_follows_the_schema_and_names_nobody(olap, cohort_repo):
    result = olap("-C", cohort_repo, "export", "observatoire")
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    lines = _lines(result.stdout)
    for line in lines:
        validator.validate(line)
    # the schema is strict: an unknown key, a missing one or a wrong version fail it
    assert not validator.is_valid({**lines[0], "name": "Léa Martin"})
    assert not validator.is_valid({k: v for k, v in lines[0].items() if k != "key"})
    assert not validator.is_valid({**lines[0], "format": "olap-observatoire/1"})
    assert not validator.is_valid({k: v for k, v in lines[0].items() if k != "search"})
    assert all(set(line["search"]) == {*search_ref.FIELDS, "days_to_contract"} for line in lines)
    # pseudonymous: no name, e-mail, phone, company nor free text of any learner file
    private = set()
    for path in (cohort_repo / "learners").glob("*.yaml"):
        d = _yaml(path)
        private |= {d["first_name"], d["last_name"], d["id"], d.get("email"), d.get("phone")}
        private |= {(d.get("company") or {}).get("name"), (d.get("tutor") or {}).get("last_name")}
        private |= {n["detail"] for n in d.get("needs") or []}
        for p in d.get("prospects") or []:  # the companies approached: counted, not named
            private |= {p["id"], *(p["company"].get(k) for k in ("name", "town", "contact"))}
            private |= {p["company"].get("phone"), *(s.get("notes") for s in p["stages"])}
            private |= {s.get("reason") for s in p["stages"]}
    private.discard(None)
    for text in private:
        assert text not in result.stdout, text


def test_csv_has_fixed_columns_and_concatenates(olap, cohort_repo, tmp_path):
    other = tmp_path / "autre"
    shutil.copytree(cohort_repo, other)
    edit(other / "cohort.yaml", 'name: "CAP Cuisine"', 'name: "=HYPERLINK(1) BP Cuisine"')
    # another cohort, other practices: the columns stay the same
    edit(other / "cohort.yaml", "policy:\n", '  - id: cuisine-fr\n    label: "Cuisine"\npolicy:\n')
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert olap("-C", cohort_repo, "export", "observatoire", "-f", "csv", "-o", a).code == 0
    result = olap("-C", other, "export", "observatoire", "-f", "csv", "-o", b)
    assert result.code == 0, result.output
    # the documented rule: the first file whole, then each other one without its header
    joined = a.read_bytes() + b"".join(b.read_bytes().split(b"\r\n", 1)[1:])
    text = joined.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], table[1:]
    assert header[:3] == ["format", "exported", "formation"] and "key" in header
    assert all(len(r) == len(header) for r in rows)
    assert len(rows) == 28  # the copy has the same keys: one cohort's rows, then the other's
    names = {r[header.index("formation")] for r in rows}
    # no cell starts a formula
    assert names == {"CAP Cuisine", "'=HYPERLINK(1) BP Cuisine"}
    keys = _by_hand(cohort_repo)
    first = [r for r in rows if r[header.index("formation")] == "CAP Cuisine"]
    for r in first:
        want = keys[r[header.index("key")]]
        assert int(r[header.index("total")]) == want["total"]
        assert r[header.index("counts")] == ";".join(f"{k}={v}" for k, v in want["counts"].items())
        search = want["search"]
        for name in search_ref.FIELDS:
            assert int(r[header.index(f"search_{name}")]) == search[name], (name, r[0])
        days = r[header.index("search_days_to_contract")]
        assert sorted(int(d) for d in days.split(";") if d) == search["days_to_contract"]
    assert sum(int(r[header.index("search_contracts")]) for r in first) > 0
    assert all(r[header.index("counts")].endswith(";cuisine-fr=0") for r in rows[14:])


def test_exclude_invalid_leaves_out_and_says_so(olap, refused, cohort_repo):
    edit(cohort_repo / "learners/lea-martin.yaml", 'activity: "3.1"', 'activity: "9.9"')
    out = cohort_repo / "o.jsonl"
    result = refused(cohort_repo, "-C", cohort_repo, "export", "observatoire", "--out", out)
    assert "olap validate" in result.stderr and "--exclude-invalid" in result.stderr
    assert "[unknown-activity]" in result.stderr
    result = olap("-C", cohort_repo, "export", "observatoire", "--out", out, "--exclude-invalid")
    assert result.code == 0, result.output
    assert "1 alternant(s) laissé(s) de côté" in result.stderr
    assert "K-7QF2MZ9A: unknown-activity" in result.stderr
    rows = _lines(out.read_text(encoding="utf-8"))
    assert "K-7QF2MZ9A" not in {r["key"] for r in rows}
    assert len(rows) == 13 and {r["excluded"] for r in rows} == {1}


def test_a_key_spelling_a_name_is_refused(refused, cohort_repo):
    edit(cohort_repo / "learners/lea-martin.yaml", "key: K-7QF2MZ9A", "key: MARTIN-01")
    result = refused(cohort_repo, "-C", cohort_repo, "export", "observatoire", "-o", "x.jsonl")
    assert "lea-martin" in result.stderr and "MARTIN-01" not in result.stdout


def test_digits_or_chance_letters_in_a_key_are_no_name(olap, cohort_repo):
    lea = cohort_repo / "learners/lea-martin.yaml"
    edit(lea, 'last_name: "Martin"', 'last_name: "Martin 0100"')
    edit(lea, "key: K-7QF2MZ9A", "key: K-0100")  # the digits of a name are no name
    assert olap("-C", cohort_repo, "export", "observatoire").code == 0
    edit(lea, "key: K-0100", "key: K-MARTAVQ2")  # olap's random shape: never taken for one
    edit(lea, 'last_name: "Martin 0100"', 'last_name: "Marta"')
    assert olap("-C", cohort_repo, "export", "observatoire").code == 0
    edit(lea, "key: K-MARTAVQ2", "key: K-MARTA")
    assert olap("-C", cohort_repo, "export", "observatoire").code == 2
