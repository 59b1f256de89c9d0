"""A real olap serve (waitress on 127.0.0.1, a free port, in a thread) over a real
cohort repository, and a small HTTP client that keeps its session cookie and never
follows redirects (the tests look at each 303)."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import TODAY

LEA = "lea-martin"


@pytest.fixture(autouse=True)
def secret_dir(secrets_folder: Path) -> Path:
    """Every test: its own secrets folder (tests/conftest.py)."""
    return secrets_folder


def token(root: Path, learner: str, role: str, person: str | None = None) -> str:
    """A personal link's token, granted (and committed) as ``olap access grant`` does."""
    import datetime as dt

    from olapcli.app.access import grant_access

    done = grant_access(
        root, learner, role, dt.date.fromisoformat(TODAY), person=person, commit=True
    )
    return done.link.rsplit("/a/", 1)[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Client:
    """HTTP/1.1 to the server, one connection per request, the session cookie kept."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=sent)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for key, value in resp.getheaders():
                if key.lower() == "set-cookie":
                    name, _eq, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, form=form)

    def open_link(self, tok: str) -> Response:
        return self.get(f"/a/{tok}")

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on the page *path*."""
        import re

        found = re.search(r'name="csrf" value="([^"]+)"', self.get(path).text)
        assert found, path
        return found.group(1)


@dataclass
class Server:
    root: Path
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self) -> Client:
        return Client(self.host, self.port)


def start(root: Path, **options: object) -> Iterator[Server]:
    from olapcli.web.server import make_server

    server = make_server(root, "127.0.0.1", 0, **options)
    stop = threading.Event()

    def loop() -> None:  # waitress' own loop, stoppable between two turns
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield Server(root, "127.0.0.1", server.effective_port)
    finally:
        stop.set()
        thread.join(5)
        server.task_dispatcher.shutdown()
        server.close()


@pytest.fixture
def serve(cohort_repo: Path) -> Iterator[Server]:
    """olap serve over a copy of the sample cohort, in this process."""
    yield from start(cohort_repo)
