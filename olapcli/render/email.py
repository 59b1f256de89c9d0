"""The notification e-mails, composed: a text and an HTML part from Jinja templates, the
headers made so that no value can add a header or a recipient, the address lists
proven faithful before the bytes are kept.

Recipients are :class:`email.headerregistry.Address` objects built from addresses
:func:`olapcli.core.mailbox.recipient` accepted; display names are free text, quoted or
encoded by the e-mail package. The envelope (``X-Olap-Envelope-From`` and
``X-Olap-Envelope-To``, removed before sending) is written from the same addresses:
``olap notify send`` never reads it back from To and Cc.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from olapcli.core.events import Event
from olapcli.core.mailbox import (
    ENVELOPE_FROM,
    ENVELOPE_TO,
    address,
    header_text,
    person,
    recipient,
)
from olapcli.core.mailpolicy import POLICY, POLICY_FILE
from olapcli.i18n import _
from olapcli.io import assets


def clean_header(value: object) -> str:
    """A header value on one line: no CR, LF, NUL nor any other control character or
    line separator (no header injection), spaces trimmed."""
    return header_text(value)


#: the templates of the e-mail: its text part and its HTML part
TEMPLATES = assets.MAIL_TEMPLATES


@dataclass
class Mail:
    """Everything the e-mail of an event says, gathered from the cohort's files."""

    event: Event
    cohort: dict[str, Any]
    learner: dict[str, Any]
    need: dict[str, Any] | None
    evaluation: dict[str, Any] | None
    activity: dict[str, Any]
    #: the activity's shared resources
    shared: list[dict[str, Any]]
    #: (name, address) of the learner and the tutor
    to: list[tuple[str, str]]
    #: (name, address) of the learner's trainers
    cc: list[tuple[str, str]]
    sender: str
    now: dt.datetime
    #: a copy for one person: what its file name and Message-ID add to the event's
    copy: str = ""
    #: that person's personal link, and the day it stops working (SPEC §9)
    link: str | None = None
    link_expires: dt.date | None = None


def _address(name: str, email: Any, check: Any = recipient) -> Any:
    """An ``Address`` for *email* as *check* accepts it, or None."""
    from email.headerregistry import Address

    valid = check(email)
    if valid is None:
        return None
    user, domain = valid.rsplit("@", 1)
    return Address(display_name=clean_header(name), username=user, domain=domain)


def _day_before(day: dt.date | None) -> dt.date | None:
    return day - dt.timedelta(days=1) if day else None


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def compose(mail: Mail) -> EmailMessage:
    """The e-mail of *mail*: a text part and an HTML part, from the templates
    ``notify.txt.j2`` and ``notify.html.j2``."""
    from email.utils import format_datetime

    from olapcli.render import render

    event, cohort, learner = mail.event, mail.cohort, mail.learner
    need, evaluation, activity = mail.need, mail.evaluation, mail.activity
    # every key the templates read, present (the templates treat a missing key as a bug)
    done: list[dict[str, str]] = []
    if need is not None:
        given = need.get("steps")
        # a step is a date or a mapping {date, by, notes}: the e-mail says its date
        steps: dict[str, Any] = {
            k: v.get("date") if isinstance(v, dict) else v
            for k, v in (given if isinstance(given, dict) else {}).items()
        }
        done = _cycle(given if isinstance(given, dict) else {})
        need = {
            **dict.fromkeys(("company", "resources", "marked_by", "practice")),
            **need,
            "steps": {**dict.fromkeys(("prepared", "applied", "valorised", "advantage")), **steps},
        }
    if evaluation is not None:
        evaluation = {**dict.fromkeys(("comment", "need", "criteria")), **evaluation}
    activity_id = str((evaluation or need or {}).get("activity", ""))
    formation = (cohort.get("formation") or {}).get("name", "")
    centre = (cohort.get("formation") or {}).get("centre") or formation
    practices = {str(p.get("id")): p.get("label") for p in cohort.get("practices") or []}
    learner_name = person(learner.get("first_name"), learner.get("last_name"))
    tutor = learner.get("tutor") or {}
    to = [a for a in (_address(n, e) for n, e in mail.to) if a]
    cc = [a for a in (_address(n, e) for n, e in mail.cc) if a]

    title = f"{activity_id} {activity.get('title', '')}".strip() or _competence(cohort, need)
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
        "tutor_name": person(tutor.get("first_name"), tutor.get("last_name")),
        "activity": activity,
        "title": title,
        "need": need,
        #: the steps of the need's cycle done, in the cycle's order: name, day, who
        "cycle": done,
        "evaluation": evaluation,
        "practice": practices.get(str((need or {}).get("practice", "qualite")), ""),
        "shared": mail.shared,
        "iso": _iso,
        "actor": _actor,
        "actors": lambda names: ", ".join(_actor(n) for n in names or []),
        "level_name": _level,
        "link": _link,
        # the link works until the day before its grant's expires (docs/format.md)
        "personal": {"link": mail.link, "last": _iso(_day_before(mail.link_expires))}
        if mail.link
        else None,
    }
    sender = _address(centre or "olap", mail.sender, address)
    if sender is None:
        raise ValueError(
            _("the sender address « {address} » is not an e-mail address").format(
                address=clean_header(mail.sender)
            )
        )
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = clean_header(f"[{formation}] {subject}" if formation else subject)
    msg["From"] = sender
    if to:
        msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg[ENVELOPE_FROM] = sender.addr_spec
    msg[ENVELOPE_TO] = ", ".join(a.addr_spec for a in to + cc)
    msg["Date"] = format_datetime(mail.now.replace(microsecond=0))
    msg["Message-ID"] = message_id(event, cohort, sender.addr_spec, mail.copy)
    msg["X-Olap-Event"] = event.name
    text, html = TEMPLATES
    msg.set_content(render(text, **context))
    msg.add_alternative(render(html, **context), subtype="html")
    return msg


