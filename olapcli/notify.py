"""Notifications (Annexe 6): one e-mail per event to the learner, the tutor and the trainers.

An event is a need recorded, an evaluation recorded, or a need applied or
valorised. Its e-mail is built from the cohort's files as they are after the
write (or as they are at a Git revision, for ``olap notify --since``), from
Jinja2 templates, with a text and an HTML part, and written as a standard
``.eml`` file to the outbox — ``outbox/pending/`` in the cohort's working
tree, never committed. ``olap notify send`` delivers pending e-mails over
SMTP and moves each one to ``outbox/sent/`` only once the server accepted it,
so an e-mail is sent once and a failed one stays pending.

Each event has a stable name (``need-lea-martin-b20261121-3f9a``) that names
its file and its Message-ID: building the same event twice queues nothing new.
This module reads files with the fast YAML path and imports neither pydantic
nor ruamel.yaml: ``olap need add`` calls it and must stay fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.i18n import _
from olapcli.io import files as fsio
from olapcli.io import yamlread as yamlfast

OUTBOX = "outbox"
KINDS = ("need", "eval", "step")
#: the steps of a need that are announced (prepared is the trainer's own business)
ANNOUNCED_STEPS = ("applied", "valorised")
_HEADER_JUNK = re.compile(r"[\r\n\x00]+")


def clean_header(value: object) -> str:
    """A header value with no CR, LF or NUL (no header injection), spaces trimmed."""
    return _HEADER_JUNK.sub(" ", str(value)).strip()


@dataclass(frozen=True)
class Event:
    """Something that happened to a learner and must be told to the three actors."""

    kind: str  # need | eval | step
    learner: str
    item: str  # the need's or the evaluation's id
    step: str | None = None  # applied | valorised, for kind "step"

    @property
    def name(self) -> str:
        """Stable name: the file name in the outbox and the Message-ID's left part."""
        parts = [self.kind, self.learner, self.item] + ([self.step] if self.step else [])
        return "-".join(parts)


@dataclass
class Queued:
    """What :func:`queue` did with an event."""

    event: Event
    path: Path | None  # the .eml written, None when nothing was written
    recipients: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # who has no e-mail address
    already: bool = False  # the same event was queued or sent before
    skipped: str | None = None  # why nothing was written


class Files:
    """The cohort's files as plain data, read through *read* (working tree or a revision)."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self.read = read
        self._cache: dict[str, Any] = {}

    def data(self, rel: str) -> Any:
        if rel not in self._cache:
            raw = self.read(rel)
            try:
                self._cache[rel] = yamlfast.load(raw.decode("utf-8")) if raw is not None else None
            except Exception:  # unreadable at that revision: treated as absent
                self._cache[rel] = None
        return self._cache[rel]

    def activity(self, activity_id: str) -> dict[str, Any]:
        ref = self.data("referentiel.yaml") or {}
        for group in ref.get("groups") or []:
            for act in group.get("activities") or []:
                if str(act.get("id")) == activity_id:
                    return dict(act)
        return {"id": activity_id, "title": ""}

    def shared_resources(self, activity_id: str) -> list[dict[str, Any]]:
        data = self.data(f"resources/{activity_id}.yaml") or {}
        return [
            {"title": "", "url": None, "file": None, **r}
            for r in data.get("resources") or []
            if isinstance(r, dict)
        ]


def working_tree(root: Path) -> Files:
    """The files of the working tree."""

    def read(rel: str) -> bytes | None:
        try:
            return (root / rel).read_bytes()
        except OSError:
            return None

    return Files(read)


def outbox(root: Path) -> Path:
    """The outbox folder, created with a .gitignore so it is never committed."""
    box = root / OUTBOX
    for sub in ("pending", "sent"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    ignore = box / ".gitignore"
    if not ignore.exists():
        fsio.atomic_write(ignore, "# olap: e-mails waiting or sent, never committed\n*\n")
    return box


def _person(first: Any, last: Any) -> str:
    return " ".join(str(x) for x in (first, last) if x)


def _address(name: str, email: Any) -> Any:
    """An ``Address``, or None when *email* is not a usable address."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    if not isinstance(email, str) or "@" not in email:
        return None
    try:
        user, domain = email.strip().rsplit("@", 1)
        return Address(display_name=clean_header(name), username=user, domain=domain)
    except (ValueError, IndexError, HeaderParseError):
        return None


def _find(items: Any, item_id: str) -> dict[str, Any] | None:
    for item in items or []:
        if isinstance(item, dict) and str(item.get("id")) == item_id:
            return item
    return None


