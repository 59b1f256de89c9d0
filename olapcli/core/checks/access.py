"""Checks of ``access.yaml``: each personal link names someone the cohort knows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from olapcli.core.checks.base import error, repeated
from olapcli.core.layout import ACCESS
from olapcli.core.model import WHOLE_COHORT
from olapcli.errors import Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData


def core_access(data: CohortData) -> Iterator[Problem]:
    """Grant ids unique; each grant's learner exists (the whole cohort for a trainer
    only), a trainer's grant names a trainer of cohort.yaml, and it expires after it was
    made."""
    if data.access is None:
        return
    grants = data.access.grants
    for value, loc in repeated((g.id, ("grants", i, "id")) for i, g in enumerate(grants)):
        yield error(
            ACCESS,
            loc,
            "duplicate-id",
            _("the id « {id} » is used twice").format(id=value),
            _("give each one its own id"),
        )
    trainers = {t.id for t in data.cohort.trainers} if data.cohort else None
    for i, g in enumerate(grants):
        if g.learner == WHOLE_COHORT:
            if g.role != "formateur":
                yield error(
                    ACCESS,
                    ("grants", i, "learner"),
                    "access-scope",
                    _("only a trainer's link (formateur) may open the whole cohort « * »"),
                    _("name one learner, or make the role formateur"),
                )
        elif g.learner not in data.learner_ids:
            yield error(
                ACCESS,
                ("grants", i, "learner"),
                "unknown-learner",
                _("the learner « {id} » has no file in learners/").format(id=g.learner),
            )
        if g.role == "formateur" and trainers is not None and g.person not in trainers:
            yield error(
                ACCESS,
                ("grants", i, "person"),
                "unknown-trainer",
                _("the trainer « {id} » is not in cohort.yaml").format(id=g.person),
                _("a trainer's link names a trainer id of cohort.yaml"),
            )
        if g.expires < g.created:
            yield error(
                ACCESS,
                ("grants", i, "expires"),
                "date-order",
                _("the link {id} expires ({expires}) before it was made ({created})").format(
                    id=g.id, expires=g.expires, created=g.created
                ),
            )
