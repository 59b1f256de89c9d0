"""What ``olap serve`` does for the three actors (SPEC §9): who a session is, what they
see (a learner's page, the trainer's dashboard) and what they write (signal a need,
confirm one, mark a step) — through the same use-cases as the command line, so a web
write is the same commit, under the same lock, with the same e-mails, signed by the
person who acted.

The web front door (:mod:`olapcli.web`) only parses requests and shows these results.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.app import access, writes
from olapcli.app.dashboard import Dashboard as Dashboard  # moved: app/dashboard.py
from olapcli.app.dashboard import dashboard as dashboard
from olapcli.app.uploads import own_files
from olapcli.core import access as access_rules
from olapcli.core import cycle, rules
from olapcli.core.model import WHOLE_COHORT
from olapcli.errors import UserError
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.app.needs import Recorded
    from olapcli.core.model import Grant, Learner

#: the actor's column a person marks a need in, by the role of their link
SIDE = {"tuteur": "entreprise", "alternant": "alternant", "formateur": "formateur"}
#: what ends the message of a commit made through the web
VIA = "via olap serve"
#: the fields of the need form, in order (every one required: the « pop-up »)
NEED_FIELDS = ("activity", "identified", "due", "detail", "practice")
#: the longest text a form takes (a need's detail, an evaluation's comment)
TEXT_MAX = 2000
#: an address for Git when the actor has none in the data
NO_EMAIL = "sans-adresse@olap.invalid"


@dataclass(frozen=True)
class Actor:
    """The person behind a session: their grant, name, e-mail and side (column)."""

    grant: Grant
    name: str
    email: str
    side: str

    @property
    def author(self) -> str:
        """« Name <e-mail> », for the Git commit of what they do: a name holding « < »,
        « > » or a control character (« Evil <ceo@…> ») cannot choose the e-mail Git
        keeps, nor the e-mail a name."""
        name = "".join(" " if c in "<>" or ord(c) < 32 or ord(c) == 127 else c for c in self.name)
        email = "".join(c for c in self.email if c not in "<> " and ord(c) > 32 and ord(c) != 127)
        return f"{' '.join(name.split()) or '?'} <{email or NO_EMAIL}>"

    @property
    def whole_cohort(self) -> bool:
        return self.grant.role == "formateur" and self.grant.learner == WHOLE_COHORT

    def may_open(self, learner_id: str) -> bool:
        """Does this person's link open the page of *learner_id*?"""
        return access_rules.covers(self.grant, learner_id)


def session_secret(root: Path, secret_dir: Path | None = None) -> str:
    """The secret that signs the web sessions: derived from the cohort's signing key
    (outside the repository), never stored in the cohort; a new signing key ends every
    session as it ends every link."""
    from olapcli.io import secrets
    from olapcli.io.load import require_core

    key = access_rules.cohort_key(require_core(root).cohort)
    signing = secrets.ensure_secret(key, refuse_inside=root, folder=secret_dir)
    return hmac.new(signing.encode(), b"olap-serve-session-v1", hashlib.sha256).hexdigest()


def open_link(
    root: Path, token: str, now: float | None = None, secret_dir: Path | None = None
) -> Grant:
    """The grant a personal link opens (see :func:`olapcli.app.access.check_token`)."""
    return access.check_token(root, token, now, secret_dir)


def current_actor(root: Path, grant_id: str, today: dt.date) -> Actor:
    """The person of the grant *grant_id*, checked again *today*: a link revoked or
    expired since the session began opens nothing more."""
    found = [g for g in access.list_grants(root, today, include_all=True) if g.grant.id == grant_id]
    hint = _("ask the centre for a new link")
    if not found:
        raise access.TokenUnknown(_("This link is unknown."), hint)
    grant, state = found[0].grant, found[0].state
    if state == "revoked":
        raise access.TokenRevoked(_("This link was revoked."), hint)
    if state == "expired":
        raise access.TokenExpired(_("This link has expired."), hint)
    return _actor(root, grant)


def one_learner(root: Path, learner_id: str) -> Learner:
    """The learner *learner_id*, refused when unknown or when their file has errors; kept
    in the server's memory while the file is unchanged."""
    from olapcli.io.memo import LEARNERS
    from olapcli.io.paths import learner_path

    return LEARNERS.one(root, learner_path(root, learner_id)[1])


def _actor(root: Path, grant: Grant) -> Actor:
    from olapcli.io.load import require_core

    side = SIDE[grant.role]
    if grant.role == "formateur":
        for t in require_core(root).cohort.trainers:
            if t.id == grant.person:
                return Actor(grant, f"{t.first_name} {t.last_name}", t.email or "", side)
        return Actor(grant, grant.person, "", side)
    learner = one_learner(root, grant.learner)
    if grant.role == "alternant":
        return Actor(grant, grant.person, learner.email or "", side)
    email = learner.tutor.email if learner.tutor else None
    return Actor(grant, grant.person, email or "", side)


