"""bench/serve.py's section of docs/benchmarks.md: a run with ``--no-posts`` keeps the
posts' figures of the run that measured them, says so, and keeps the paragraph read by
hand; a section written twice that way keeps the day they were measured."""

from __future__ import annotations

from bench.serve import KEPT_NOTE, section

OLD = """## olap serve under load, measured by hand

`python -m bench.serve`, 2026-12-04, on a machine (`nproc` = 2).

| what | median | p95 | target | CPUs |
|---|---|---|---|---|
| a learner's page, warm (200 requests) | 43 ms | 84 ms | p95 ≤ 100 ms | 2 |
| the trainer's dashboard, warm (20 requests) | 452 ms | 1929 ms | ≤ 300 ms | 2 |
| a need posted through the form, 20 clients at once × 25 posts (500 posts, 85.3 s in all) | 2769 ms | 6199 ms | p95 ≤ 1 s | 2 |

After the 500 posts: 500 new commits, 0 answers 5xx.
Read (by hand): the posts wait
for the lock.
"""
RESULTS = {
    "size": 10_000,
    "load_before": "1.00 1.00 1.00",
    "load_after": "2.00 1.00 1.00",
    "learner": {"n": 200, "median": 0.040, "p95": 0.080},
    "dashboard": {"n": 20, "median": 0.070, "p95": 0.120},
}


def test_a_run_without_posts_keeps_their_figures_and_says_so():
    text = section(RESULTS, OLD)
    assert "| the trainer's dashboard, warm (20 requests) | 70 ms | 120 ms |" in text
    assert "452 ms" not in text
    assert "| 2769 ms | 6199 ms | p95 ≤ 1 s | 2 |" in text
    assert "After the 500 posts: 500 new commits, 0 answers 5xx." in text
    assert f"{KEPT_NOTE}2026-12-04." in text
    assert "Read (by hand): the posts wait\nfor the lock." in text
    assert section(RESULTS, text) == text  # again: the posts' day stays 2026-12-04


def test_a_run_without_posts_and_no_earlier_figures_says_none_were_measured():
    text = section(RESULTS, "")
    assert "a need posted" not in text and "nor in an earlier one" in text
