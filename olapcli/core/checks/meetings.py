"""The charter's meetings: at least two with the employer in any twelve months of the
follow-up (Charte pour un accompagnement responsable et de qualité des apprentis)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core import rules
from olapcli.core.checks.base import warning
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.records import Learner


def learner_meetings(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Fewer than two meetings with the company (tutor or employer: the tutor is the
    employer's appointed representative, so a meeting with the tutor alone counts) in the
    twelve months before the day, within the cohort's dates; only for a learner in
    contract with a company, and not after a rupture or a drop-out."""
    if facts.calendar is None:
        return
    span = rules.follow_up(facts.calendar[0], facts.calendar[1], learner)
    if span is None:
        return
    dates = [m.date for m in learner.meetings]
    for since, until in rules.meetings_short(dates, *span):  # start, end, stopped
        yield warning(
            rel,
            ("meetings",) if learner.meetings else ("status",),
            "meetings",
            _("fewer than {n} meetings with the company in the last twelve months").format(
                n=rules.MEETINGS_A_YEAR
            ),
            _(
                "the charter asks for two meetings a year with the employer or the tutor: "
                "olap meeting add {learner} --date … --kind visite --with tuteur"
            ).format(learner=learner.id),
            since=since,
            until=until,
        )