def is_learner(root: Path, learner_id: str) -> bool:
    """Is there a learner *learner_id* in the cohort (a file in learners/)?"""
    from olapcli.io.paths import learner_path

    try:
        learner_path(root, learner_id)
    except UserError:
        return False
    return True


def learner_page(root: Path, learner_id: str, today: dt.date) -> dict[str, Any]:
    """What a learner's page shows: identity, open needs (due dates, resources), the grid
    by group with the levels reached."""
    from olapcli.core.derive.grids import grid, latest_evaluations, open_needs
    from olapcli.core.derive.practicegrids import learner_grids
    from olapcli.io.load import load_base

    learner = one_learner(root, learner_id)
    base, _problems = load_base(root)
    assert base.cohort is not None and base.referentiel is not None
    answered = rules.answered(learner.evaluations)
    titles = rules.subject_titles(base.referentiel, base.cohort)
    shared = {a: list(r.resources) for a, (_rel, r) in base.resources.items()}
    needs = sorted(open_needs(learner), key=lambda n: (n.due, n.id))
    return {
        "learner": learner,
        "cohort": base.cohort,
        "titles": titles,
        "open": [
            (n, rules.need_state(n, answered, today), shared.get(n.activity or "", []))
            for n in needs
        ],
        # where each open need stands in its cycle (open: no evaluation answers it yet)
        "cycles": {n.id: cycle.of(n.steps) for n in needs},
        "groups": grid(learner, base.referentiel, {}, today, {}),
        "levels": {a: ev.level for a, ev in latest_evaluations(learner).items()},
        "trainer_names": {t.id: f"{t.first_name} {t.last_name}" for t in base.cohort.trainers},
        "today": today,
        "own_files": own_files(root, learner_id),
        "practice_grids": learner_grids(base.cohort, learner),
    }


def need_choices(root: Path, learner_id: str, query: str = "") -> dict[str, Any]:
    """What the need form offers: the référentiel's groups (with their question) and the
    practices; with *query*, only the activities whose id or title holds each of its
    words, whatever their case and accents (all of them when none does)."""
    from dataclasses import replace

    from olapcli.app.needs import form

    core = form(root, learner_id)
    groups, found = core.groups, None
    words = rules.same_detail(query[:200]).split()
    if words:
        kept = [
            replace(g, activities=[a for a in g.activities if _holds(words, a.id, a.title)])
            for g in core.groups
        ]
        found = sum(len(g.activities) for g in kept)
        groups = [g for g in kept if g.activities] or core.groups
    return {"groups": groups, "practices": core.practices, "query": query, "found": found}


def _holds(words: list[str], *texts: str) -> bool:
    folded = rules.same_detail(" ".join(texts))
    return all(w in folded for w in words)


@dataclass
class Signalled:
    """The outcome of the need form: per-field errors, a warning to confirm, or done."""

    errors: dict[str, str] = field(default_factory=dict)
    warning: str | None = None
    done: Recorded | None = None


def _parse_day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def signal_need(
    root: Path, learner_id: str, actor: Actor, form: Mapping[str, str], confirmed: bool
) -> Signalled:
    """Record the need of the web form *form* (every field required) as *actor*, with
    the same use-case, lock, commit and e-mails as ``olap need add --commit``; nothing is
    written while a field is wrong, or while a warning is not *confirmed*."""
    from olapcli.app.needs import NeedInput, add_need, check_need
    from olapcli.app.needs import form as need_form

    core = need_form(root, learner_id)
    result = Signalled()
    values = {name: (form.get(name) or "").strip() for name in NEED_FIELDS}
    # « practice/competence »: a competence of a practice's grid, which may stand for the
    # activity (theatre, mobility)
    of, _sep, competence = (form.get("competence") or "").strip().partition("/")
    if competence and (of != values["practice"] or competence not in core.grids.get(of, [])):
        result.errors["competence"] = _("Choose a competence of the chosen practice's grid.")
    for name, value in values.items():
        if not value and not (name == "activity" and competence):
            result.errors[name] = _("This field is required.")
    if len(values["detail"]) > TEXT_MAX:
        result.errors["detail"] = _("At most 2,000 characters.")
    if values["activity"] and values["activity"] not in core.activity_ids():
        result.errors["activity"] = _("Choose an activity of the list.")
    if values["practice"] and values["practice"] not in core.practices:
        result.errors["practice"] = _("Choose a practice of the list.")
    days = {}
    for name in ("identified", "due"):
        if values[name]:
            day = _parse_day(values[name])
            if day is None:
                result.errors[name] = _("Give a date (YYYY-MM-DD).")
            days[name] = day
    ident, due = days.get("identified"), days.get("due")
    if ident and due and rules.due_before_identified(ident, due):
        result.errors["due"] = _("The due date is before the date identified.")
    if result.errors:
        return result
    assert ident is not None and due is not None
    inp = NeedInput(
        activity=values["activity"] or None,
        marked_by=[actor.side],
        identified=ident,
        due=due,
        detail=values["detail"],
        practice=values["practice"],
        competence=competence or None,
    )
    try:
        warnings = check_need(core, inp)
    except UserError as exc:
        result.errors["form"] = exc.message
        return result
    if warnings and not confirmed:
        result.warning = warnings[0]
        return result
    done = writes.write(
        root, lambda: add_need(root, learner_id, inp, True, False, author=actor.author, via=VIA)
    )
    done.notices = _announce(root, [("need", learner_id, done.need.id, None)])
    result.done = done
    return result


