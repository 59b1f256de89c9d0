"""Notifications (Annexe 6): one e-mail per event to the learner, the tutor and the trainers.

An event (:mod:`olapcli.core.events`) is a need recorded, an evaluation recorded, or a
need applied or valorised. Its e-mail is built from the cohort's files as they are
after the write (or at a Git revision, for ``olap notify --since``) and kept in the
outbox (:mod:`olapcli.io.outbox`) until ``olap notify send`` delivers it over SMTP
(:mod:`olapcli.io.mail`), once.

Recording stays fast: the write command only notes the event and says who it will
reach (:func:`announce`, no Jinja, no e-mail package); a detached process composes
the e-mail a moment later (:func:`materialise`). This module reads files with the fast
YAML path and imports neither pydantic nor ruamel.yaml: ``olap need add`` uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olapcli.app.maillinks import Personal
from olapcli.app.notifyfiles import Files, sender, working_tree
from olapcli.core.events import ANNOUNCED_STEPS, Event, event_from, events_between
from olapcli.core.layout import learner_rel
from olapcli.core.mailbox import person, recipient
from olapcli.i18n import _
from olapcli.io import env, outbox, yamlread

__all__ = ["ANNOUNCED_STEPS", "Event", "Notice", "announce", "materialise", "queue", "since"]


@dataclass
class Notice:
    """What became of an event's e-mail."""

    event: Event
    path: Path | None  # the .eml it will be or was written to; None when there is none
    recipients: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # who has no e-mail address
    already: bool = False  # the same event was queued or sent before
    skipped: str | None = None  # why there is no e-mail
    failed: str | None = None  # why the e-mail could not be written (the event waits)

    def text(self) -> str | None:
        """A line for the person who acted (None: nothing to say)."""
        if self.failed is not None:
            return _(
                "Warning: the e-mail for {event} could not be written ({why}); the event "
                "stays in the outbox and olap notify send will try again."
            ).format(event=self.event.name, why=self.failed)
        if self.already:
            return None
        if self.path is None:
            return _("No e-mail for {event}: {why}.").format(
                event=self.event.name, why=self.skipped
            )
        line = _(
            "E-mail waiting in the outbox for {n} recipient(s); send it with olap notify send."
        )
        line = line.format(n=len(self.recipients))
        if self.missing:
            line += " " + _("No e-mail address for: {who}.").format(who=", ".join(self.missing))
        return line


def _find(items: Any, item_id: str) -> dict[str, Any] | None:
    for item in items or []:
        if isinstance(item, dict) and str(item.get("id")) == item_id:
            return item
    return None


def _subject(files: Files, event: Event) -> tuple[dict[str, Any], Any, Any]:
    """The learner, need and evaluation *event* is about; ``LookupError`` if absent."""
    learner = files.data(learner_rel(event.learner))
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


