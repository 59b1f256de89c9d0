"""Personal links in the notification e-mails (SPEC §9): who of an event's recipients gets
their own copy, carrying their own link.

A link is a key: it opens the learner's page in one person's name. So it is never put in
an e-mail another person receives. A recipient with an active grant (access.yaml: their
role, this learner, naming them, neither revoked nor expired) gets a copy addressed to
them alone, with their link; everybody else shares the e-mail as before, without any
link. The token is signed when the e-mail is written, with this machine's key for the
cohort (:mod:`olapcli.io.secrets`).

No link at all, and no error, when any of these is missing: a grant, the key (never made
here: only ``olap access grant`` makes one), the public address (``OLAP_PUBLIC_URL``, else
``serve.public_url`` in cohort.yaml: a link to 127.0.0.1 opens nothing in a tutor's
mailbox), or an outbox Git leaves out of commits (the e-mails are kept in the working
tree; one that could be committed would publish the key in the repository's history).

Plain data and the fast YAML path only: no pydantic (this runs in the process that
writes the e-mails a moment after ``olap need add``).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.app.notifyfiles import Files
from olapcli.core import access
from olapcli.core.layout import ACCESS
from olapcli.core.links import public_base
from olapcli.core.mailbox import recipient
from olapcli.io import env


@dataclass(frozen=True)
class Person:
    """Someone an event's e-mail is addressed to."""

    role: str  # alternant | tuteur | formateur
    #: a trainer's id (the copy's name tells trainers apart); "" for the others
    ident: str
    name: str
    email: str
    #: what a grant's ``person`` may say to name them (name, e-mail, trainer id)
    names: tuple[str, ...]

    @property
    def suffix(self) -> str:
        """What the file name and Message-ID of their own copy add to the event's."""
        return f"+{self.role}" + (f"-{self.ident}" if self.ident else "")


@dataclass(frozen=True)
class Personal:
    """A person's own copy: their link, and the day it stops working."""

    person: Person
    link: str
    expires: dt.date

    def fields(self) -> dict[str, Any]:
        """What :class:`olapcli.render.email.Mail` says of this copy."""
        return {"copy": self.person.suffix, "link": self.link, "link_expires": self.expires}

    @property
    def alone(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(To, Cc) of their copy: them alone."""
        return [(self.person.name, self.person.email)], []


Audience = tuple[list[tuple[str, str]], list[tuple[str, str]]]


def split(
    root: Path, files: Files, learner_id: str, learner: dict[str, Any], audience: Audience
) -> tuple[list[Personal], Audience]:
    """The people of *audience* (To, Cc) who get their own copy with their link, and
    (To, Cc) of the e-mail the others share (the trainers in To when they are alone)."""
    from olapcli.io import clock

    own = personal_links(root, files, learner_id, people(files, learner), clock.today())
    taken = {(p.person.name, p.person.email) for p in own}
    to, cc = ([a for a in box if a not in taken] for box in audience)
    return own, (to, cc) if to else (cc, [])  # the trainers alone: in To


def public_url(files: Files) -> str | None:
    """The address links start with: ``OLAP_PUBLIC_URL``, else ``serve.public_url`` of
    cohort.yaml; None when neither is a usable http(s) address."""
    forced = env.get("OLAP_PUBLIC_URL").strip()
    if forced:
        return public_base(forced)
    serve = files.cohort().get("serve")
    return public_base(serve.get("public_url")) if isinstance(serve, dict) else None


def _key(files: Files) -> str | None:
    """This machine's signing key for the cohort, or None (none made, unreadable, or
    readable by others: then no link, the e-mail goes as before)."""
    from olapcli.errors import UserError
    from olapcli.io import secrets

    formation = files.cohort().get("formation")
    start = files.cohort().get("start")
    if not isinstance(formation, dict) or not isinstance(start, dt.date):
        return None
    try:
        name = access.secret_name(
            str(formation.get("name") or ""), str(formation.get("centre") or ""), start
        )
        return secrets.read_secret(name)
    except (UserError, ValueError):
        return None


def personal_links(
    root: Path,
    files: Files,
    learner_id: str,
    people: list[Person],
    today: dt.date,
    now: float | None = None,
) -> list[Personal]:
    """The people among *people* whose copy carries their own link, with it."""
    data = files.data(ACCESS)
    grants = data.get("grants") if isinstance(data, dict) else None
    if not isinstance(grants, list) or not grants:
        return []
    chosen = [
        (p, g)
        for p in people
        if (g := access.mail_grant(grants, p.role, learner_id, list(p.names), today))
    ]
    if not chosen:
        return []
    base = public_url(files)
    secret = _key(files) if base else None
    if base is None or secret is None or not outbox_is_private(root):
        return []
    when = time.time() if now is None else now
    return [
        Personal(
            person,
            f"{base}/a/{access.sign_ids(secret, g['id'], g['role'], g['learner'], when)}",
            g["expires"],
        )
        for person, g in chosen
    ]


def outbox_is_private(root: Path) -> bool:
    """Does Git leave the e-mails of the outbox out of every commit?"""
    from olapcli.io import git, outbox

    outbox.folder(root)  # made with its .gitignore when absent
    return git.ignored(root, f"{outbox.OUTBOX}/pending/x+link.eml") and git.ignored(
        root, f"{outbox.OUTBOX}/sent/x+link.eml"
    )


def people(files: Files, learner: dict[str, Any]) -> list[Person]:
    """The learner, the tutor and the learner's trainers who have a usable address."""
    from olapcli.core.mailbox import person

    found = []
    tutor = learner.get("tutor")
    for role, someone in (("alternant", learner), ("tuteur", tutor)):
        if not isinstance(someone, dict):
            continue
        email = recipient(someone.get("email"))
        if email is not None:
            name = person(someone.get("first_name"), someone.get("last_name"))
            found.append(Person(role, "", name, email, (name, email)))
    trainers = {
        str(t.get("id")): t for t in files.cohort().get("trainers") or [] if isinstance(t, dict)
    }
    for trainer_id in learner.get("trainers") or []:
        t = trainers.get(str(trainer_id))
        email = recipient(t.get("email")) if t else None
        if t is None or email is None or not _is_id(str(trainer_id)):
            continue
        name = person(t.get("first_name"), t.get("last_name"))
        found.append(Person("formateur", str(trainer_id), name, email, (str(trainer_id),)))
    return found


def _is_id(text: str) -> bool:
    """An id olap would write (it becomes part of a file name)."""
    import re

    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", text) is not None
