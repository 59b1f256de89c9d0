"""The registry of validate's checks: their names, in the order they run."""

from __future__ import annotations

from olapcli.core.checks.base import Check, Context, on
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
