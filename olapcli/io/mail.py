"""Delivering the outbox over SMTP: each e-mail once, a failed one stays pending.

Settings come from the environment only, never from tracked files:

=====================  ==========================================================
``OLAP_SMTP_HOST``     the server (required to send)
``OLAP_SMTP_PORT``     default 587 with STARTTLS, 465 with TLS, 25 without
``OLAP_SMTP_SECURITY`` ``starttls`` (default), ``tls`` or ``none``
``OLAP_SMTP_USER``     with ``OLAP_SMTP_PASSWORD``: log in (AUTH) before sending
``OLAP_SMTP_CAFILE``   a CA bundle to trust (a centre's own certificate authority)
``OLAP_SMTP_TIMEOUT``  seconds, default 30
=====================  ==========================================================

An e-mail moves from ``pending/`` to ``sent/`` (an atomic rename) only after
the server accepted it. When the server accepts some recipients and refuses
others, the sent copy records the accepted ones and the pending copy keeps
only the refused ones (header ``X-Olap-Envelope-To``), so nobody gets it twice
and nobody is forgotten. ``olap notify send`` holds a lock on the outbox: two
sends at once cannot send the same e-mail twice.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io import files as fsio
from olapcli.io import outbox

ENVELOPE = outbox.ENVELOPE


@dataclass
class Settings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    cafile: str | None
    timeout: float


def settings(env: dict[str, str] | None = None) -> Settings:
    """The SMTP settings of the environment; refused when they are missing or wrong."""
    env = dict(os.environ) if env is None else env
    host = env.get("OLAP_SMTP_HOST", "").strip()
    if not host:
        raise UserError(
            _("No SMTP server is configured: the e-mails stay in the outbox."),
            _(
                "set OLAP_SMTP_HOST (and OLAP_SMTP_PORT, OLAP_SMTP_SECURITY, OLAP_SMTP_USER, "
                "OLAP_SMTP_PASSWORD) in the environment, never in the cohort's files"
            ),
        )
    security = env.get("OLAP_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise UserError(
            _("OLAP_SMTP_SECURITY must be starttls, tls or none, not « {value} ».").format(
                value=security
            )
        )
    default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
    try:
        port = int(env.get("OLAP_SMTP_PORT") or default_port)
        timeout = float(env.get("OLAP_SMTP_TIMEOUT") or 30)
    except ValueError:
        raise UserError(_("OLAP_SMTP_PORT and OLAP_SMTP_TIMEOUT must be numbers.")) from None
    user = env.get("OLAP_SMTP_USER") or None
    password = env.get("OLAP_SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise UserError(_("Give both OLAP_SMTP_USER and OLAP_SMTP_PASSWORD, or neither."))
    return Settings(host, port, security, user, password, env.get("OLAP_SMTP_CAFILE"), timeout)


def _connect(s: Settings) -> smtplib.SMTP:
    """A connection ready to send; refused, in olap's words, when it cannot be made."""
    context = ssl.create_default_context(cafile=s.cafile) if s.security != "none" else None
    smtp: smtplib.SMTP | None = None
    stage = "connect"
    try:
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                stage = "starttls"
                smtp.starttls(context=context)
        if s.user and s.password:
            stage = "login"
            smtp.login(s.user, s.password)
        return smtp
    except (OSError, smtplib.SMTPException) as exc:
        if smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.close()
        nothing = _("nothing was sent; every e-mail stays in the outbox")
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            raise UserError(
                _("The SMTP server refused the user name or password (OLAP_SMTP_USER)."),
                _("check OLAP_SMTP_USER and OLAP_SMTP_PASSWORD; ") + nothing,
            ) from None
        why, what = _why(exc, s, stage)
        raise UserError(
            _("Cannot reach the SMTP server {host}:{port}: {why}").format(
                host=s.host, port=s.port, why=why
            ),
            what + nothing,
        ) from None


