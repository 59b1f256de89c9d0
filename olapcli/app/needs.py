"""The imminent needs: record one, list them (the steps of their cycle:
:mod:`olapcli.app.steps`).

Recording a need is the most frequent write (``olap need add``, and the web's
« pop-up »), so its usual path is light: the core files come as a summary from olap's
cache, the new need is checked by the model's rules written out here
(:func:`need_input_errors`, held to the model by a test), and its lines are appended
as text, kept only when parsing proves the result (:mod:`olapcli.io.textedit`).
Neither pydantic nor ruamel.yaml is imported then; anything unusual takes the
round-trip path, which validates the whole file (:mod:`olapcli.app.edit`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import ids, links, rules
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io import files, yamlread
from olapcli.io.paths import learner_path
from olapcli.io.store import Store

if TYPE_CHECKING:
    from olapcli.app.notify import Notice
    from olapcli.core.summary import Summary

#: the form of an id (model.Id), for the hand checks of a new need
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class NeedInput:
    """What is given to record an imminent need: every field but the resources is
    required (the « pop-up » of Annexe 6), the sub-activity unless a competence of the
    practice's grid stands instead."""

    activity: str | None
    marked_by: list[str]
    identified: dt.date
    due: dt.date
    detail: str
    practice: str = rules.DEFAULT_PRACTICE
    company: str | None = None
    resources: list[str] = field(default_factory=list)
    #: the prospect it was collected from (the contract search, olap prospect)
    prospect: str | None = None
    #: the competence of its practice's grid the company asked for (theatre, mobility)
    competence: str | None = None


@dataclass
class NeedView:
    """A need as it was stored."""

    id: str
    activity: str | None
    practice: str
    marked_by: list[str]
    identified: dt.date
    due: dt.date
    detail: str
    company: str | None = None
    resources: list[str] = field(default_factory=list)
    steps: dict[str, Any] = field(default_factory=dict)
    prospect: str | None = None
    competence: str | None = None


@dataclass
class Recorded:
    """What recording a need or a step did: the need, what the command should say, and
    the e-mail prepared for the three actors."""

    learner: str
    need: NeedView
    warnings: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def form(root: Path, learner_id: str) -> Summary:
    """What a front door needs to ask for a need (the référentiel's groups and their
    questions, the practices, the imminence window); refused for an unknown learner
    before any question is asked."""
    from olapcli.io.load import core_summary

    learner_path(root, learner_id)
    return core_summary(root)


def need_input_errors(inp: NeedInput) -> list[str]:
    """What the model would refuse in *inp* (the rules of ``model.Need``, by hand): the
    usual path checks a new need with these instead of importing pydantic, too slow to
    start; a test holds them to the model."""
    errors = []
    if inp.activity is None and inp.competence is None:
        errors.append("activity")
    elif inp.activity is not None and not ID_PATTERN.match(inp.activity):
        errors.append("activity")
    if not ID_PATTERN.match(inp.practice):
        errors.append("practice")
    if inp.prospect is not None and not ID_PATTERN.match(inp.prospect):
        errors.append("prospect")
    if (
        not inp.marked_by
        or len(set(inp.marked_by)) != len(inp.marked_by)
        or any(a not in rules.ACTORS for a in inp.marked_by)
    ):
        errors.append("marked_by")
    if not inp.detail or links.hidden(inp.detail):
        errors.append("detail")
    if any(not r for r in inp.resources):
        errors.append("resources")
    return errors


def check_activity(core: Summary, activity: str) -> None:
    """Refuse (exit 2) a sub-activity the référentiel does not have, naming close ones."""
    activities = core.activity_ids()
    if activity not in activities:
        close = difflib.get_close_matches(activity, sorted(activities), n=3)
        raise UserError(
            _("Unknown activity « {id} ».").format(id=activity),
            _("did you mean: {ids}?").format(ids=", ".join(close))
            if close
            else _("referentiel.yaml lists the activities of the cohort"),
        )


