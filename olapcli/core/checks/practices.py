"""The practices with a competence grid (Annexes 8-9: theatre, mobility…): each need of
such a practice names a competence of its grid, the company's request; and the errors to
avoid of Annexe 8 — the practice chosen first and the company asked afterwards, or never
asked how it went on the return."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.core.checks.base import error, repeated, warning
from olapcli.core.layout import COHORT
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.records import Learner


def core_grids(data: CohortData) -> Iterator[Problem]:
    """Two competences with one id in a practice's grid."""
    if data.cohort is None:
        return
    for i, practice in enumerate(data.cohort.practices):
        ids = ((c.id, ("practices", i, "grid", j, "id")) for j, c in enumerate(practice.grid))
        for cid, loc in repeated(ids):
            yield error(
                COHORT,
                loc,
                "practices",
                _(
                    "the grid of the practice « {practice} » has the competence « {id} » twice"
                ).format(practice=practice.id, id=cid),
            )


def learner_practices(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Errors: a need naming a competence its practice's grid does not have. Lints: a need
    of a practice with a grid that names no competence of it (the company was not asked
    which one it needs: the practice chosen first), and one due and past that no
    evaluation by the company answers (never evaluated on the return)."""
    if not facts.has_cohort:
        return
    by_company = rules.company_returns(learner.evaluations)
    for i, need in enumerate(learner.needs):
        if need.practice not in facts.practices:
            continue  # an unknown practice: the references check says so
        grid = facts.grid(need.practice)
        if need.competence is not None and (grid is None or need.competence not in grid):
            yield error(
                rel,
                ("needs", i, "competence"),
                "practices",
                _(
                    "need {id}: the competence « {competence} » is not in the grid of « {practice} »"
                ).format(id=need.id, competence=need.competence, practice=need.practice),
                _("its grid: {ids}").format(ids=", ".join(grid))
                if grid
                else _("the practice « {practice} » has no competence grid in cohort.yaml").format(
                    practice=need.practice
                ),
            )
        if grid is None:
            continue
        if need.competence is None:
            yield warning(
                rel,
                ("needs", i, "practice"),
                "practice-without-request",
                _("need {id} ({practice}) names no competence of its grid").format(
                    id=need.id, practice=need.practice
                ),
                _(
                    "ask the company which competence of the grid it needs now, before the "
                    "workshop or the stay, and write it: competence: …"
                ),
            )
        if need.id not in by_company:
            yield warning(
                rel,
                ("needs", i, "id"),
                "practice-not-evaluated",
                _(
                    "need {id} ({practice}) was due on {due}: the company has not evaluated it"
                ).format(id=need.id, practice=need.practice, due=need.due),
                _(
                    "on the return, the company says how it went: olap eval add {learner} --need {id} --by entreprise …"
                ).format(learner=learner.id, id=need.id),
                since=need.due + rules.ONE_DAY,
            )
