"""``olap serve``, the web front door (SPEC §9): Flask routes served by waitress.

Each route parses the request, checks who may do it, calls one use-case of
:mod:`olapcli.app.serve` and renders a page of :mod:`olapcli.render.web`. Access, the
session, CSRF, the rate limit and the security headers live here; nothing here reads
the disk, Git or YAML (import-linter's front-doors contract).
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, redirect, request, session
from werkzeug.exceptions import HTTPException

from olapcli.app import serve as use
from olapcli.app.access import TokenError
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.render import web as pages

LOG = logging.getLogger("olapcli.web")
#: the headers of every response, error pages included
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
#: how many links one address may open per minute
LINKS_PER_MINUTE = 20
#: the largest request body accepted (a need's form is a few kilobytes)
MAX_BODY = 64 * 1024


class RateLimit:
    """At most *limit* hits per *window* seconds per client address (in memory)."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float]) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.hits: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = self.clock()
        with self.lock:
            if len(self.hits) > 10_000:  # forget the addresses whose hits are all stale
                self.hits = {c: h for c, h in self.hits.items() if h and h[-1] > now - self.window}
            hits = self.hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True


def _today() -> dt.date:
    from olapcli.app.inputs import today

    return today()


def create_app(
    root: Path,
    secret_dir: Path | None = None,
    public_url: str | None = None,
    now: Callable[[], float] | None = None,
    links_per_minute: int = LINKS_PER_MINUTE,
) -> Flask:
    """The web application over the cohort at *root*. *secret_dir*: where the signing
    keys are (default: OLAP_SECRET_DIR, else ~/.config/olap); *public_url* (https →
    cookies marked Secure); *now*, the clock of the links (tests)."""
    from olapcli.web import actions, board, cohort, prospects, routes

    app = Flask(__name__, static_folder=None, template_folder=None)
    app.config.update(
        SECRET_KEY=use.session_secret(root, secret_dir),
        SESSION_COOKIE_NAME="olap_session",
        SESSION_COOKIE_HTTPONLY=True,
        # Strict: no other site's page sends it. A link clicked in a webmail (another
        # site) answers with a page that goes on to the person's pages from this site
        # (routes.link): then the cookie goes with it
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=(public_url or "").startswith("https://"),
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=MAX_BODY,
    )
    app.extensions["olap"] = {
        "root": root,
        "secrets": secret_dir,
        "now": now,
        "limit": RateLimit(links_per_minute, 60.0, now or time.monotonic),
    }

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.update(HEADERS)
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        return error_page(exc.code or 500)

    @app.errorhandler(UserError)
    def refused(exc: UserError) -> Any:
        # the data refuses (a file with errors, the lock busy, Git declining): said, in
        # French, as the command line says it; nothing was written
        return error_page(409, exc.message, exc.hint or _("Nothing was recorded."))

    @app.errorhandler(Exception)
    def bug(exc: Exception) -> Any:
        # a personal link's token never goes to the log
        path = "/a/…" if request.path.startswith("/a/") else request.path
        LOG.error("erreur inattendue sur %s %s", request.method, path, exc_info=exc)
        return error_page(500)

    routes.install(app)
    board.install(app)
    actions.install(app)
    cohort.install(app)
    prospects.install(app)
    return app


def root() -> Path:
    from flask import current_app

    return Path(current_app.extensions["olap"]["root"])


def clock() -> float | None:
    from flask import current_app

    now = current_app.extensions["olap"]["now"]
    return None if now is None else float(now())


def secrets_folder() -> Path | None:
    from flask import current_app

    folder: Path | None = current_app.extensions["olap"]["secrets"]
    return folder


def limiter() -> RateLimit:
    from flask import current_app

    limit: RateLimit = current_app.extensions["olap"]["limit"]
    return limit


def _page(name: str, **values: Any) -> Any:
    """The page *name* for the session's person: their home, name and role, the CSRF
    token of the forms, the trainer's links over the cohort."""
    who = actor()
    home = "/" if who.whole_cohort else f"/alternants/{who.grant.learner}"
    label = _("{name} ({role})").format(name=who.name, role=who.grant.role)
    return pages.page(
        name,
        home=home,
        who=label,
        csrf=csrf_token(),
        cohort_nav=who.whole_cohort,  # the links to the synoptic table and peer matching
        **values,
    )


def error_page(code: int, message: str | None = None, hint: str | None = None) -> Any:
    """A French error page (never a stack trace)."""
    texts = {
        400: (_("Bad request"), _("The request could not be understood; nothing was recorded.")),
        403: (_("Access refused"), _("This page is not open to your link.")),
        404: (_("Page not found"), _("There is no page at this address.")),
        405: (_("Method not allowed"), _("This address does not accept this kind of request.")),
        409: (_("Not possible now"), _("Nothing was recorded.")),
        413: (_("Request too large"), _("What was sent is too large; nothing was recorded.")),
        415: (_("File not accepted"), _("This kind of file is not accepted.")),
        429: (_("Too many attempts"), _("Too many links opened from your address; wait a minute.")),
        500: (
            _("Server error"),
            _("Something went wrong on the server; it was logged. Try again later."),
        ),
    }
    title, default = texts.get(code) or texts[400 if code < 500 else 500]
    body = pages.page(
        "error", title=title, message=message or default, hint=hint, home=None, who=None
    )
    return body, code, {"Content-Type": "text/html; charset=utf-8"}


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse (400) a POST without this session's CSRF token."""
    sent = request.form.get("csrf", "")
    token = session.get("csrf")
    if not isinstance(token, str) or not hmac.compare_digest(sent.encode(), token.encode()):
        from flask import make_response

        page = error_page(
            400,
            _("This form has expired, or was not sent from this page; nothing was recorded."),
            _("Reload the page, then send the form again."),
        )
        abort(make_response(*page))


def actor() -> use.Actor:
    """The person of this session, checked again on this request; 403 otherwise."""
    if "actor" in g:
        found: use.Actor = g.actor
        return found
    grant_id = session.get("grant")
    if not isinstance(grant_id, str):
        abort(403)
    try:
        g.actor = use.current_actor(root(), grant_id, _today())
    except TokenError:
        session.clear()
        abort(403)
    return g.actor  # type: ignore[no-any-return]


def may_open(learner_id: str) -> use.Actor:
    """The actor, when their link opens *learner_id*'s pages; 403 otherwise."""
    who = actor()
    if not who.may_open(learner_id):
        abort(403)
    return who


def redirect_to(path: str) -> Any:
    """A 303 to *path* (after a link or a POST: the address bar forgets the token, a
    reload does not post again)."""
    response = redirect(path, code=303)
    response.set_data("")
    return response
