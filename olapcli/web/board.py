"""The trainer's dashboard (``/``) and each of its sections in full, page by page
(``/tableau/<section>?page=N``): for a trainer of the whole cohort only."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request

from olapcli.app import dashboard as boards
from olapcli.web import _page, _today, actor, redirect_to, root

#: a page number as a person types it (int() would take « ١ », « +2 » or « 1_0 »)
NUMBER = re.compile(r"[0-9]{1,6}")


def install(app: Flask) -> None:
    """Add the dashboard's routes to *app*."""

    @app.get("/")
    def home() -> Any:
        who = actor()
        if not who.whole_cohort:
            return redirect_to(f"/alternants/{who.grant.learner}")
        today = _today()
        board = boards.dashboard(root(), today)
        return _page(
            "dashboard", board=board, today=today, first=boards.FIRST, sections=boards.SECTIONS
        )

    @app.get("/tableau/<section>")
    def section(section: str) -> Any:
        if not actor().whole_cohort:
            abort(403)
        if section not in boards.SECTIONS:
            abort(404)
        typed = request.args.get("page", "1")
        if not NUMBER.fullmatch(typed):
            abort(404)
        today = _today()
        page = boards.listing(root(), today, section, int(typed))
        if page is None:
            abort(404)
        return _page("board_list", page=page, today=today)
