"""Reference checks: every id used points at something that exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from olapcli.core.checks.base import error
from olapcli.core.layout import COHORT, REFERENTIEL, SHARED_FILES_DIR, own_files_dir
from olapcli.errors import Loc, Problem
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.core.checks.facts import Facts
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.model import ResourceFile
    from olapcli.core.records import Learner


def _activity_check(
    known: bool, activities: frozenset[str] | set[str]
) -> Callable[[str, Loc, str], Iterator[Problem]]:
    def activity(rel: str, loc: Loc, value: str) -> Iterator[Problem]:
        if known and value not in activities:
            yield error(
                rel,
                loc,
                "unknown-activity",
                _("the activity « {id} » is not in the référentiel").format(id=value),
                _('referentiel.yaml lists the activities; write the id in quotes, e.g. "3.2"'),
            )

    return activity


def _resource_entries(
    data: CohortData, rel: str, res: ResourceFile, files: str
) -> Iterator[Problem]:
    """Each resource has a url or a file, and its file is in the folder *files*."""
    for i, r in enumerate(res.resources):
        if r.file and f"{files}/{r.file}" not in data.attachments:
            yield error(
                rel,
                ("resources", i, "file"),
                "missing-file",
                _("the file {path} does not exist").format(path=f"{files}/{r.file}"),
            )
        if not r.file and not r.url:
            yield error(
                rel, ("resources", i), "empty-resource", _("a resource needs a url or a file")
            )


def core_references(data: CohortData) -> Iterator[Problem]:
    """Every id the core files and the resources use points at something that exists."""
    practices = {p.id for p in data.cohort.practices} if data.cohort else set()
    activity = _activity_check(data.referentiel is not None, data.activity_ids())
    if data.cohort and data.cohort.policy.label.columns != "all":
        for i, col in enumerate(data.cohort.policy.label.columns):
            if col not in practices:
                yield error(
                    COHORT,
                    ("policy", "label", "columns", i),
                    "unknown-practice",
                    _("the practice « {id} » is not declared in practices").format(id=col),
                )
    if data.referentiel and data.subjects:
        objectives = {s.id: {o.id for o in s.objectives} for s in data.subjects.subjects}
        for i, g in enumerate(data.referentiel.groups):
            for j, a in enumerate(g.activities):
                for sid, objs in a.subjects.items():
                    loc: Loc = ("groups", i, "activities", j, "subjects", sid)
                    if sid not in objectives:
                        yield error(
                            REFERENTIEL,
                            loc,
                            "unknown-subject",
                            _("the subject « {id} » is not in subjects.yaml").format(id=sid),
                        )
                        continue
                    for k, oid in enumerate(objs):
                        if oid not in objectives[sid]:
                            yield error(
                                REFERENTIEL,
                                (*loc, k),
                                "unknown-objective",
                                _("the subject « {s} » has no objective « {o} »").format(
                                    s=sid, o=oid
                                ),
                            )
    for act, (rel, res) in data.resources.items():
        yield from activity(rel, ("activity",), act)
        yield from _resource_entries(data, rel, res, SHARED_FILES_DIR)
    for learner_id, files in data.own_resources.items():
        for rel, res in files:
            if learner_id not in data.learner_ids:
                yield error(
                    rel,
                    ("activity",),
                    "unknown-learner",
                    _("the folder learners/{id}/ belongs to no learner file").format(id=learner_id),
                )
            if PurePosixPath(rel).stem != res.activity:
                yield error(
                    rel,
                    ("activity",),
                    "file-name",
                    _("the activity « {id} » does not match the file name").format(id=res.activity),
                    _("rename the file to {path}").format(
                        path=f"learners/{learner_id}/{res.activity}.yaml"
                    ),
                )
            yield from activity(rel, ("activity",), res.activity)
            yield from _resource_entries(data, rel, res, own_files_dir(learner_id))


def learner_references(facts: Facts, rel: str, learner: Learner) -> Iterator[Problem]:
    """Every id a learner file uses points at something that exists."""
    activity = _activity_check(facts.has_referentiel, facts.activities)
    periods = {p for p, _start, _end in facts.periods}
    if facts.has_cohort:
        for i, t in enumerate(learner.trainers):
            if t not in facts.trainers:
                yield error(
                    rel,
                    ("trainers", i),
                    "unknown-trainer",
                    _("the trainer « {id} » is not in cohort.yaml").format(id=t),
                )
    for act, entry in learner.plan.items():
        yield from activity(rel, ("plan", act), act)
        if facts.has_cohort:
            for i, per in enumerate(entry.periods):
                if per not in periods:
                    yield error(
                        rel,
                        ("plan", act, "periods", i),
                        "unknown-period",
                        _("the period « {id} » is not in cohort.yaml").format(id=per),
                        _("periods: {ids}").format(ids=", ".join(sorted(periods))),
                    )
    activity_of = {n.id: n.activity for n in learner.needs}
    for i, need in enumerate(learner.needs):
        if need.activity is not None:
            yield from activity(rel, ("needs", i, "activity"), need.activity)
        elif need.competence is None:
            yield error(
                rel,
                ("needs", i),
                "no-activity",
                _("need {id} names neither a sub-activity nor a competence").format(id=need.id),
                _(
                    "write activity: (a sub-activity of the référentiel), or competence: (a "
                    "competence of its practice's grid, theatre or mobility)"
                ),
            )
        if facts.has_cohort and need.practice not in facts.practices:
            yield error(
                rel,
                ("needs", i, "practice"),
                "unknown-practice",
                _("the practice « {id} » is not declared in cohort.yaml").format(id=need.practice),
                _("practices: {ids}").format(ids=", ".join(sorted(facts.practices))),
            )
    for i, ev in enumerate(learner.evaluations):
        if ev.activity is not None:
            yield from activity(rel, ("evaluations", i, "activity"), ev.activity)
        elif ev.need is None or activity_of.get(ev.need, "") is not None:
            yield error(
                rel,
                ("evaluations", i),
                "no-activity",
                _("evaluation {id} names no sub-activity").format(id=ev.id),
                _(
                    "only the evaluation of a need that names a competence and no sub-activity "
                    "may leave activity: out"
                ),
            )
        if ev.need is not None and ev.need not in activity_of:
            yield error(
                rel,
                ("evaluations", i, "need"),
                "unknown-need",
                _("this learner has no need « {id} »").format(id=ev.need),
            )