def _why(exc: BaseException, s: Settings, stage: str) -> tuple[str, str]:
    """Why the server could not be used, and what to do, in olap's words (Python's and
    the server's English stay out, but for the server's own answer)."""
    import socket

    if isinstance(exc, ssl.SSLCertVerificationError):
        return _("its certificate is not trusted."), _(
            "give the centre's certificate authority in OLAP_SMTP_CAFILE, and check that "
            "OLAP_SMTP_HOST is the name on the certificate; "
        )
    if isinstance(exc, ssl.SSLError):
        return _("the secure connection (TLS) failed."), _(
            "check OLAP_SMTP_SECURITY against the port: tls for 465, starttls for 587; "
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) and stage == "starttls":
        return _("it does not offer STARTTLS."), _(
            "set OLAP_SMTP_SECURITY=tls if it has a TLS port (465), none only on a trusted network; "
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return _("it does not offer to log in (AUTH)."), _(
            "leave OLAP_SMTP_USER and OLAP_SMTP_PASSWORD out, or use its secure port; "
        )
    if isinstance(exc, ConnectionRefusedError):
        return _("nothing answers on port {port} (connection refused).").format(port=s.port), _(
            "check OLAP_SMTP_HOST and OLAP_SMTP_PORT (587 with starttls, 465 with tls) "
            "and that the server is running; "
        )
    if isinstance(exc, socket.gaierror):
        return _("the name {host} is unknown.").format(host=s.host), _(
            "check OLAP_SMTP_HOST and the network; "
        )
    if isinstance(exc, TimeoutError):
        return _("no answer within {seconds} s.").format(seconds=f"{s.timeout:g}"), _(
            "check OLAP_SMTP_HOST, OLAP_SMTP_PORT and the network (a firewall?), or raise "
            "OLAP_SMTP_TIMEOUT; "
        )
    return _lost(exc), _("check the OLAP_SMTP_ settings and the server; ")


def _lost(exc: BaseException) -> str:
    """A connection that broke, said in olap's words."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return _refusal(exc)
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError):
        return _("the server closed the connection.")
    if isinstance(exc, TimeoutError):
        return _("the server stopped answering.")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return _("the connection failed ({reason}).").format(reason=reason)


@dataclass
class Outcome:
    """What ``send`` did."""

    sent: list[str] = field(default_factory=list)  # file names
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    partial: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, refused)


def send(root: Path, s: Settings, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Deliver every pending e-mail. Connection problems stop the run: what was not
    accepted stays pending."""
    result = Outcome()
    with outbox.send_lock(root):
        files = outbox.pending(root)
        if not files:
            return result
        smtp = _connect(s)
        try:
            for done, path in enumerate(files, 1):
                if not _send_one(smtp, path, result):
                    break  # the connection is gone: the rest stays pending
                if progress:
                    progress(done, len(files))
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
    return result


def _send_one(smtp: smtplib.SMTP, path: Path, result: Outcome) -> bool:
    """Send one e-mail; False when the connection cannot be used any more."""
    msg = outbox.read(path)
    to = outbox.envelope(msg)  # the validated addresses olap wrote, never To and Cc
    sender = outbox.sender(msg)
    if not to or sender is None:
        result.failed.append((path.name, _("it has no valid sender or recipient address")))
        return True
    try:
        smtp.ehlo_or_helo_if_needed()
    except (smtplib.SMTPException, OSError) as exc:
        result.failed.append(
            (path.name, _("the connection was lost: {why}").format(why=_lost(exc)))
        )
        return False
    utf8 = smtp.has_extn("smtputf8")  # names in UTF-8; else encoded words
    clean = outbox.read(path, utf8=utf8)
    for header in [h for h in clean if h.lower().startswith("x-olap-")]:
        del clean[header]
    options: tuple[str, ...] = ("SMTPUTF8", "BODY=8BITMIME") if utf8 else ()
    if not utf8 and smtp.has_extn("8bitmime"):
        options = ("BODY=8BITMIME",)  # the French text parts are 8-bit
    try:
        refused = smtp.send_message(clean, from_addr=sender, to_addrs=to, mail_options=options)
    except smtplib.SMTPRecipientsRefused as exc:
        result.failed.append(
            (
                path.name,
                _("every recipient was refused: {who}").format(who=", ".join(exc.recipients)),
            )
        )
        _reset(smtp)
        return True
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        result.failed.append((path.name, _refusal(exc)))
        _reset(smtp)
        return True
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        result.failed.append(
            (path.name, _("the connection was lost: {why}").format(why=_lost(exc)))
        )
        return False
    except smtplib.SMTPException as exc:
        result.failed.append((path.name, _lost(exc)))
        return False
    box = path.parent.parent
    if refused:
        accepted = [a for a in to if a not in refused]
        msg.replace_header(ENVELOPE, ", ".join(accepted)) if msg[ENVELOPE] else msg.add_header(
            ENVELOPE, ", ".join(accepted)
        )
        fsio.atomic_write_bytes(box / "sent" / path.name, bytes(msg), private=True)
        msg.replace_header(ENVELOPE, ", ".join(refused))
        fsio.atomic_write_bytes(path, bytes(msg), private=True)
        result.partial.append((path.name, sorted(refused)))
        return True
    os.replace(path, box / "sent" / path.name)
    result.sent.append(path.name)
    return True


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()


def _refusal(exc: smtplib.SMTPResponseException) -> str:
    text = (
        exc.smtp_error.decode("utf-8", "replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return _("the server refused it ({code} {text})").format(code=exc.smtp_code, text=text)
