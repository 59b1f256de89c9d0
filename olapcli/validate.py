"""The validate pipeline: cache → load → checks → positions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from olapcli import cache
from olapcli.errors import Problem
from olapcli.i18n import language


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    """Problems in file order."""
    return (p.path, p.line or 0, p.col or 0, p.code)


def validate(
    root: Path, today: dt.date, strict: bool = False, use_cache: bool = True
) -> list[Problem]:
    """Every problem of the cohort at *root*, sorted by file and line."""
    key = cache.content_key(root, f"strict={strict}", f"today={today}", f"lang={language()}")
    if use_cache:
        cached = cache.get(root, key)
        if cached is not None:
            return cached
    from olapcli.checks import Context, run_checks
    from olapcli.loader import load_cohort, locate

    data, problems = load_cohort(root)
    problems += run_checks(data, Context(today=today), strict=strict)
    problems = sorted(locate(root, problems), key=sort_key)
    if use_cache:
        cache.put(root, key, problems)
    return problems
