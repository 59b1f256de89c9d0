"""``olap synoptic``: the synoptic table in the terminal (issue 15, point 3). Its cells
are checked against the sample's files read with PyYAML (not olap's loader); its
layout at 80 and 160 columns is in test_tables.py."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.cli.test_completion import values
from tests.conftest import SAMPLE, snapshot


def _expected() -> dict[str, dict[str, list[str]]]:
    """learner -> activity -> marks: I when a need names it, then the latest evaluation."""
    out = {}
    for path in sorted(SAMPLE.glob("learners/*.yaml")):
        lr = yaml.safe_load(path.read_text(encoding="utf-8"))
        cells: dict[str, list[str]] = {}
        for need in lr.get("needs") or []:
            if need.get("activity"):
                cells[str(need["activity"])] = ["I"]
        latest: dict[str, tuple] = {}
        for ev in lr.get("evaluations") or []:
            act = ev.get("activity")
            if act and act != "out" and (act not in latest or ev["date"] >= latest[act][0]):
                latest[str(act)] = (ev["date"], ev["level"])
        for act, (_day, level) in latest.items():
            cells.setdefault(act, []).append(level)
        out[lr["id"]] = cells
    return out


def test_the_cells_are_those_of_the_files(olap, cohort_repo):
    result = olap("-C", cohort_repo, "synoptic", "--format", "json")
    assert result.code == 0, result.output
    got = {
        lid: {a: c["marks"] for a, c in row.items()}
        for lid, row in json.loads(result.stdout).items()
    }
    assert got == _expected()


def test_a_group_keeps_its_marked_activities_only(olap, cohort_repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = olap("-C", cohort_repo, "synoptic", "6")
    assert result.code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "│" in line)
    marked = sorted({a for row in _expected().values() for a in row if a.startswith("6.")})
    assert [c.strip() for c in header.split("│")[1:]] == marked


@pytest.mark.parametrize("group", ["99", "6.3", ""])
def test_an_unknown_group_is_refused(olap, cohort_repo, group):
    before = snapshot(cohort_repo)
    result = olap("-C", cohort_repo, "synoptic", group)
    assert result.code == 2 and "Traceback" not in result.output
    assert "Groupe inconnu" in result.output and "groupes du référentiel : 1, 2" in result.output
    assert snapshot(cohort_repo) == before


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_groups_complete(shell):
    ref = yaml.safe_load((SAMPLE / "referentiel.yaml").read_text(encoding="utf-8"))
    ids = [str(g["id"]) for g in ref["groups"]]
    assert values(shell, "olap synoptic ") == ids
    assert values(shell, "olap synoptic 1") == [i for i in ids if i.startswith("1")]