def _announce(root: Path, events: list[tuple[str, str, str, str | None]]) -> list[Any]:
    """The e-mails of a web write, once its commit is made (as the command line does
    after its own)."""
    from olapcli.app import notify

    return notify.announce(root, [notify.Event(*e) for e in events])


def confirm_need(root: Path, learner_id: str, need_id: str, actor: Actor) -> None:
    """Mark the need *need_id* by the actor's side too (the company, or the learner,
    confirms a need the trainer recorded): one commit signed by the actor."""
    from olapcli.app.edit import editing, find_item
    from olapcli.io.yamlwrite import flow_list

    message = _("Need {need} of {learner} confirmed by {side}").format(
        need=need_id, learner=learner_id, side=actor.side
    )

    def confirm() -> None:
        with editing(root, learner_id, f"{message} ({VIA})", author=actor.author) as doc:
            _i, need = find_item(doc, "needs", need_id)
            marked = [str(a) for a in need.get("marked_by") or []]
            if actor.side not in marked:
                need["marked_by"] = flow_list([*marked, actor.side])

    writes.write(root, confirm)


def mark_step(
    root: Path,
    learner_id: str,
    need_id: str,
    step: str,
    today: dt.date,
    actor: Actor,
    advantage: str = "",
) -> Recorded:
    """Record the step *step* (one of the cycle's, :data:`olapcli.core.cycle.MARKED`) of a
    need *today*, done by the actor's side, with the *advantage* obtained when it is
    valorised, as ``olap need step --commit --by`` does, signed by the actor."""
    from olapcli.app.steps import step_need

    if step not in cycle.MARKED:
        raise UserError(_("Unknown step « {step} ».").format(step=step))
    steps: dict[str, Any] = {step: today}
    advantage = advantage.strip()
    if advantage and step != "valorised":
        raise UserError(_("An advantage is recorded when the need is valorised."))
    if len(advantage) > TEXT_MAX:
        raise UserError(_("The advantage: at most 2,000 characters."))
    if advantage:
        steps["advantage"] = advantage
    done = writes.write(
        root,
        lambda: step_need(
            root,
            learner_id,
            need_id,
            steps,
            True,
            False,
            author=actor.author,
            via=VIA,
            by=actor.side,
        ),
    )
    from olapcli.app.notify import ANNOUNCED_STEPS

    if step in ANNOUNCED_STEPS:
        done.notices = _announce(root, [("step", learner_id, done.need.id, step)])
    return done


def public_url(root: Path, url: str | None) -> str | None:
    """The public address of the server, checked as ``olap access grant`` checks it:
    *url* (``--public-url``), else ``serve.public_url`` of cohort.yaml, else None."""
    if not url:
        from olapcli.io.load import require_core

        cohort = require_core(root).cohort
        url = cohort.serve.public_url if cohort.serve else None
    return access._public_url(url) if url else None


def warm(root: Path) -> None:
    """Load every learner into the server's memory (the first dashboard need not wait
    for it), then keep what is loaded out of Python's collector passes: a full pass over
    10,000 learners' objects stopped every request for half a second at random."""
    import gc
    import logging
    import time

    from olapcli.io.memo import LEARNERS

    start = time.perf_counter()
    try:
        count = len(LEARNERS.valid(root))
    except UserError:  # a file with errors: the pages say so
        count = 0
    gc.freeze()
    logging.getLogger("olap.warm").info(
        _("{n} learners in memory ({s:.1f} s)").format(n=count, s=time.perf_counter() - start)
    )
