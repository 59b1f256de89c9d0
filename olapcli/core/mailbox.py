"""E-mail addresses and header text that cannot change who an e-mail reaches.

A recipient is what :func:`address` accepts (``local@domain``, ASCII, nothing a mail
parser could read as a separator, a quote, a comment or a new header line); the
envelope of an e-mail (MAIL FROM, RCPT TO) is made of such addresses only, never read
back from its To and Cc headers. Display names are free text: :func:`header_text`
makes them one line, and the e-mail package quotes or encodes them.

:data:`POLICY` is ``email.policy.SMTP`` whose address headers (From, To, Cc) are
folded one address per line. The stock folding garbles a list whose display names
need encoded words when the line is full (Python 3.11: the comma between two
addresses is encoded as ``=?utf-8?q?=2C?=`` and the second address is lost);
:data:`POLICY_UTF8` is the same for a server that offers SMTPUTF8 (names in UTF-8).
"""

from __future__ import annotations

import re
from typing import Any

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
#: what str.splitlines() breaks on, and every other control character
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s{2,}")

#: olap's own headers (removed before sending): the envelope, from validated addresses
ENVELOPE_FROM = "X-Olap-Envelope-From"
ENVELOPE_TO = "X-Olap-Envelope-To"


def address(value: Any) -> str | None:
    """*value* as an address olap may put in an envelope (spaces and tabs around it
    removed),
    or None: ``local@domain`` in ASCII, a dot-atom local part of at most 64
    characters, a domain of letter-digit-hyphen labels, 254 characters at most."""
    if not isinstance(value, str):
        return None
    text = value.strip(" \t")
    if len(text) > 254 or text.count("@") != 1:
        return None
    local, domain = text.split("@")
    if len(local) > 64 or not _LOCAL.fullmatch(local):
        return None
    if not all(_LABEL.fullmatch(label) for label in domain.split(".")):
        return None
    return text


def recipient(value: Any) -> str | None:
    """An :func:`address` whose domain has a dot (no ``root@localhost``), or None."""
    text = address(value)
    return text if text is not None and "." in text.split("@")[1] else None


def listed(value: object) -> list[str]:
    """The addresses of an envelope header (« a@x.fr, b@y.fr »), each checked again:
    what :func:`recipient` refuses is left out."""
    found = (recipient(part) for part in str(value or "").split(","))
    return [a for a in found if a is not None]


def header_text(value: object) -> str:
    """*value* on one line: control characters and line separators (CR, LF, NUL, NEL,
    U+2028…) become spaces, runs of spaces one space, ends trimmed."""
    return _SPACES.sub(" ", _NOT_ONE_LINE.sub(" ", str(value))).strip()


def person(first: Any, last: Any) -> str:
    """« first last », leaving out what is missing (a display name)."""
    return " ".join(str(x) for x in (first, last) if x)
