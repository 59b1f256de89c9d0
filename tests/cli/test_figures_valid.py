"""Only valid data makes figures (issue 13): ``olap metrics`` and ``olap report`` refuse a
cohort ``olap validate`` finds errors in, unless ``--exclude-invalid`` leaves the learners
with errors out and says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import edit

LEA = "learners/lea-martin.yaml"
LEA_KEY = "K-7QF2MZ9A"
HUGO = "learners/hugo-lefevre.yaml"
LEARNERS = 14  # in sample-cohort/


def _unknown_activity(root: Path) -> tuple[str, list[str]]:
    edit(root / LEA, 'activity: "3.1"', 'activity: "9.9"')
    return "unknown-activity", [LEA_KEY]


def _two_needs_one_id(root: Path) -> tuple[str, list[str]]:
    edit(root / LEA, "id: b20251029-aef4f607ed", "id: b20250924-98a45ddc0a")
    return "duplicate-id", [LEA_KEY]


def _two_learners_one_key(root: Path) -> tuple[str, list[str]]:
    edit(root / HUGO, "key: K-5WD9XN8H", f"key: {LEA_KEY}")
    return "duplicate-key", [LEA_KEY, LEA_KEY]


BREAKS = [_unknown_activity, _two_needs_one_id, _two_learners_one_key]


def _commands(root: Path) -> list[list[str | Path]]:
    return [
        ["-C", root, "metrics"],
        ["-C", root, "metrics", "--format", "json"],
        ["-C", root, "metrics", "--format", "csv"],
        ["-C", root, "metrics", "--format", "xlsx", "--out", root / "m.xlsx"],
        ["-C", root, "report", "--out", root / "r.html"],
        ["-C", root, "export", "observatoire", "--out", root / "o.jsonl"],
        ["-C", root, "export", "observatoire", "--format", "csv"],
    ]


@pytest.mark.parametrize("brk", BREAKS, ids=lambda f: f.__name__)
def test_errors_refuse_every_figure(refused, cohort_repo, brk):
    code, _keys = brk(cohort_repo)
    for args in _commands(cohort_repo):
        result = refused(cohort_repo, *args)
        assert "olap validate" in result.stderr
        assert "--exclude-invalid" in result.stderr
        # listed like validate lists them: file:line:col, code, hint
        assert f"[{code}]" in result.stderr
        assert "learners/" in result.stderr and "→" in result.stderr
        assert not (cohort_repo / "r.html").exists()


@pytest.mark.parametrize("brk", BREAKS, ids=lambda f: f.__name__)
def test_exclude_invalid_leaves_them_out(olap, cohort_repo, brk):
    code, keys = brk(cohort_repo)
    result = olap("-C", cohort_repo, "metrics", "--format", "csv", "--exclude-invalid")
    assert result.code == 0, result.output
    rows = result.stdout.strip().splitlines()[1:-1]  # the last: the contract search of all
    assert len(rows) == LEARNERS - len(keys)
    assert not any(row.startswith(LEA_KEY) for row in rows)
    assert f"{len(keys)} alternant(s) laissé(s) de côté" in result.stderr
    assert re.search(rf"^  {LEA_KEY}: [a-z, -]*\b{code}\b", result.stderr, re.M)
    out = cohort_repo / "r.html"
    result = olap("-C", cohort_repo, "report", "--out", out, "--exclude-invalid")
    assert result.code == 0, result.output
    page = out.read_text(encoding="utf-8")
    # said in the first section, before the summary, by key, never by name
    said = page.index("laissé(s) de côté")
    assert said < page.index("<h2>Synthèse</h2>")
    assert f"{len(keys)} alternant(s) laissé(s) de côté" in page
    assert re.search(rf"<li>{LEA_KEY} : [a-z, -]*\b{code}\b[a-z, -]*</li>", page)
    assert "Martin" not in page[said : page.index("<h2>Synthèse</h2>")]


def test_an_unreadable_learner_is_left_out_without_a_key(olap, cohort_repo):
    (cohort_repo / LEA).write_text("id: [\n", encoding="utf-8")
    result = olap("-C", cohort_repo, "metrics", "--format", "csv", "--exclude-invalid")
    assert result.code == 0, result.output
    # the header, 13 learners, the contract search of all of them
    assert len(result.stdout.strip().splitlines()) == LEARNERS + 1
    assert "clé inconnue" in result.stderr


def test_errors_in_the_core_files_refuse_even_with_exclude_invalid(refused, cohort_repo):
    edit(cohort_repo / "cohort.yaml", "imminence_days:", "imminence_dayz:")
    result = refused(cohort_repo, "-C", cohort_repo, "metrics", "--exclude-invalid")
    assert "cohort.yaml" in result.stderr


def test_a_valid_cohort_says_nothing_of_exclusions(olap, cohort_repo):
    result = olap("-C", cohort_repo, "metrics", "--format", "csv", "--exclude-invalid")
    assert result.code == 0 and "laissé" not in result.stderr
    out = cohort_repo / "r.html"
    assert olap("-C", cohort_repo, "report", "--out", out).code == 0
    assert "laissé(s) de côté" not in out.read_text(encoding="utf-8")
