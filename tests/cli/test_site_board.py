"""The site's home page is a dashboard: the label's progress up to today, checked against
the independent computation of tests/independent_ref.py (not olap's code)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests import independent_ref as ref

TODAY = dt.date(2026, 1, 7)


@pytest.fixture
def index(olap, cohort_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OLAP_TODAY", TODAY.isoformat())
    result = olap("-C", cohort_dir, "render", "--out", tmp_path / "site")
    assert result.code == 0, result.output
    return html.unescape((tmp_path / "site/index.html").read_text(encoding="utf-8"))


def test_label_progress_up_to_today(index, cohort_dir):
    cohort, learners = ref.load(cohort_dir)
    want = ref.label(cohort, ref.table(cohort, learners, end=TODAY), end=TODAY)
    judged = len(learners) - len(want["exempt"])
    meeting = judged - len(want["short"])
    assert 0 < meeting < judged  # the sample has both sides on this day
    got = re.search(r"À ce jour, (\d+) des (\d+) alternants jugés l'atteignent \((\d+)\s%\)", index)
    assert got, "no label progress on the home page"
    assert (int(got[1]), int(got[2])) == (meeting, judged)
    assert int(got[3]) == round(100 * meeting / judged)
    assert f'style="width: {round(100 * meeting / judged)}%"' in index
    # who falls short, by name, with what is missing
    by_key = {lr["key"]: lr for lr in learners}
    part = index[index.index('id="label"') : index.index("Périodes en entreprise")]
    for key, missing in want["short"].items():
        lr = by_key[key]
        n = sum(missing.values())
        assert re.search(
            rf"{lr['id']}\.html\">{lr['first_name']} {lr['last_name']}</a> : {n} besoins? manquants?",
            part,
        ), lr["id"]
    assert part.count("<li>") == len(want["short"])


def test_no_label_progress_before_the_cohort_starts(olap, cohort_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OLAP_TODAY", "2025-08-01")
    assert olap("-C", cohort_dir, "render", "--out", tmp_path / "s").code == 0
    assert 'id="label"' not in (tmp_path / "s/index.html").read_text(encoding="utf-8")