def addressees(
    files: Files, learner: dict[str, Any]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """(name, address) of the learner and the tutor (To), of the learner's trainers (Cc),
    and who has no usable address."""
    trainers = {
        str(t.get("id")): t for t in files.cohort().get("trainers") or [] if isinstance(t, dict)
    }
    tutor = learner.get("tutor") or {}
    to: list[tuple[str, str]] = []
    cc: list[tuple[str, str]] = []
    missing: list[str] = []
    for who, someone, box in (
        (_("the learner"), learner, to),
        (_("the tutor"), tutor if isinstance(tutor, dict) else {}, to),
    ):
        email = recipient(someone.get("email"))
        if email is not None:
            box.append((person(someone.get("first_name"), someone.get("last_name")), email))
        else:
            missing.append(who)
    for trainer_id in learner.get("trainers") or []:
        t = trainers.get(str(trainer_id), {})
        email = recipient(t.get("email"))
        if email is not None:
            cc.append((person(t.get("first_name"), t.get("last_name")), email))
        else:
            missing.append(str(trainer_id))
    return to, cc, missing


def compose(
    files: Files,
    event: Event,
    now: dt.datetime | None = None,
    audience: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None,
    own: Personal | None = None,
) -> tuple[Any, list[str]]:
    """The e-mail of *event* (an ``EmailMessage``) to everyone or to *audience* (To, Cc),
    with *own*'s link; who could not be addressed. ``LookupError``: the record is gone."""
    from olapcli.render.email import Mail
    from olapcli.render.email import compose as make

    learner, need, evaluation = _subject(files, event)
    # (render.email.compose fills in every key the templates read)
    activity_id = str((evaluation or need or {}).get("activity", ""))
    to, cc, missing = addressees(files, learner)
    if audience is not None:
        to, cc = audience
    cohort = files.cohort()
    mail = Mail(
        event,
        cohort,
        learner,
        need,
        evaluation,
        files.activity(activity_id),
        files.shared_resources(activity_id) if activity_id else [],
        to,
        cc,
        sender(cohort),
        now or dt.datetime.now().astimezone(),
        **(own.fields() if own else {}),
    )
    return make(mail), missing


def copies(root: Path, files: Files, event: Event) -> tuple[list[tuple[str, Any]], list[str]]:
    """The e-mails of *event* (outbox name, message) and who could not be addressed: a
    copy to each person with a personal link, alone (:mod:`olapcli.app.maillinks`), one
    without any link to the others."""
    from olapcli.app import maillinks

    learner, _need, _evaluation = _subject(files, event)
    to, cc, missing = addressees(files, learner)
    own, rest = maillinks.split(root, files, event.learner, learner, (to, cc))
    made = [(event.name, compose(files, event, None, rest)[0])] if rest[0] or rest[1] else []
    for p in own:
        made.append((event.name + p.person.suffix, compose(files, event, None, p.alone, p)[0]))
    return made, missing


def enabled(files: Files) -> bool:
    """Do write commands queue e-mails (``notifications.by: workstation``, the default)?"""
    return bool((files.cohort().get("notifications") or {}).get("by", "workstation") != "ci")


def note(root: Path, event: Event, files: Files) -> Notice:
    """Note *event* in the outbox unless it is there already; who it will reach is known
    at once, the e-mail itself is written by :func:`materialise`."""
    if outbox.known(root, event.name):
        return Notice(event, None, already=True)
    try:
        learner, _need, _evaluation = _subject(files, event)
    except LookupError:
        return Notice(event, None, skipped=_("not found in the files"))
    to, cc, missing = addressees(files, learner)
    if not to and not cc:
        return Notice(event, None, missing=missing, skipped=_("nobody has an e-mail address"))
    record = {"kind": event.kind, "learner": event.learner, "item": event.item, "step": event.step}
    path = outbox.note(root, event.name, record)
    return Notice(event, path, [e for _n, e in to + cc], missing)


def announce(root: Path, events: list[Event]) -> list[Notice]:
    """After a write: note each event and have its e-mail written in the background.
    The write is done: a problem here becomes a notice, never a failure."""
    files = working_tree(root)
    if not enabled(files):
        return []  # notifications.by: ci — the centre's CI builds them after a push
    notices = []
    for event in events:
        try:
            notices.append(note(root, event, files))
        except Exception as exc:  # the record is safe; only the e-mail is missing
            why = _("The e-mail could not be prepared: {why}").format(why=exc)
            notices.append(Notice(event, None, skipped=why))
    if any(n.path is not None for n in notices):
        from olapcli.io import assets

        try:
            lacking = assets.missing_templates(assets.MAIL_TEMPLATES)  # olap badly installed
            if lacking:
                raise LookupError(
                    _("olap's installation lacks {names}").format(names=", ".join(lacking))
                )
            written = in_background(root)  # the e-mail is written while the trainer goes on
        except Exception as exc:  # the events stay in the outbox: send writes them
            written = [Notice(n.event, None, failed=_why(exc)) for n in notices if n.path]
        failed = {n.event: n for n in written if n.failed is not None}
        notices = [failed.pop(n.event, n) for n in notices] + list(failed.values())
    return notices


def materialise(root: Path, files: Files | None = None) -> list[Notice]:
    """Write the e-mail of every event waiting in the outbox (one process at a time)."""
    from olapcli.render.email import serialise

    files = files or working_tree(root)
    done: list[Notice] = []
    if not outbox.exists(root):
        return done
    with outbox.compose_lock(root):
        for marker, record in outbox.noted(root):
            event = event_from(record)
            if event is None:
                outbox.drop(marker)  # not olap's (or naming a path): dropped
                continue
            if not outbox.written(root, event.name):
                try:
                    made, missing = copies(root, files, event)
                    mails = [(name, msg, serialise(msg)) for name, msg in made]
                except LookupError:
                    done.append(Notice(event, None, skipped=_("not found in the files")))
                except Exception as exc:  # a template, the data: never dropped silently
                    done.append(Notice(event, None, failed=_why(exc)))
                    outbox.failed(root, event.name, _why(exc))  # for the next write command
                    continue  # the marker stays: listed, sent or tried again later
                else:
                    paths = [outbox.write(root, name, data) for name, _msg, data in mails]
                    reached = [a for _name, msg, _data in mails for a in outbox.envelope(msg)]
                    first = paths[0] if paths else None
                    nobody = None if paths else _("nobody has an e-mail address")
                    done.append(Notice(event, first, reached, missing, False, nobody))
            outbox.failed(root, event.name, None)
            outbox.drop(marker)
    return done


def _why(exc: Exception) -> str:
    """*exc* in a few words for the person who acted."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def in_background(root: Path) -> list[Notice]:
    """:func:`materialise` in a detached process, so that the command that recorded the
    event returns at once (composing costs a tenth of a second); in this process with
    ``OLAP_NOTIFY_INLINE=1``. Nothing is lost if that process is stopped or cannot
    write the e-mail: the event stays in the outbox, and ``olap notify list`` and
    ``send`` write its e-mail first (or say why they cannot). What was written here, in
    this process; left to the detached process, the e-mails an earlier one could not
    write (it tries them again)."""
    from olapcli.i18n import language
    from olapcli.io.workers import detached

    if env.get("OLAP_NOTIFY_INLINE"):
        return materialise(root)
    earlier = [(event_from(record), why) for record, why in outbox.failures(root)]
    from olapcli.app import composer  # olap serve: its own thread, not a process

    lang = {"OLAP_LANG": language()}
    if not composer.wake(root) and not detached("olapcli.app.notify", [str(root)], lang):
        return materialise(root)
    return [Notice(event, None, failed=why) for event, why in earlier if event is not None]


def queue(root: Path, event: Event, files: Files | None = None) -> Notice:
    """Write the e-mail of *event* to the outbox now, unless it was queued or sent already."""
    files = files or working_tree(root)
    notice = note(root, event, files)
    if notice.path is not None:
        failed = [n for n in materialise(root, files) if n.event == event and n.failed]
        return failed[0] if failed else notice
    return notice


def since(root: Path, rev: str) -> list[Notice]:
    """Queue the e-mails of what the commits from *rev* (excluded) to HEAD added (for the
    centre's CI, after a push)."""
    from olapcli.io import gitlog

    changes, read = gitlog.changes_since(root, rev, "learners")
    files = Files(read)
    notices = []
    for change in changes:
        rel = change.rel
        if not (rel.startswith("learners/") and rel.endswith(".yaml") and rel.count("/") == 1):
            continue
        learner_id = rel[len("learners/") : -len(".yaml")]
        before, after = yamlread.mapping(change.before), yamlread.mapping(change.after)
        notices += [queue(root, e, files) for e in events_between(learner_id, before, after)]
    return notices


@dataclass
class Waiting:
    """An e-mail of the outbox, as a person wants to see it."""

    state: str  # pending | sent
    date: str
    subject: str
    recipients: list[str]


def listing(root: Path, with_sent: bool = False) -> tuple[list[Notice], list[Waiting]]:
    """The e-mails of the outbox (written first for the events still waiting for theirs),
    and what could not be written."""
    notices = materialise(root)
    rows = [("pending", p) for p in outbox.pending(root)]
    if with_sent:
        rows += [("sent", p) for p in outbox.sent(root)]
    out = []
    for state, path in rows:
        msg = outbox.read(path)
        out.append(
            Waiting(state, _when(msg["Date"]), str(msg["Subject"] or ""), outbox.envelope(msg))
        )
    return [n for n in notices if n.path is None], out


def _when(header: object) -> str:
    """The Date header as a reader expects it: local time, ``2026-11-22 14:05``."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(str(header)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):  # no Date, or one olap did not write
        return str(header or "")


def would_send(root: Path) -> tuple[list[Notice], list[tuple[str, list[str]]]]:
    """What ``send`` would deliver: (subject, recipients) of each e-mail waiting (written
    first for the events still waiting for theirs), and what could not be written."""
    notices = [n for n in materialise(root) if n.path is None]
    mails = [outbox.read(path) for path in outbox.pending(root)]
    return notices, [(str(msg["Subject"]), outbox.envelope(msg)) for msg in mails]


@dataclass
class Sent:
    """What ``send`` did."""

    #: events whose e-mail could not be written
    notices: list[Notice]
    #: how many e-mails were waiting
    waiting: int
    outcome: Any  # olapcli.io.mail.Outcome
    #: how many are still waiting
    left: int


def send(root: Path, progress: Callable[[int, int], None] | None = None) -> Sent:
    """Deliver the pending e-mails over SMTP (settings from the environment, refused when
    missing), each once; a refused or failed one stays pending."""
    from olapcli.io import mail

    settings = mail.settings()
    notices = [n for n in materialise(root) if n.path is None]
    waiting = len(outbox.pending(root))
    outcome = mail.send(root, settings, progress) if waiting else mail.Outcome()
    return Sent(notices, waiting, outcome, len(outbox.pending(root)))


if __name__ == "__main__":  # the detached process of in_background
    import sys

    from olapcli.i18n import pick_language, set_language

    set_language(pick_language([]))
    materialise(Path(sys.argv[1]))