def _competence(cohort: dict[str, Any], need: dict[str, Any] | None) -> str:
    """The title of the need's competence of its practice's grid (a need that names no
    sub-activity), else its id."""
    wanted = str((need or {}).get("competence") or "")
    practice = str((need or {}).get("practice") or "")
    for p in cohort.get("practices") or []:
        if isinstance(p, dict) and str(p.get("id")) == practice:
            for c in p.get("grid") or []:
                if isinstance(c, dict) and str(c.get("id")) == wanted:
                    return str(c.get("label") or wanted)
    return wanted


def message_id(event: Event, cohort: dict[str, Any], sender: str, copy: str = "") -> str:
    """The same for the same event (and the same person's *copy*) of the same cohort, on
    every clone."""
    formation = (cohort.get("formation") or {}).get("name", "")
    cohort_tag = hashlib.blake2b(
        f"{formation}\0{cohort.get('start')}".encode(), digest_size=5
    ).hexdigest()
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "olap.invalid"
    return clean_header(f"<{event.name}{copy}.{cohort_tag}@{domain}>")


def _link(url: Any) -> str:
    """*url* when it is an http(s) address safe to link from an e-mail, else ""."""
    from olapcli.render.filters import safe_href

    text = str(url or "").strip()
    if not text.lower().startswith(("http://", "https://")):
        return ""
    return "" if safe_href(text) == "#" else safe_href(text)


def _cycle(steps: dict[str, Any]) -> list[dict[str, str]]:
    """The steps of a need's cycle recorded in *steps* (as read from the file), in the
    cycle's order (Annexe 3's twelve, with ``prepared``): each one's name, day and who
    did it when the file says so."""
    from olapcli.core.cycle import labels
    from olapcli.core.records import MARKS

    names, out = labels(), []
    for key in MARKS:
        mark = steps.get(key)
        if mark is None:
            continue
        when, by = (mark.get("date"), mark.get("by")) if isinstance(mark, dict) else (mark, None)
        out.append({"label": names[key], "date": _iso(when), "by": _actor(by) if by else ""})
    return out


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


def serialise(msg: Any) -> bytes:
    """The bytes of *msg* for the outbox (LF line ends), proven to address in To and Cc
    exactly the recipients of its envelope.

    Address headers are folded one address per line (:data:`olapcli.core.mailpolicy.POLICY`),
    and the result is read back: if an address were still lost, the lists are written
    again without the names; if even that fails, ``ValueError``."""
    from email.parser import BytesParser

    stored = POLICY_FILE
    wanted = [a.strip() for a in str(msg[ENVELOPE_TO] or "").split(",") if a.strip()]

    def read_back(data: bytes) -> list[str]:
        back = BytesParser(policy=stored).parsebytes(data)
        return [a.addr_spec for h in ("To", "Cc") for a in getattr(back[h], "addresses", ())]

    data: bytes = msg.as_bytes(policy=stored)
    if read_back(data) == wanted:
        return data
    for header in ("To", "Cc"):
        if msg[header]:
            plain = [a.addr_spec for a in msg[header].addresses]
            del msg[header]
            msg[header] = ", ".join(plain)
    data = msg.as_bytes(policy=stored)
    if read_back(data) != wanted:
        raise ValueError(_("its address lists cannot be written faithfully"))
    return data
