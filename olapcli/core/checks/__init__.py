"""What ``olap validate`` checks: one function per rule, in a named, ordered registry.

Errors are facts that make the data wrong (a reference to nothing, a date order that
cannot be); fidelity lints (SPEC §4) are warnings by default, errors with
``--strict``: they say where the data shows the method distorted. One module per
family: :mod:`identity`, :mod:`references`, :mod:`dates`, :mod:`fidelity`. Checks
read the data only (no disk: the loader gathers what they need to know of files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from olapcli.core.checks.base import Check, Context
from olapcli.core.checks.dates import check_dates
from olapcli.core.checks.fidelity import (
    check_evaluated,
    check_imminence,
    check_marked_by_company,
    check_new_needs_each_period,
    check_referentiel_shape,
    check_support,
)
from olapcli.core.checks.identity import check_duplicate_ids, check_file_names, learner_identities
from olapcli.core.checks.references import check_references
from olapcli.core.cohortdata import CohortData
from olapcli.errors import Problem

__all__ = ["CHECKS", "Context", "learner_identities", "on", "run_checks"]

#: name -> check, in the order they run. Lints are the ones that only warn.
CHECKS: dict[str, Check] = {
    "duplicate-ids": check_duplicate_ids,
    "file-names": check_file_names,
    "references": check_references,
    "dates": check_dates,
    "marked-by-company": check_marked_by_company,
    "imminence": check_imminence,
    "new-needs-each-period": check_new_needs_each_period,
    "evaluated": check_evaluated,
    "support": check_support,
    "referentiel-shape": check_referentiel_shape,
}


def run_checks(data: CohortData, ctx: Context) -> list[Problem]:
    """Every check's problems, whatever the day (see :attr:`Problem.since`)."""
    return [problem for check in CHECKS.values() for problem in check(data, ctx)]


def on(problems: list[Problem], today: dt.date, strict: bool = False) -> list[Problem]:
    """The *problems* that hold *today*; with *strict*, warnings become errors."""
    held = [p for p in problems if p.since is None or p.since <= today]
    if strict:
        held = [replace(p, severity="error") if p.severity == "warning" else p for p in held]
    return held