def check_need(core: Summary, inp: NeedInput) -> list[str]:
    """Refuse (exit 2) what the cohort does not allow in *inp*; the warnings to say
    (a need that is not imminent)."""
    if inp.activity is not None:
        check_activity(core, inp.activity)
    elif inp.competence is None:
        raise UserError(
            _("The need names neither a sub-activity nor a competence."),
            _("give --activity, or --competence for a practice with a grid (theatre, mobility)"),
        )
    if inp.practice not in core.practices:
        raise UserError(
            _("Unknown practice « {id} ».").format(id=inp.practice),
            _("practices of this cohort: {ids}").format(ids=", ".join(core.practices)),
        )
    grid = core.grids.get(inp.practice)
    if inp.competence is not None and inp.competence not in (grid or []):
        raise UserError(
            _("The practice « {practice} » has no competence « {id} » in its grid.").format(
                practice=inp.practice, id=inp.competence
            ),
            _("its grid: {ids}").format(ids=", ".join(grid))
            if grid
            else _("the practice « {practice} » has no competence grid in cohort.yaml").format(
                practice=inp.practice
            ),
        )
    for url in inp.resources:
        if not links.is_web_link(url):
            raise UserError(
                _("« {url} » is not a web link.").format(url=links.visible(url)),
                _("only http:// and https:// links are accepted"),
            )
    for day in (inp.identified, inp.due):
        if not rules.FIRST_DAY <= day <= rules.LAST_DAY:
            raise UserError(
                _("The date {day} is out of the years olap knows.").format(day=day),
                _("write a date between 1900 and 2199, e.g. 2026-03-02"),
            )
    from olapcli.io.clock import today

    if rules.identified_in_future(inp.identified, today()):
        # it would count in the figures of a day it was not yet known (OLAP_TODAY honoured)
        raise UserError(
            _("The need is identified on {date}, after today ({today}).").format(
                date=inp.identified, today=today()
            ),
            _("a need is recorded once the company has expressed it: check the date"),
        )
    if rules.due_before_identified(inp.identified, inp.due):
        raise UserError(
            _("The due date {due} is before the date identified {ident}.").format(
                due=inp.due, ident=inp.identified
            ),
            _("a need is identified before it must be met: check both dates"),
        )
    wrong = need_input_errors(inp)
    if wrong:
        raise UserError(
            _("The need cannot be recorded: invalid {fields}.").format(fields=", ".join(wrong))
        )
    if not rules.imminent(inp.identified, inp.due, core.imminence_days):
        return [
            _(
                "Warning: due {n} days after it was identified; an imminent need is met "
                "within {max} days."
            ).format(n=rules.lead_days(inp.identified, inp.due), max=core.imminence_days)
        ]
    return []


def add_need(
    root: Path,
    learner_id: str,
    inp: NeedInput,
    commit: bool = False,
    notify: bool = True,
    author: str | None = None,
    via: str = "",
) -> Recorded:
    """Record an imminent need of the learner's company; with *notify*, prepare the
    e-mail to the three actors. *author* (« Name <e-mail> ») signs the commit, *via*
    ends its message (« via olap serve »)."""
    warnings = check_need(form(root, learner_id), inp)
    message = _("Imminent need for {learner}: activity {activity}, due {due}").format(
        learner=learner_id, activity=inp.activity or inp.competence, due=inp.due
    ) + (f" ({via})" if via else "")
    need = _append(root, learner_id, inp, message if commit else None, author)
    done = Recorded(learner_id, need, warnings)
    if notify:
        from olapcli.app import notify as notifications

        done.notices = notifications.announce(
            root, [notifications.Event("need", learner_id, need.id)]
        )
    return done