def _subject(files: Files, event: Event) -> tuple[dict[str, Any], Any, Any]:
    """The learner, need and evaluation *event* is about; ``LookupError`` if absent."""
    learner = files.data(f"learners/{event.learner}.yaml")
    if not isinstance(learner, dict):
        raise LookupError(event.learner)
    need: dict[str, Any] | None = None
    evaluation: dict[str, Any] | None = None
    if event.kind == "eval":
        evaluation = _find(learner.get("evaluations"), event.item)
        if evaluation is None:
            raise LookupError(event.item)
        if evaluation.get("need"):
            need = _find(learner.get("needs"), str(evaluation["need"]))
    else:
        need = _find(learner.get("needs"), event.item)
        if need is None:
            raise LookupError(event.item)
    return learner, need, evaluation


def _usable(email: Any) -> bool:
    return isinstance(email, str) and email.count("@") == 1 and "." in email.split("@")[1]


def addressees(
    files: Files, learner: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(name, address) of the learner and the tutor (To), of the learner's trainers (Cc),
    and who has no usable address."""
    cohort = files.data("cohort.yaml") or {}
    trainers = {str(t.get("id")): t for t in cohort.get("trainers") or [] if isinstance(t, dict)}
    tutor = learner.get("tutor") or {}
    to: list[tuple[str, str]] = []
    cc: list[tuple[str, str]] = []
    missing: list[str] = []
    for who, person, box in (
        (_("the learner"), learner, to),
        (_("the tutor"), tutor if isinstance(tutor, dict) else {}, to),
    ):
        if _usable(person.get("email")):
            box.append(
                (_person(person.get("first_name"), person.get("last_name")), person["email"])
            )
        else:
            missing.append(who)
    for trainer_id in learner.get("trainers") or []:
        t = trainers.get(str(trainer_id), {})
        if _usable(t.get("email")):
            cc.append((_person(t.get("first_name"), t.get("last_name")), t["email"]))
        else:
            missing.append(str(trainer_id))
    return to, cc, missing


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def compose(files: Files, event: Event, now: dt.datetime | None = None) -> tuple[Any, list[str]]:
    """The e-mail of *event* (an ``EmailMessage``) and who could not be addressed.

    Raises ``LookupError`` when the learner, the need or the evaluation is not
    in the files."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    from olapcli.render import render

    cohort = files.data("cohort.yaml") or {}
    learner, need, evaluation = _subject(files, event)
    # every key the templates read, present (the templates treat a missing key as a bug)
    if need is not None:
        given = need.get("steps")
        steps: dict[str, Any] = given if isinstance(given, dict) else {}
        need = {
            **dict.fromkeys(("company", "resources", "marked_by", "practice")),
            **need,
            "steps": {**dict.fromkeys(("prepared", "applied", "valorised", "advantage")), **steps},
        }
    if evaluation is not None:
        evaluation = {**dict.fromkeys(("comment", "need", "criteria")), **evaluation}
    activity_id = str((evaluation or need or {}).get("activity", ""))
    activity = files.activity(activity_id)
    formation = (cohort.get("formation") or {}).get("name", "")
    centre = (cohort.get("formation") or {}).get("centre") or formation
    practices = {str(p.get("id")): p.get("label") for p in cohort.get("practices") or []}
    learner_name = _person(learner.get("first_name"), learner.get("last_name"))
    tutor = learner.get("tutor") or {}
    to_people, cc_people, missing = addressees(files, learner)
    to = [a for a in (_address(n, e) for n, e in to_people) if a]
    cc = [a for a in (_address(n, e) for n, e in cc_people) if a]

    title = f"{activity_id} {activity.get('title', '')}".strip()
    subject = {
        "need": _("Imminent need for {learner}: {activity}, due {due}"),
        "eval": _("Evaluation of {learner}: {activity}, level {level}"),
        "step": _("Need of {learner} {step}: {activity}"),
    }[event.kind].format(
        learner=learner_name,
        activity=title,
        due=_iso((need or {}).get("due")),
        level=(evaluation or {}).get("level", ""),
        step={"applied": _("applied"), "valorised": _("valorised")}.get(event.step or "", ""),
    )
    context = {
        "event": event,
        "formation": formation,
        "centre": centre,
        "learner": learner,
        "learner_name": learner_name,
        "company": (learner.get("company") or {}).get("name", ""),
        "tutor_name": _person(tutor.get("first_name"), tutor.get("last_name")),
        "activity": activity,
        "title": title,
        "need": need,
        "evaluation": evaluation,
        "practice": practices.get(str((need or {}).get("practice", "qualite")), ""),
        "shared": files.shared_resources(activity_id),
        "iso": _iso,
        "actor": _actor,
        "actors": lambda names: ", ".join(_actor(n) for n in names or []),
        "level_name": _level,
        "link": _link,
    }
    sender = (cohort.get("notifications") or {}).get("sender") or os.environ.get(
        "OLAP_SMTP_FROM", "olap@localhost"
    )
    msg = EmailMessage()
    msg["Subject"] = clean_header(f"[{formation}] {subject}" if formation else subject)
    msg["From"] = _address(centre or "olap", sender) or clean_header(sender)
    if to:
        msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime((now or dt.datetime.now().astimezone()).replace(microsecond=0))
    msg["Message-ID"] = message_id(event, cohort, str(sender))
    msg["X-Olap-Event"] = event.name
    msg.set_content(render("notify.txt.j2", **context))
    msg.add_alternative(render("notify.html.j2", **context), subtype="html")
    return msg, missing


def message_id(event: Event, cohort: dict[str, Any], sender: str) -> str:
    """The same for the same event of the same cohort, on every clone."""
    formation = (cohort.get("formation") or {}).get("name", "")
    cohort_tag = hashlib.blake2b(
        f"{formation}\0{cohort.get('start')}".encode(), digest_size=5
    ).hexdigest()
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "olap.invalid"
    return clean_header(f"<{event.name}.{cohort_tag}@{domain}>")


def _link(url: Any) -> str:
    """*url* when it is an http(s) address safe to link from an e-mail, else ""."""
    from olapcli.render.filters import safe_href

    text = str(url or "").strip()
    if not text.lower().startswith(("http://", "https://")):
        return ""
    return "" if safe_href(text) == "#" else safe_href(text)


def _actor(name: Any) -> str:
    return {
        "entreprise": _("the company"),
        "formateur": _("the trainer"),
        "alternant": _("the learner"),
    }.get(str(name), str(name))


def _level(level: Any) -> str:
    return {
        "A": _("A (autonomous)"),
        "EC": _("EC (being acquired)"),
        "R": _("R (resource for peers)"),
    }.get(str(level), str(level))


def enabled(files: Files) -> bool:
    """Do write commands queue e-mails (``notifications.by: workstation``, the default)?"""
    cohort = files.data("cohort.yaml") or {}
    return bool((cohort.get("notifications") or {}).get("by", "workstation") != "ci")


def _known(box: Path, name: str) -> bool:
    return any(
        (box / sub / f"{name}{ext}").exists()
        for sub, ext in (("pending", ".eml"), ("pending", ".event"), ("sent", ".eml"))
    )


def announce(root: Path, event: Event, files: Files | None = None) -> Queued:
    """Record *event* in the outbox (``pending/NAME.event``), unless it is there already;
    who it will reach is known at once. The e-mail itself is written by :func:`materialise`.

    Cheap on purpose (no Jinja, no e-mail package): ``olap need add`` calls it."""
    import json

    files = files or working_tree(root)
    box = outbox(root)
    if _known(box, event.name):
        return Queued(event, None, already=True)
    try:
        learner, _need, _evaluation = _subject(files, event)
    except LookupError:
        return Queued(event, None, skipped=_("not found in the files"))
    to, cc, missing = addressees(files, learner)
    if not to and not cc:
        return Queued(event, None, missing=missing, skipped=_("nobody has an e-mail address"))
    record = {"kind": event.kind, "learner": event.learner, "item": event.item, "step": event.step}
    fsio.atomic_write(box / "pending" / f"{event.name}.event", json.dumps(record))
    return Queued(event, box / "pending" / f"{event.name}.eml", [e for _n, e in to + cc], missing)


def materialise(root: Path, files: Files | None = None) -> list[Queued]:
    """Write the e-mail of every event waiting in the outbox (one process at a time)."""
    import json

    files = files or working_tree(root)
    box = outbox(root)
    done = []
    with _compose_lock(root):
        for marker in sorted((box / "pending").glob("*.event")):
            try:
                record = json.loads(marker.read_text(encoding="utf-8"))
                event = Event(record["kind"], record["learner"], record["item"], record.get("step"))
            except (OSError, ValueError, KeyError, TypeError):
                marker.unlink(missing_ok=True)  # not olap's: dropped
                continue
            eml = box / "pending" / f"{event.name}.eml"
            if not (eml.exists() or (box / "sent" / eml.name).exists()):
                try:
                    msg, missing = compose(files, event)
                except LookupError:
                    marker.unlink(missing_ok=True)
                    done.append(Queued(event, None, skipped=_("not found in the files")))
                    continue
                recipients = [
                    a.addr_spec for h in ("To", "Cc") for a in (msg[h].addresses if msg[h] else ())
                ]
                fsio.atomic_write_bytes(eml, serialise(msg, recipients))
                done.append(Queued(event, eml, recipients, missing))
            marker.unlink(missing_ok=True)
    return done


def _compose_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """Held while e-mails are written, as long as it takes."""
    from olapcli.io.store import Store

    return Store(root).lock("outbox-compose", None)


def in_background(root: Path) -> None:
    """:func:`materialise` in a detached process, so that the command that recorded the
    event returns at once (composing costs a tenth of a second); in this process with
    ``OLAP_NOTIFY_INLINE=1``. A fresh process, not a fork: a forked copy would make
    this one pay for copying its memory as it exits. Nothing is lost if that process
    is stopped: the event stays in the outbox, and ``olap notify list`` and ``send``
    write its e-mail first."""
    import subprocess
    import sys

    from olapcli.i18n import language

    if os.environ.get("OLAP_NOTIFY_INLINE"):
        materialise(root)
        return
    try:
        subprocess.Popen(
            [sys.executable, "-m", "olapcli.notify", str(root)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "OLAP_LANG": language()},
        )
    except OSError:
        materialise(root)


def queue(root: Path, event: Event, files: Files | None = None) -> Queued:
    """Write the e-mail of *event* to the outbox now, unless it was queued or sent already."""
    files = files or working_tree(root)
    queued = announce(root, event, files)
    if queued.path is not None:
        materialise(root, files)
    return queued


def serialise(msg: Any, recipients: list[str]) -> bytes:
    """The bytes of *msg*, proven to address exactly *recipients*.

    Python's e-mail folding can garble an address list whose names need
    encoding when it folds the line (the comma between two addresses gets
    encoded and the second address is lost). Lines are therefore folded only
    at RFC 5322's hard limit, and the result is read back: if an address is
    still lost, the lists are written again without the names."""
    from email import policy
    from email.parser import BytesParser

    def read_back(data: bytes) -> list[str]:
        back = BytesParser(policy=policy.default).parsebytes(data)
        return [a.addr_spec for h in ("To", "Cc") for a in (back[h].addresses if back[h] else ())]

    long_lines = msg.policy.clone(max_line_length=998)
    data: bytes = msg.as_bytes(policy=long_lines)
    if read_back(data) == recipients:
        return data
    for header in ("To", "Cc"):
        if msg[header]:
            plain = [a.addr_spec for a in msg[header].addresses]
            del msg[header]
            msg[header] = ", ".join(plain)
    data = msg.as_bytes(policy=long_lines)
    if read_back(data) != recipients:
        raise ValueError("the e-mail's address lists cannot be written faithfully")
    return data


def say(q: Queued) -> str | None:
    """A line for the trainer about what happened to the e-mail (None: nothing to say)."""
    if q.already:
        return None
    if q.path is None:
        return _("No e-mail for {event}: {why}.").format(event=q.event.name, why=q.skipped)
    line = _("E-mail waiting in the outbox for {n} recipient(s); send it with olap notify send.")
    line = line.format(n=len(q.recipients))
    if q.missing:
        line += " " + _("No e-mail address for: {who}.").format(who=", ".join(q.missing))
    return line


def events_between(learner_id: str, before: str | None, after: str | None) -> list[Event]:
    """The events told by the change of a learner file from *before* to *after*:
    needs and evaluations added, needs newly applied or valorised."""
    from olapcli.history import _by_id, _load

    old, new = _load(before), _load(after)
    if after is None:
        return []
    events = []
    old_needs = _by_id(old.get("needs"))
    for nid, need in _by_id(new.get("needs")).items():
        if nid not in old_needs:
            events.append(Event("need", learner_id, nid))
        was = old_needs.get(nid, {}).get("steps") or {}
        now = need.get("steps") or {}
        for step in ANNOUNCED_STEPS:
            if (
                isinstance(now, dict)
                and now.get(step)
                and not (isinstance(was, dict) and was.get(step))
            ):
                events.append(Event("step", learner_id, nid, step))
    old_evals = _by_id(old.get("evaluations"))
    events += [
        Event("eval", learner_id, eid)
        for eid in _by_id(new.get("evaluations"))
        if eid not in old_evals
    ]
    return events


def since(root: Path, rev: str) -> tuple[list[Event], Files]:
    """The events of the commits from *rev* (excluded) to HEAD, and the files at HEAD."""
    from olapcli.io import git

    changes, read = git.changes_since(root, rev, "learners")
    events: list[Event] = []
    for change in changes:
        rel = change.rel
        if not (rel.startswith("learners/") and rel.endswith(".yaml") and rel.count("/") == 1):
            continue
        learner_id = rel[len("learners/") : -len(".yaml")]
        events += events_between(learner_id, change.before, change.after)
    return events, Files(read)


if __name__ == "__main__":  # the detached process of in_background
    import sys

    from olapcli.i18n import pick_language, set_language

    set_language(pick_language([]))
    materialise(Path(sys.argv[1]))
