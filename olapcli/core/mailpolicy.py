"""The ``email`` policies of olap's e-mails: address lists that stay whole.

:data:`POLICY` is ``email.policy.SMTP`` whose address headers (From, To, Cc…) are
folded one address per line. The stock folding garbles a list whose display names
need encoded words when the line is full (Python 3.11: the comma between two
addresses goes out as ``=?utf-8?q?=2C?=`` and the second address is lost);
:data:`POLICY_UTF8` is the same for a server that offers SMTPUTF8 (names in UTF-8,
as ``email.policy.SMTPUTF8``).
"""

from __future__ import annotations

from email.policy import EmailPolicy
from typing import Any

#: headers holding addresses: folded one address per line
ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})


class _AddressFolding(EmailPolicy):
    """An ``EmailPolicy`` folding address headers one address per line."""

    def fold(self, name: str, value: Any) -> str:
        folded = self._addresses(name, value)
        return super().fold(name, value) if folded is None else folded

    def fold_binary(self, name: str, value: Any) -> bytes:
        folded = self._addresses(name, value)
        if folded is None:
            return super().fold_binary(name, value)
        return folded.encode("utf-8" if self.utf8 else "ascii", "surrogateescape")

    def _addresses(self, name: str, value: Any) -> str | None:
        if name.lower() not in ADDRESS_HEADERS:
            return None
        if not hasattr(value, "name"):
            lines = str(value).splitlines()
            limit = self.max_line_length or 998
            if self.refold_source != "all" and all(
                len(line) + (len(name) + 2 if i == 0 else 0) <= limit
                for i, line in enumerate(lines)
            ):
                return None  # a line read from a file, short enough: kept as it is
            value = self.header_factory(name, "".join(lines))
        addresses = getattr(value, "addresses", ())
        if len(addresses) < 2:
            return None
        sep = "," + self.linesep + " "
        parts = []
        for one in addresses:
            line = self.header_factory(name, [one]).fold(policy=self)
            parts.append(line[len(name) + 1 :].strip())  # without "Name:" and the linesep
        return f"{name}: " + sep.join(parts) + self.linesep


#: e-mails in the outbox and on the wire: encoded words for names, CRLF
POLICY: EmailPolicy = _AddressFolding(linesep="\r\n")  # email.policy.SMTP, refolded
#: for a server offering SMTPUTF8: names and subject in UTF-8
POLICY_UTF8: EmailPolicy = POLICY.clone(utf8=True)
#: the outbox's files: LF line ends, lines folded only at RFC 5322's hard limit (a
#: Message-ID stays on its line); refolded for the wire by POLICY or POLICY_UTF8
POLICY_FILE: EmailPolicy = POLICY.clone(linesep="\n", max_line_length=998)
