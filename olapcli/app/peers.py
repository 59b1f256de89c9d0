"""``olap match``: pair each open need with the learners who can help on its activity."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.core.derive.grids import Match, Peer, matches
from olapcli.errors import UserError
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.model import Learner


@dataclass
class Matched:
    """The open needs and their peers, with the activities' titles."""

    matches: list[Match]
    titles: dict[str, str]


def match(
    root: Path,
    activity: str | None = None,
    learners: list[Learner] | None = None,
    peers: dict[str, list[Peer]] | None = None,
) -> Matched:
    """Every open need (on *activity*, or all) with the learners rated A (autonomous),
    then R (resource for peers), the most recent first; refused when a learner file has
    errors. ``olap serve`` passes the *learners* it keeps in memory (a page of them) and
    the whole cohort's *peers*; otherwise every learner is read."""
    from olapcli.io.load import require_core, valid_learners

    titles = rules.activity_titles(require_core(root).referentiel)
    if activity is not None and activity not in titles:
        raise UserError(
            _("Unknown activity « {id} ».").format(id=activity),
            _("referentiel.yaml lists the activities of the cohort"),
        )
    if learners is None:
        learners = [lrn for _rel, lrn in valid_learners(root)]
    return Matched(matches(learners, activity, peers), titles)
