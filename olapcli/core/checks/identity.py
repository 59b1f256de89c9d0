"""Identity checks: ids unique where they must be, files named after what they hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from olapcli.core.checks.base import error, repeated
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.errors import Loc, Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.records import Learner


def _twice(path: str, values: Iterable[tuple[str, Loc]]) -> Iterator[Problem]:
    hint = _("give each one its own id")
    for value, loc in repeated(values):
        yield error(
            path, loc, "duplicate-id", _("the id « {id} » is used twice").format(id=value), hint
        )


def core_duplicate_ids(data: CohortData) -> Iterator[Problem]:
    """The same id twice in the core files."""
    if data.cohort:
        c = data.cohort
        yield from _twice(COHORT, ((t.id, ("trainers", i, "id")) for i, t in enumerate(c.trainers)))
        yield from _twice(COHORT, ((p.id, ("periods", i, "id")) for i, p in enumerate(c.periods)))
        yield from _twice(
            COHORT, ((p.id, ("practices", i, "id")) for i, p in enumerate(c.practices))
        )
    if data.referentiel:
        groups = data.referentiel.groups
        yield from _twice(REFERENTIEL, ((g.id, ("groups", i, "id")) for i, g in enumerate(groups)))
        yield from _twice(
            REFERENTIEL,
            (
                (a.id, ("groups", i, "activities", j, "id"))
                for i, g in enumerate(groups)
                for j, a in enumerate(g.activities)
            ),
        )
    if data.subjects:
        subs = data.subjects.subjects
        yield from _twice(SUBJECTS, ((s.id, ("subjects", i, "id")) for i, s in enumerate(subs)))
        for i, s in enumerate(subs):
            yield from _twice(
                SUBJECTS,
                (
                    (o.id, ("subjects", i, "objectives", j, "id"))
                    for j, o in enumerate(s.objectives)
                ),
            )


def learner_duplicate_ids(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """The same need or evaluation id twice in a learner file."""
    yield from _twice(rel, ((n.id, ("needs", i, "id")) for i, n in enumerate(learner.needs)))
    yield from _twice(
        rel, ((e.id, ("evaluations", i, "id")) for i, e in enumerate(learner.evaluations))
    )


def learner_identities(entries: list[tuple[str, str, str]]) -> Iterator[Problem]:
    """Across learner files: no two share an id or a key. *entries*: (path, id, key)."""
    keys: Counter[str] = Counter(key for _rel, _id, key in entries)
    ids: Counter[str] = Counter(lid for _rel, lid, _key in entries)
    for rel, lid, key in entries:
        if keys[key] > 1:
            yield error(
                rel,
                ("key",),
                "duplicate-key",
                _("the key « {key} » is shared with another learner").format(key=key),
                _("each learner needs a key of their own; remove it and run olap validate"),
            )
        if ids[lid] > 1:
            yield error(
                rel,
                ("id",),
                "duplicate-id",
                _("the id « {id} » is used twice").format(id=lid),
                _("give each one its own id"),
            )


def learner_file_name(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """A learner file is named after its id."""
    if PurePosixPath(rel).stem != learner.id:
        yield error(
            rel,
            ("id",),
            "file-name",
            _("the id « {id} » does not match the file name").format(id=learner.id),
            _("rename the file to learners/{id}.yaml").format(id=learner.id),
        )


def core_file_names(data: CohortData) -> Iterator[Problem]:
    """A resource file is named after its activity."""
    for activity, (rel, _res) in data.resources.items():
        if PurePosixPath(rel).stem != activity:
            yield error(
                rel,
                ("activity",),
                "file-name",
                _("the activity « {id} » does not match the file name").format(id=activity),
                _("rename the file to resources/{id}.yaml").format(id=activity),
            )
