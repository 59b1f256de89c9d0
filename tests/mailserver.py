"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, keeping what it accepted."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping what it accepted; it can drop the connection."""

    def __init__(self, drop_at: int | None = None, refuse: set[str] | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.drop_at = drop_at
        self.refuse = refuse or set()
        self.seen = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.drop_at is not None and self.seen >= self.drop_at:
            session.transport.abort()  # the connection drops before any answer
            return "421 gone"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


class Server:
    def __init__(self, handler: Inbox, password: str | None = None, **tls) -> None:
        self.port = free_port()
        kwargs = dict(tls)
        if password is not None:

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = auth_data.login == b"cfa" and auth_data.password == password.encode()
                return AuthResult(success=ok, handled=False)  # False: aiosmtpd answers 535

            kwargs |= {
                "authenticator": authenticator,
                "auth_require_tls": False,  # plain text on 127.0.0.1 only
                "auth_required": True,
            }
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **kwargs)
        self.inbox = handler

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "OLAP_SMTP_HOST": "127.0.0.1",
            "OLAP_SMTP_PORT": str(self.port),
            "OLAP_SMTP_SECURITY": "none",
            "OLAP_SMTP_TIMEOUT": "5",
            **extra,
        }


@pytest.fixture
def smtp(request):
    made = []

    def start(handler: Inbox | None = None, password: str | None = None, **tls) -> Server:
        server = Server(handler or Inbox(), password, **tls)
        server.controller.start()
        made.append(server)
        return server

    yield start
    for server in made:
        server.controller.stop()
