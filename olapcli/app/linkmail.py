"""``olap access grant --send``: the personal link e-mailed to the person it names,
through the outbox, as the notifications are (``olap notify send`` delivers it).

The link is a key: the e-mail goes to that person alone, is written readable by its
owner only, and only into an outbox Git leaves out of every commit. The address is
checked before the grant is recorded, so a link nobody can receive is never made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from olapcli.core.mailbox import address, recipient
from olapcli.core.model import WHOLE_COHORT
from olapcli.errors import UserError
from olapcli.i18n import _


@dataclass(frozen=True)
class Addressee:
    """Who a link is sent to, and what the e-mail says of it."""

    name: str
    email: str
    #: the learner's name, or the whole cohort
    about: str


def addressee(
    root: Path, role: str, learner: str, person: str | None, public_url: str | None
) -> Addressee:
    """The person a link of *role* for *learner* is sent to: the trainer of cohort.yaml
    (their id or e-mail in *person*), else the learner or the tutor of the learner file,
    *person* being their e-mail when given as one. Refused (exit 2) when there is no
    address, when the server's public address is not given (a link to this computer
    opens nothing in a mailbox), or when the outbox could be committed."""
    from olapcli.app import access
    from olapcli.app.maillinks import outbox_is_private
    from olapcli.core.mailbox import person as full_name
    from olapcli.io.load import require_core, valid_learners

    cohort = require_core(root).cohort
    if not public_url and not (cohort.serve and cohort.serve.public_url):
        raise UserError(
            _("A link sent by e-mail needs the address people reach olap serve by."),
            _("give --public-url (or OLAP_PUBLIC_URL), or serve.public_url in cohort.yaml"),
        )
    about = _("the whole cohort")
    if learner == WHOLE_COHORT and role != "formateur":
        raise UserError(
            _("Only a trainer's link (formateur) opens the whole cohort."),
            _("name one learner, or give --role formateur"),
        )
    if learner != WHOLE_COHORT:
        _rel, model = valid_learners(root, learner)[0]
        about = full_name(model.first_name, model.last_name)
    given = recipient(person) if person else None
    if role == "formateur":  # by id or e-mail, as the grant finds them (refused otherwise)
        trainer_id = access._trainer(cohort, person)
        trainer = next(t for t in cohort.trainers if t.id == trainer_id)
        name, email = full_name(trainer.first_name, trainer.last_name), recipient(trainer.email)
    elif role == "alternant":
        name, email = about, given or recipient(model.email)
    else:
        tutor = model.tutor
        name = full_name(tutor.first_name, tutor.last_name) if tutor else person or ""
        email = given or (recipient(tutor.email) if tutor else None)
    if email is None:
        raise UserError(
            _("No e-mail address for {name}: the link cannot be sent.").format(name=name or role),
            _("add the address to the learner file or cohort.yaml, or give the link by hand"),
        )
    sender = _sender(root)
    if address(sender) is None:
        raise UserError(
            _("The sender address « {address} » is not an e-mail address.").format(address=sender),
            _("set notifications.sender in cohort.yaml, or OLAP_SMTP_FROM"),
        )
    if not outbox_is_private(root):
        raise UserError(
            _("The outbox is not left out of Git: a link e-mailed there could be committed."),
            _("add « outbox/ » to .gitignore, or give the link by hand"),
        )
    return Addressee(name, email, about)


def _sender(root: Path) -> str:
    """The address the e-mails come from, as for the notifications."""
    from olapcli.app.notifyfiles import sender, working_tree

    return sender(working_tree(root).cohort())


def send_link(
    root: Path, to: Addressee, role: str, grant_id: str, link: str, expires: dt.date
) -> Path:
    """Write the e-mail carrying *link* to the outbox; its path."""
    from olapcli.io import outbox
    from olapcli.io.load import require_core
    from olapcli.render.email import serialise
    from olapcli.render.linkmail import compose

    cohort = require_core(root).cohort
    msg = compose(
        formation=cohort.formation.name,
        centre=cohort.formation.centre or cohort.formation.name,
        to=(to.name, to.email),
        sender=_sender(root),
        role=role,
        about=to.about,
        link=link,
        last=expires - dt.timedelta(days=1),
        grant_id=grant_id,
        now=dt.datetime.now().astimezone(),
    )
    return outbox.write(root, f"link-{grant_id}", serialise(msg))
