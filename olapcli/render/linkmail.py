"""The e-mail of ``olap access grant --send``: one person's own link, to them alone."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from olapcli.core.mailbox import ENVELOPE_FROM, ENVELOPE_TO, address
from olapcli.core.mailpolicy import POLICY
from olapcli.i18n import _
from olapcli.render.email import _address, clean_header


def _what(role: str) -> str:
    """What each role does through the link, said in the e-mail."""
    return {
        "tuteur": _(
            "There you signal the company's imminent needs, confirm those the trainer "
            "recorded, follow their preparation and evaluate the apprentice."
        ),
        "alternant": _(
            "There you follow your needs, mark them prepared, applied or valorised, and "
            "put your documents in your own folder."
        ),
        "formateur": _(
            "There you follow the needs and evaluations, answer them, and act for the "
            "tutor and the apprentice."
        ),
    }[role]


def compose(
    *,
    formation: str,
    centre: str,
    to: tuple[str, str],
    sender: str,
    role: str,
    about: str,
    link: str,
    last: dt.date,
    grant_id: str,
    now: dt.datetime,
) -> EmailMessage:
    """The e-mail carrying *link* to *to* (name, address) alone."""
    from email.utils import format_datetime

    from olapcli.render import render

    addressee = _address(to[0], to[1])
    sender_address = _address(centre or "olap", sender, address)
    if addressee is None or sender_address is None:
        raise ValueError(_("an address of the e-mail is not an e-mail address"))
    msg = EmailMessage(policy=POLICY)
    subject = _("Your personal link to the pages of {about}").format(about=about)
    msg["Subject"] = clean_header(f"[{formation}] {subject}" if formation else subject)
    msg["From"] = sender_address
    msg["To"] = [addressee]
    msg[ENVELOPE_FROM] = sender_address.addr_spec
    msg[ENVELOPE_TO] = addressee.addr_spec
    msg["Date"] = format_datetime(now.replace(microsecond=0))
    domain = sender_address.domain or "olap.invalid"
    msg["Message-ID"] = clean_header(f"<link-{grant_id}@{domain}>")
    msg.set_content(
        render(
            "link.txt.j2",
            name=to[0],
            centre=centre,
            about=about,
            what=_what(role),
            link=link,
            last=last.isoformat(),
        )
    )
    return msg
