"""What ``olap validate`` checks, one function per rule, in a named ordered registry.

Errors are facts that make the data wrong (a reference to nothing, a date
order that cannot be); fidelity lints (SPEC §4) are warnings by default,
errors with ``--strict``: they say where the data shows the method distorted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.core.model import ResourceFile
from olapcli.errors import Loc, Problem
from olapcli.i18n import _
from olapcli.io.load import CohortData


@dataclass(frozen=True)
class Context:
    """What a check may need besides the data.

    Learner files can be checked in several processes: each worker runs the
    per-learner parts (``core=False, across=False``) on its share, and the
    parent runs the parts about the core files and across learners once.
    """

    today: dt.date
    core: bool = True
    across: bool = True


Check = Callable[[CohortData, Context], Iterable[Problem]]


def _err(path: str, loc: Loc, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(path, None, None, "error", code, message, hint, loc)


def _warn(path: str, loc: Loc, code: str, message: str, hint: str | None = None) -> Problem:
    return Problem(path, None, None, "warning", code, message, hint, loc)


def _dupes(values: Iterable[tuple[str, Loc]]) -> Iterator[tuple[str, Loc]]:
    seen: set[str] = set()
    for value, loc in values:
        if value in seen:
            yield value, loc
        seen.add(value)


def check_duplicate_ids(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """The same id twice where ids must be unique."""
    hint = _("give each one its own id")

    def report(path: str, values: Iterable[tuple[str, Loc]]) -> Iterator[Problem]:
        for value, loc in _dupes(values):
            yield _err(
                path, loc, "duplicate-id", _("the id « {id} » is used twice").format(id=value), hint
            )

    if data.cohort and ctx.core:
        c = data.cohort
        yield from report(COHORT, ((t.id, ("trainers", i, "id")) for i, t in enumerate(c.trainers)))
        yield from report(COHORT, ((p.id, ("periods", i, "id")) for i, p in enumerate(c.periods)))
        yield from report(
            COHORT, ((p.id, ("practices", i, "id")) for i, p in enumerate(c.practices))
        )
    if data.referentiel and ctx.core:
        groups = data.referentiel.groups
        yield from report(REFERENTIEL, ((g.id, ("groups", i, "id")) for i, g in enumerate(groups)))
        yield from report(
            REFERENTIEL,
            (
                (a.id, ("groups", i, "activities", j, "id"))
                for i, g in enumerate(groups)
                for j, a in enumerate(g.activities)
            ),
        )
    if data.subjects and ctx.core:
        subs = data.subjects.subjects
        yield from report(SUBJECTS, ((s.id, ("subjects", i, "id")) for i, s in enumerate(subs)))
        for i, s in enumerate(subs):
            yield from report(
                SUBJECTS,
                (
                    (o.id, ("subjects", i, "objectives", j, "id"))
                    for j, o in enumerate(s.objectives)
                ),
            )
    if ctx.across:
        yield from learner_identities([(rel, lrn.id, lrn.key) for rel, lrn in data.learners])
    for rel, learner in data.learners:
        yield from report(rel, ((n.id, ("needs", i, "id")) for i, n in enumerate(learner.needs)))
        yield from report(
            rel, ((e.id, ("evaluations", i, "id")) for i, e in enumerate(learner.evaluations))
        )


def learner_identities(entries: list[tuple[str, str, str]]) -> Iterator[Problem]:
    """Across learner files: no two share an id or a key. *entries*: (path, id, key)."""
    keys: Counter[str] = Counter(key for _rel, _id, key in entries)
    ids: Counter[str] = Counter(lid for _rel, lid, _key in entries)
    for rel, lid, key in entries:
        if keys[key] > 1:
            yield _err(
                rel,
                ("key",),
                "duplicate-key",
                _("the key « {key} » is shared with another learner").format(key=key),
                _("each learner needs a key of their own; remove it and run olap validate"),
            )
        if ids[lid] > 1:
            yield _err(
                rel,
                ("id",),
                "duplicate-id",
                _("the id « {id} » is used twice").format(id=lid),
                _("give each one its own id"),
            )


def check_file_names(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """A learner file is named after its id; a resource file after its activity."""
    for rel, learner in data.learners:
        if PurePosixPath(rel).stem != learner.id:
            yield _err(
                rel,
                ("id",),
                "file-name",
                _("the id « {id} » does not match the file name").format(id=learner.id),
                _("rename the file to learners/{id}.yaml").format(id=learner.id),
            )
    for activity, (rel, _res) in data.resources.items() if ctx.core else ():
        if PurePosixPath(rel).stem != activity:
            yield _err(
                rel,
                ("activity",),
                "file-name",
                _("the activity « {id} » does not match the file name").format(id=activity),
                _("rename the file to resources/{id}.yaml").format(id=activity),
            )


def _resource_entries(root: Path, rel: str, res: ResourceFile, files: str) -> Iterator[Problem]:
    """Each resource has a url or a file, and its file is in *files* (relative to *root*)."""
    for i, r in enumerate(res.resources):
        if r.file and not (root / files / r.file).is_file():
            yield _err(
                rel,
                ("resources", i, "file"),
                "missing-file",
                _("the file {path} does not exist").format(path=f"{files}/{r.file}"),
            )
        if not r.file and not r.url:
            yield _err(
                rel, ("resources", i), "empty-resource", _("a resource needs a url or a file")
            )


def check_references(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Every id used points at something that exists."""
    activities = data.activity_ids()
    trainers = {t.id for t in data.cohort.trainers} if data.cohort else set()
    periods = {p.id for p in data.cohort.periods} if data.cohort else set()
    practices = {p.id for p in data.cohort.practices} if data.cohort else set()
    have_ref = data.referentiel is not None
    have_cohort = data.cohort is not None

    def activity(rel: str, loc: Loc, value: str) -> Iterator[Problem]:
        if have_ref and value not in activities:
            yield _err(
                rel,
                loc,
                "unknown-activity",
                _("the activity « {id} » is not in the référentiel").format(id=value),
                _('referentiel.yaml lists the activities; write the id in quotes, e.g. "3.2"'),
            )

    if data.cohort and ctx.core and data.cohort.policy.label.columns != "all":
        for i, col in enumerate(data.cohort.policy.label.columns):
            if col not in practices:
                yield _err(
                    COHORT,
                    ("policy", "label", "columns", i),
                    "unknown-practice",
                    _("the practice « {id} » is not declared in practices").format(id=col),
                )
    if data.referentiel and data.subjects and ctx.core:
        objectives = {s.id: {o.id for o in s.objectives} for s in data.subjects.subjects}
        for i, g in enumerate(data.referentiel.groups):
            for j, a in enumerate(g.activities):
                for sid, objs in a.subjects.items():
                    loc: Loc = ("groups", i, "activities", j, "subjects", sid)
                    if sid not in objectives:
                        yield _err(
                            REFERENTIEL,
                            loc,
                            "unknown-subject",
                            _("the subject « {id} » is not in subjects.yaml").format(id=sid),
                        )
                        continue
                    for k, oid in enumerate(objs):
                        if oid not in objectives[sid]:
                            yield _err(
                                REFERENTIEL,
                                (*loc, k),
                                "unknown-objective",
                                _("the subject « {s} » has no objective « {o} »").format(
                                    s=sid, o=oid
                                ),
                            )
    for act, (rel, res) in data.resources.items() if ctx.core else ():
        yield from activity(rel, ("activity",), act)
        yield from _resource_entries(data.root, rel, res, "resources/files")
    for learner_id, files in data.own_resources.items() if ctx.core else ():
        for rel, res in files:
            if not (data.root / "learners" / f"{learner_id}.yaml").is_file():
                yield _err(
                    rel,
                    ("activity",),
                    "unknown-learner",
                    _("the folder learners/{id}/ belongs to no learner file").format(id=learner_id),
                )
            if PurePosixPath(rel).stem != res.activity:
                yield _err(
                    rel,
                    ("activity",),
                    "file-name",
                    _("the activity « {id} » does not match the file name").format(id=res.activity),
                    _("rename the file to {path}").format(
                        path=f"learners/{learner_id}/{res.activity}.yaml"
                    ),
                )
            yield from activity(rel, ("activity",), res.activity)
            yield from _resource_entries(data.root, rel, res, f"learners/{learner_id}/files")
    for rel, learner in data.learners:
        if have_cohort:
            for i, t in enumerate(learner.trainers):
                if t not in trainers:
                    yield _err(
                        rel,
                        ("trainers", i),
                        "unknown-trainer",
                        _("the trainer « {id} » is not in cohort.yaml").format(id=t),
                    )
        for act, entry in learner.plan.items():
            yield from activity(rel, ("plan", act), act)
            if have_cohort:
                for i, per in enumerate(entry.periods):
                    if per not in periods:
                        yield _err(
                            rel,
                            ("plan", act, "periods", i),
                            "unknown-period",
                            _("the period « {id} » is not in cohort.yaml").format(id=per),
                            _("periods: {ids}").format(ids=", ".join(sorted(periods))),
                        )
        need_ids = {n.id for n in learner.needs}
        for i, need in enumerate(learner.needs):
            yield from activity(rel, ("needs", i, "activity"), need.activity)
            if have_cohort and need.practice not in practices:
                yield _err(
                    rel,
                    ("needs", i, "practice"),
                    "unknown-practice",
                    _("the practice « {id} » is not declared in cohort.yaml").format(
                        id=need.practice
                    ),
                    _("practices: {ids}").format(ids=", ".join(sorted(practices))),
                )
        for i, ev in enumerate(learner.evaluations):
            yield from activity(rel, ("evaluations", i, "activity"), ev.activity)
            if ev.need is not None and ev.need not in need_ids:
                yield _err(
                    rel,
                    ("evaluations", i, "need"),
                    "unknown-need",
                    _("this learner has no need « {id} »").format(id=ev.need),
                )


