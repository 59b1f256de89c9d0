"""The registry of validate's checks: their names, in the order they run, each with the
part that reads the core files and resources and the part that reads one learner file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from olapcli.core.checks.access import core_access
from olapcli.core.checks.cycle import learner_cycle
from olapcli.core.checks.dates import core_dates, learner_dates
from olapcli.core.checks.facts import Facts, facts_of
from olapcli.core.checks.fidelity import (
    core_referentiel_shape,
    learner_evaluated,
    learner_imminence,
    learner_marked_by_company,
    learner_new_needs_each_period,
    learner_support,
)
from olapcli.core.checks.identity import (
    core_duplicate_ids,
    core_file_names,
    learner_duplicate_ids,
    learner_file_name,
    learner_identities,
)
from olapcli.core.checks.meetings import learner_meetings
from olapcli.core.checks.needs import (
    learner_calendar,
    learner_duplicate_needs,
)
from olapcli.core.checks.practices import core_grids, learner_practices
from olapcli.core.checks.prospects import learner_prospects
from olapcli.core.checks.references import core_references, learner_references
from olapcli.errors import Problem

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.records import Learner

__all__ = ["CHECKS", "Facts", "core_problems", "facts_of", "learner_problems", "run_checks"]

CoreCheck = Callable[["CohortData"], Iterable[Problem]]
LearnerCheck = Callable[[Facts, str, "Learner"], Iterable[Problem]]


@dataclass(frozen=True)
class Check:
    """One rule: its part over the core files and resources, its part over a learner file."""

    core: CoreCheck | None = None
    learner: LearnerCheck | None = None


#: name -> check, in the order they run. Lints are the ones that only warn.
CHECKS: dict[str, Check] = {
    "duplicate-ids": Check(core_duplicate_ids, learner_duplicate_ids),
    "file-names": Check(core_file_names, learner_file_name),
    "references": Check(core_references, learner_references),
    "dates": Check(core_dates, learner_dates),
    "duplicate-needs": Check(learner=learner_duplicate_needs),
    "calendar": Check(learner=learner_calendar),
    "marked-by-company": Check(learner=learner_marked_by_company),
    "imminence": Check(learner=learner_imminence),
    "new-needs-each-period": Check(learner=learner_new_needs_each_period),
    "evaluated": Check(learner=learner_evaluated),
    "cycle": Check(learner=learner_cycle),
    "support": Check(learner=learner_support),
    "meetings": Check(learner=learner_meetings),
    "prospects": Check(learner=learner_prospects),
    "practices": Check(core_grids, learner_practices),
    "referentiel-shape": Check(core=core_referentiel_shape),
    "access": Check(core=core_access),
}


def core_problems(data: CohortData) -> list[Problem]:
    """The problems of the core files and the resources (whatever the learners)."""
    return [p for check in CHECKS.values() if check.core for p in check.core(data)]


def learner_problems(facts: Facts, rel: str, learner: Learner) -> list[Problem]:
    """The problems of one learner file (whatever the other learners and the day: see
    :attr:`olapcli.errors.Problem.since`)."""
    return [
        p for check in CHECKS.values() if check.learner for p in check.learner(facts, rel, learner)
    ]


def run_checks(data: CohortData) -> list[Problem]:
    """Every problem of a whole cohort read into models: core files, each learner, and
    across learners (ids and keys unique)."""
    from olapcli.core import records

    facts = facts_of(data)
    found = core_problems(data)
    for rel, learner in data.learners:
        found += learner_problems(facts, rel, records.learner(learner))
    found += learner_identities([(rel, lrn.id, lrn.key) for rel, lrn in data.learners])
    return found
