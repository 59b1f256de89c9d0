"""The routes of the trainer whose link covers the whole cohort, beyond the dashboard
(issue 12, point 3): the synoptic table (``/synoptique``) and peer matching
(``/entraide``), a page at a time. Anyone else gets a 403: a tutor's or an
apprentice's link, or a trainer's for one learner, opens one learner's pages only."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request

from olapcli.app import serve_cohort as use
from olapcli.errors import UserError
from olapcli.web import _page, _today, actor, error_page, root


def _whole_cohort() -> None:
    """403 unless the session is a trainer's over the whole cohort."""
    if not actor().whole_cohort:
        abort(403)


def _page_number() -> int:
    """``?page=N`` (1 when absent); 400 when it is not a number."""
    raw = request.args.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        abort(400)
    return int(raw)


def install(app: Flask) -> None:
    """Add the routes to *app*."""

    @app.get("/synoptique")
    def synoptic() -> Any:
        _whole_cohort()
        try:
            data = use.synoptic_page(root(), _page_number(), _today())
        except use.NoSuchPage:
            abort(404)
        return _page("synoptic", **data)

    @app.get("/entraide")
    def pairs() -> Any:
        _whole_cohort()
        activity = request.args.get("activite") or None
        try:
            data = use.pairs_page(root(), _page_number(), activity)
        except use.NoSuchPage:
            abort(404)
        except UserError as exc:
            return error_page(404, exc.message, exc.hint)
        return _page("pairs", **data)