def check_dates(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Dates in an order that can be."""
    if data.cohort and ctx.core:
        if data.cohort.end < data.cohort.start:
            yield _err(COHORT, ("end",), "date-order", _("the cohort ends before it starts"))
        for i, p in enumerate(data.cohort.periods):
            if p.end < p.start:
                yield _err(
                    COHORT,
                    ("periods", i, "end"),
                    "date-order",
                    _("the period « {id} » ends before it starts").format(id=p.id),
                )
    for rel, learner in data.learners:
        c = learner.contract
        if c and c.end and c.end < c.start:
            yield _err(
                rel, ("contract", "end"), "date-order", _("the contract ends before it starts")
            )
        for i, need in enumerate(learner.needs):
            if need.due < need.identified:
                yield _err(
                    rel,
                    ("needs", i, "due"),
                    "due-before-identified",
                    _("need {id}: due {due} is before it was identified ({ident})").format(
                        id=need.id, due=need.due, ident=need.identified
                    ),
                    _("a need is identified before it must be met: check both dates"),
                )


def check_marked_by_company(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 1: a real production need is marked or confirmed by the company."""
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            if "entreprise" not in need.marked_by:
                yield _warn(
                    rel,
                    ("needs", i, "marked_by"),
                    "not-marked-by-company",
                    _("need {id} is not marked by the company").format(id=need.id),
                    _(
                        "a need is the company's real production need: have the company "
                        "confirm it, then add « entreprise » to marked_by"
                    ),
                )


def check_imminence(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 1: a need must be met soon after it is identified."""
    if data.cohort is None:
        return
    days = data.cohort.policy.imminence_days
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            gap = (need.due - need.identified).days
            if gap > days:
                yield _warn(
                    rel,
                    ("needs", i, "due"),
                    "not-imminent",
                    _("need {id} is due {n} days after it was identified (more than {max})").format(
                        id=need.id, n=gap, max=days
                    ),
                    _(
                        "ask about the coming days: an imminent need is met within "
                        "policy.imminence_days"
                    ),
                )


def _in_period(day: dt.date, start: dt.date, end: dt.date) -> bool:
    return start <= day <= end


def check_new_needs_each_period(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principle 4: re-ask every period; a past period without a new need is a gap."""
    if data.cohort is None:
        return
    for rel, learner in data.learners:
        if learner.status != "contract":
            continue
        for period in data.cohort.periods:
            if period.end >= ctx.today:
                continue
            if learner.contract and period.end < learner.contract.start:
                continue
            if learner.outcomes.rupture and learner.outcomes.rupture <= period.start:
                continue
            if not any(
                _in_period(n.identified, period.start, period.end)
                or _in_period(n.due, period.start, period.end)
                for n in learner.needs
            ):
                yield _warn(
                    rel,
                    ("needs",) if learner.needs else ("id",),
                    "no-new-need",
                    _(
                        "no new need identified for the company period {id} ({start} – {end})"
                    ).format(id=period.id, start=period.start, end=period.end),
                    _(
                        "ask the company the multiple-choice questions of the référentiel "
                        "again before each period"
                    ),
                )


def check_evaluated(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """A need whose due date has passed should have been evaluated."""
    for rel, learner in data.learners:
        answered = {e.need for e in learner.evaluations if e.need}
        for i, need in enumerate(learner.needs):
            if need.due < ctx.today and need.id not in answered:
                yield _warn(
                    rel,
                    ("needs", i, "id"),
                    "not-evaluated",
                    _("need {id} was due on {due} and has no evaluation").format(
                        id=need.id, due=need.due
                    ),
                    _("record how it went: olap eval add {learner} --need {id} …").format(
                        learner=learner.id, id=need.id
                    ),
                )


def check_support(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Principles 3 and 5: a need's activity should have resources or subject links."""
    if data.referentiel is None:
        return
    linked = {a.id for g in data.referentiel.groups for a in g.activities if a.subjects}
    supported = linked | {a for a, (_rel, res) in data.resources.items() if res.resources}
    for rel, learner in data.learners:
        for i, need in enumerate(learner.needs):
            if need.activity not in supported:
                yield _warn(
                    rel,
                    ("needs", i, "activity"),
                    "no-support",
                    _("activity {id} has no resource and no link to another subject").format(
                        id=need.activity
                    ),
                    _(
                        "add a resource in resources/{id}.yaml or link the activity to a "
                        "subject in referentiel.yaml"
                    ).format(id=need.activity),
                )


def check_referentiel_shape(data: CohortData, ctx: Context) -> Iterator[Problem]:
    """Annexe 6: 10 to 15 groups of 2 to 4 sub-activities."""
    if data.referentiel is None or not ctx.core:
        return
    groups = data.referentiel.groups
    if not 10 <= len(groups) <= 15:
        yield _warn(
            REFERENTIEL,
            ("groups",),
            "referentiel-shape",
            _("the référentiel has {n} groups; the method asks for 10 to 15").format(n=len(groups)),
        )
    for i, g in enumerate(groups):
        if not 2 <= len(g.activities) <= 4:
            yield _warn(
                REFERENTIEL,
                ("groups", i, "activities"),
                "referentiel-shape",
                _("group {id} has {n} sub-activities; the method asks for 2 to 4").format(
                    id=g.id, n=len(g.activities)
                ),
            )


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


def run_checks(data: CohortData, ctx: Context, strict: bool = False) -> list[Problem]:
    """Every check's problems; with *strict*, warnings become errors."""
    out: list[Problem] = []
    for check in CHECKS.values():
        for problem in check(data, ctx):
            if strict and problem.severity == "warning":
                problem = replace(problem, severity="error")
            out.append(problem)
    return out
