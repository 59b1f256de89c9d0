"""``olap synoptic``: the synoptic table in the terminal, learners (rows) by activities
(columns), each cell I for an imminent need, then the latest evaluation (A, EC, R)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from olapcli.core.derive.grids import Cell
from olapcli.core.derive.grids import synoptic as cells_of
from olapcli.errors import UserError
from olapcli.i18n import _


@dataclass
class Synoptic:
    """The rows (learner ids), the columns (activity id, title) and the cells."""

    learners: list[str]
    activities: list[tuple[str, str]]
    cells: dict[str, dict[str, Cell]]


def synoptic(root: Path, today: dt.date, group: str | None = None) -> Synoptic:
    """The cohort's synoptic table on *today*, for the activities of *group* (all when
    None) that hold at least one mark: an empty column says nothing and costs width.
    Refused when a learner file has errors, as every command that shows figures."""
    from olapcli.io.load import require_core, valid_learners

    referentiel = require_core(root).referentiel
    groups = [g.id for g in referentiel.groups]
    if group is not None and group not in groups:
        raise UserError(
            _("Unknown group « {id} ».").format(id=group),
            _("groups of the référentiel: {ids}").format(ids=", ".join(groups)),
        )
    learners = sorted(
        (lrn for _rel, lrn in valid_learners(root)), key=lambda x: (x.last_name, x.id)
    )
    cells = cells_of(learners, referentiel, today)
    marked = {a for row in cells.values() for a in row}
    activities = [
        (a.id, a.title)
        for g in referentiel.groups
        if group is None or g.id == group
        for a in g.activities
        if a.id in marked
    ]
    return Synoptic([x.id for x in learners], activities, cells)
