"""The practice grids (Annexes 8-9): for a practice with its own competence grid (theatre,
mobility…), per competence, the company's requests (the needs naming it), the learner's
notes during the workshop or the stay, and the evaluation on the return (the latest
evaluation by the company answering each need)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from olapcli.core import rules


@dataclass
class Request:
    """A need naming a competence: the company's request, the notes, the return."""

    need: Any
    notes: list[Any]
    #: the level the company gave on the return (A, EC, R), or None
    level: str | None
    evaluated_on: Any = None


@dataclass
class CompetenceRow:
    competence: Any  # model.Competence
    requests: list[Request] = field(default_factory=list)


def learner_grids(cohort: Any, learner: Any) -> list[tuple[Any, list[CompetenceRow]]]:
    """Each practice with a grid in which the learner has a need, with its rows (every
    competence of the grid, asked for or not)."""
    by_company = rules.company_returns(learner.evaluations)
    found = []
    for practice in cohort.practices:
        if not practice.grid:
            continue
        mine = [n for n in learner.needs if n.practice == practice.id]
        if not mine:
            continue
        rows = []
        for c in practice.grid:
            row = CompetenceRow(c)
            for n in sorted(mine, key=lambda n: (n.identified, n.id)):
                if n.competence == c.id:
                    ev = by_company.get(n.id)
                    row.requests.append(
                        Request(n, list(n.notes), ev.level if ev else None, ev.date if ev else None)
                    )
            rows.append(row)
        found.append((practice, rows))
    return found


def cohort_grids(
    cohort: Any, learners: list[Any]
) -> list[tuple[Any, list[tuple[Any, int, Counter[str]]]]]:
    """For the report, from the learners' briefs: per practice with a grid in which some
    need names a competence, per competence, how many needs asked for it and the levels
    the company gave on the return (A, EC, R; « — » not evaluated by the company)."""
    found = []
    for practice in cohort.practices:
        if not practice.grid:
            continue
        asked: Counter[str] = Counter()
        levels: dict[str, Counter[str]] = {c.id: Counter() for c in practice.grid}
        for b in learners:
            for n in b.needs:
                if n.practice == practice.id and n.competence in levels:
                    asked[n.competence] += 1
                    levels[n.competence][n.returned or "—"] += 1
        if asked:
            found.append((practice, [(c, asked[c.id], levels[c.id]) for c in practice.grid]))
    return found