def _append(
    root: Path, learner_id: str, inp: NeedInput, commit: str | None, author: str | None = None
) -> NeedView:
    """Append the need to the learner's file, by the text path when it can be proven."""
    if commit is not None:
        from olapcli.io import git

        git.require_repo(root)
    view = NeedView(
        "",
        inp.activity,
        inp.practice,
        list(inp.marked_by),
        inp.identified,
        inp.due,
        inp.detail,
        inp.company,
        list(inp.resources),
        prospect=inp.prospect,
        competence=inp.competence,
    )
    with files.repo_lock(root):
        path, rel = learner_path(root, learner_id)
        before = files.read_text(path, rel)
        from olapcli.app.edit import require_valid

        require_valid(root, rel, before)
        old = yamlread.load(before)
        _known_prospect(old, inp.prospect, inp.company)
        twin = rules.repeated_need(old, view)
        if twin is not None:  # validate would say duplicate-need: counted twice
            raise UserError(
                _(
                    "This need is already recorded as {id} (same activity, dates and detail)."
                ).format(id=twin),
                _("complete that need rather than recording it again: olap need step"),
            )
        if Store(root).known_valid(before):
            from olapcli.app.edit import finish_write
            from olapcli.io import textedit

            taken = {str(n.get("id")) for n in old.get("needs") or [] if isinstance(n, dict)}
            view.id = new_id("b", inp.identified, taken)
            after = textedit.append_need(before, old, _need_dict(view))
            if after is not None:
                finish_write(root, path, before, after, commit, author)
                return view
        from olapcli.app.edit import edit_locked, ids_in
        from olapcli.io import yamlwrite

        with edit_locked(root, path, rel, commit, True, author) as doc:
            needs = yamlwrite.block_seq(doc.data, "needs")
            view.id = new_id("b", inp.identified, ids_in(needs))
            yamlwrite.append_item(needs, need_map(view.id, inp))
    return view


def _known_prospect(learner: dict[str, Any], prospect: str | None, company: str | None) -> None:
    """Refuse (exit 2) a need naming a prospect the learner does not have, or another
    company than that prospect's."""
    found = {
        str(p.get("id")): p.get("company")
        for p in learner.get("prospects") or []
        if isinstance(p, dict)
    }
    if prospect is not None and prospect not in found:
        raise UserError(
            _("No prospect « {id} » for this learner.").format(id=prospect),
            _("prospects of this learner: {ids}").format(ids=", ".join(found) or "—"),
        )
    theirs = found.get(prospect or "")
    name = str(theirs.get("name") or "") if isinstance(theirs, dict) else ""
    if company and name and rules.same_detail(company) != rules.same_detail(name):
        raise UserError(
            _("The prospect « {id} » is the company « {name} », not « {company} ».").format(
                id=prospect, name=name, company=company
            ),
            _("leave --company out, or name the prospect of that company"),
        )


def new_id(prefix: str, day: dt.date, taken: set[str]) -> str:
    """A record id not in *taken* (see :func:`olapcli.core.ids.record_id`)."""
    made = ids.record_id(prefix, day)
    while made in taken:
        made = ids.record_id(prefix, day)
    return made


def _need_dict(view: NeedView) -> dict[str, Any]:
    """The need as plain data, in the file's key order."""
    need: dict[str, Any] = {"id": view.id}
    if view.activity is not None:
        need["activity"] = view.activity
    need |= {
        "practice": view.practice,
        "marked_by": list(view.marked_by),
        "identified": view.identified,
        "due": view.due,
        "detail": view.detail,
    }
    if view.company:
        need["company"] = view.company
    if view.resources:
        need["resources"] = list(view.resources)
    if view.prospect:
        need["prospect"] = view.prospect
    if view.competence:
        need["competence"] = view.competence
    return need


def need_map(need_id: str, inp: NeedInput) -> Any:
    """The YAML mapping of a new need, keys in the documented order."""
    from olapcli.io.yamlwrite import block_list, flow_list, new_map, scalar

    items: dict[str, Any] = {"id": need_id}
    if inp.activity is not None:
        items["activity"] = scalar(inp.activity)
    items |= {
        "practice": scalar(inp.practice),
        "marked_by": flow_list(inp.marked_by),
        "identified": inp.identified,
        "due": inp.due,
        "detail": scalar(inp.detail),
    }
    if inp.company:
        items["company"] = scalar(inp.company)
    if inp.resources:
        items["resources"] = block_list([scalar(r) for r in inp.resources])
    if inp.prospect:
        items["prospect"] = scalar(inp.prospect)
    if inp.competence:
        items["competence"] = scalar(inp.competence)
    return new_map(items)
