"""The routes of the contract search on ``olap serve``: the learner and the trainers add
a prospect and the stages it reaches, and the learner's notes on a need, from the
learner's page. Each checks who may, calls
one use-case of :mod:`olapcli.app.serve_prospects`, and goes back to the page."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request

from olapcli.app import serve as use
from olapcli.app import serve_prospects as search
from olapcli.errors import UserError
from olapcli.web import _today, check_csrf, error_page, may_open, redirect_to, root


def _searcher(learner_id: str) -> use.Actor:
    """The actor, when their link opens *learner_id* and records the search; 403
    otherwise (the tutor's), 404 for no such learner."""
    who = may_open(learner_id)
    if not search.may_search(who):
        abort(403)
    if not use.is_learner(root(), learner_id):
        abort(404)
    return who


def install(app: Flask) -> None:
    """Add the routes to *app*."""

    @app.post("/alternants/<learner_id>/prospects")
    def new_prospect(learner_id: str) -> Any:
        who = _searcher(learner_id)
        check_csrf()
        values = {name: request.form.get(name, "") for name in search.PROSPECT_FIELDS}
        try:
            search.add(root(), learner_id, who, values, _today())
        except UserError as exc:
            return error_page(400, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1#recherche")

    @app.post("/alternants/<learner_id>/prospects/<prospect_id>/etape")
    def prospect_stage(learner_id: str, prospect_id: str) -> Any:
        who = _searcher(learner_id)
        check_csrf()
        values = {name: request.form.get(name, "") for name in search.STAGE_FIELDS}
        try:
            search.step(root(), learner_id, prospect_id, who, values, _today())
        except UserError as exc:
            return error_page(400, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1#recherche")

    @app.post("/alternants/<learner_id>/besoins/<need_id>/note")
    def need_note(learner_id: str, need_id: str) -> Any:
        who = _searcher(learner_id)
        check_csrf()
        try:
            search.note(root(), learner_id, need_id, who, request.form.get("text", ""), _today())
        except UserError as exc:
            return error_page(400, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1#besoins")
