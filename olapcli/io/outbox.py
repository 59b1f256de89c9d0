"""The outbox: ``outbox/`` in the cohort's working tree, never committed.

``pending/NAME.event`` notes an event whose e-mail is still to be written (cheap, by
the recording command); ``pending/NAME.eml`` is an e-mail waiting to be sent;
``sent/NAME.eml`` one the server accepted. NAME is the event's stable name, so the
same event is never queued twice; a person's own copy (it carries their personal link)
is ``NAME+ROLE.eml`` beside it (``+`` is never in an event's name). The locks that keep
two writers or two senders apart live in olap's cache folder, never in the working tree.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core.mailbox import ENVELOPE_FROM, ENVELOPE_TO, address, listed
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io.files import atomic_write, atomic_write_bytes
from olapcli.io.store import Store

if TYPE_CHECKING:  # the email package (~13 ms) only when an e-mail is read, not for an event
    from email.message import EmailMessage

OUTBOX = "outbox"
#: who the e-mail still has to reach (written with it; an e-mail only partly accepted
#: keeps the refused ones)
ENVELOPE = ENVELOPE_TO


def folder(root: Path) -> Path:
    """The outbox folder, created with a .gitignore so it is never committed."""
    box = root / OUTBOX
    for sub in ("pending", "sent"):
        # its e-mails are personal data, some with a personal link: the owner's only
        (box / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    ignore = box / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, "# olap: e-mails waiting or sent, never committed\n*\n")
    return box


def known(root: Path, name: str) -> bool:
    """Was the event *name* noted, written or sent already?"""
    return (root / OUTBOX / "pending" / f"{name}.event").exists() or written(root, name)


def note(root: Path, name: str, record: dict[str, Any]) -> Path:
    """Note the event *name* (its *record*) as waiting for its e-mail; the path the
    e-mail will have."""
    box = folder(root)
    atomic_write(box / "pending" / f"{name}.event", json.dumps(record))
    return box / "pending" / f"{name}.eml"


def noted(root: Path) -> list[tuple[Path, dict[str, Any] | None]]:
    """The events waiting for their e-mail: (marker, record), None for a marker that is
    not olap's."""
    out: list[tuple[Path, dict[str, Any] | None]] = []
    for marker in sorted((root / OUTBOX / "pending").glob("*.event")):
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        out.append((marker, record if isinstance(record, dict) else None))
    return out


def failed(root: Path, name: str, why: str | None) -> None:
    """Keep why the e-mail of the event *name* could not be written (None: it was, or
    the event is gone): ``pending/NAME.failed``, read by the next write command."""
    path = root / OUTBOX / "pending" / f"{name}.failed"
    if why is None:
        path.unlink(missing_ok=True)
    elif path.parent.is_dir():
        atomic_write(path, why)


def failures(root: Path) -> list[tuple[dict[str, Any], str]]:
    """The events still waiting whose e-mail could not be written last time: (record,
    why)."""
    out: list[tuple[dict[str, Any], str]] = []
    # the few failures first: a burst of writes leaves hundreds of events waiting, and
    # each write asks this
    pending = root / OUTBOX / "pending"
    try:
        marks = sorted(pending / n for n in os.listdir(pending) if n.endswith(".failed"))
    except (FileNotFoundError, NotADirectoryError):
        return out
    for mark in marks:
        try:
            why = mark.read_text(encoding="utf-8")
            record = json.loads(mark.with_suffix(".event").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # its event is gone (written since) or not olap's
        if isinstance(record, dict):
            out.append((record, why))
    return out


def exists(root: Path) -> bool:
    """Has the outbox been made (by an event noted or an e-mail written)?"""
    return (root / OUTBOX / "pending").is_dir()


def drop(marker: Path) -> None:
    """Forget a noted event (its e-mail written, or the event not olap's)."""
    marker.unlink(missing_ok=True)


def written(root: Path, name: str) -> bool:
    """Is an e-mail of *name* written (waiting or sent), the shared one or a person's own
    copy?"""
    whole, copy = f"{name}.eml", f"{name}+"
    for sub in ("pending", "sent"):
        try:  # the names alone, one pass (a glob matches each against a pattern: slower)
            names = os.listdir(root / OUTBOX / sub)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if whole in names or any(n.startswith(copy) and n.endswith(".eml") for n in names):
            return True
    return False


def write(root: Path, name: str, data: bytes) -> Path:
    """Put the e-mail *name* in the outbox, waiting to be sent."""
    path = folder(root) / "pending" / f"{name}.eml"
    atomic_write_bytes(path, data, private=True)
    return path


def pending(root: Path) -> list[Path]:
    """The e-mails waiting, oldest name first (reading creates nothing)."""
    return sorted((root / OUTBOX / "pending").glob("*.eml"))


def sent(root: Path) -> list[Path]:
    """The e-mails sent."""
    return sorted((root / OUTBOX / "sent").glob("*.eml"))


def read(path: Path, utf8: bool | None = None) -> EmailMessage:
    """An e-mail of the outbox. With *utf8* set, ready to be sent: every header written
    again with ``email.policy.SMTPUTF8`` (True: names and subject in UTF-8) or
    ``email.policy.SMTP`` (False: encoded words), address lists one address a line."""
    from email.message import EmailMessage
    from email.parser import BytesParser

    from olapcli.core.mailpolicy import POLICY, POLICY_FILE, POLICY_UTF8

    kept = POLICY_FILE
    wire = {None: kept, True: POLICY_UTF8.clone(refold_source="all"), False: POLICY}[utf8]
    msg = BytesParser(policy=wire).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    return msg


def envelope(msg: EmailMessage) -> list[str]:
    """Who the e-mail still has to reach: its envelope as olap wrote it from the
    validated addresses, each checked again. An e-mail written by an olap older than
    the envelope header: the addresses of its To and Cc."""
    if msg[ENVELOPE] is not None:
        return listed(msg[ENVELOPE])
    return listed(
        ", ".join(a.addr_spec for h in ("To", "Cc") for a in getattr(msg[h], "addresses", ()))
    )


def sender(msg: EmailMessage) -> str | None:
    """The envelope sender (MAIL FROM) as olap wrote it, checked again."""
    if msg[ENVELOPE_FROM] is not None:
        return address(str(msg[ENVELOPE_FROM]))
    found = [a.addr_spec for a in getattr(msg["From"], "addresses", ())]
    return address(found[0]) if len(found) == 1 else None


def compose_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """Held while e-mails are written, as long as it takes."""
    return Store(root).lock("outbox-compose", None)


def send_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """One ``olap notify send`` at a time per outbox."""
    busy = UserError(_("Another olap notify send is running on this outbox."))
    return Store(root).lock("outbox", 0, busy)
