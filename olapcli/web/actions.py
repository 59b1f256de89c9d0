"""The routes of the actions added to ``olap serve`` after the need form: the tutor's
(or a trainer's) evaluation, the files deposited in the learner's own folder. Each checks who may, calls one use-case of
:mod:`olapcli.app.serve_actions`, shows a page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request

from olapcli.app import serve as use
from olapcli.app import serve_actions as acts
from olapcli.app import uploads
from olapcli.i18n import _
from olapcli.web import (
    _page,
    _today,
    check_csrf,
    error_page,
    may_open,
    redirect_to,
    root,
)


def _ascii(name: str) -> str:
    """*name* as a quoted header value may hold it (a file committed by hand may have any
    name): letters, digits, dots, dashes and underscores."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def _evaluator(learner_id: str) -> use.Actor:
    """The actor, when their link opens *learner_id* and may evaluate; 403 otherwise."""
    who = may_open(learner_id)
    if not acts.may_evaluate(who):
        abort(403)
    if not use.is_learner(root(), learner_id):
        abort(404)
    return who


def install(app: Flask) -> None:
    """Add the routes to *app*."""

    @app.route("/alternants/<learner_id>/evaluations/nouvelle", methods=["GET", "POST"])
    def new_evaluation(learner_id: str) -> Any:
        who = _evaluator(learner_id)
        learner = use.learner_page(root(), learner_id, _today())["learner"]
        key = (request.form if request.method == "POST" else request.args).get("cible", "")
        aim = acts.target(root(), learner_id, key) if key else None
        if aim is None:
            if request.method == "POST":
                check_csrf()
            choices = acts.eval_choices(root(), learner_id, _today())
            code = 422 if key else 200
            error = _("Choose a need or an activity of the list.") if key else None
            return _page("eval_form", learner=learner, aim=None, error=error, **choices), code
        if request.method == "GET":
            return _page("eval_form", learner=learner, aim=aim, values={}, errors={}, met=[])
        check_csrf()
        values = {name: request.form.get(name, "") for name in ("level", "comment")}
        criteria = request.form.getlist("criteria")
        done = acts.evaluate(root(), learner_id, who, aim, values, criteria, _today())
        if done.done is None:
            met = [c for c in criteria if c.isdigit()]
            body = _page(
                "eval_form", learner=learner, aim=aim, values=values, errors=done.errors, met=met
            )
            return body, 422
        return redirect_to(f"/alternants/{learner_id}?fait=1")

    @app.post("/alternants/<learner_id>/fichiers")
    def deposit(learner_id: str) -> Any:
        # the one route that takes more than MAX_BODY: a file and the CSRF token
        request.max_content_length = uploads.MAX_FILE + 64 * 1024
        who = may_open(learner_id)
        if not use.is_learner(root(), learner_id):
            abort(404)
        check_csrf()
        sent = request.files.get("fichier")
        if sent is None or not sent.filename:
            return error_page(400, _("Choose a file to send."), _("Nothing was recorded."))
        data = sent.stream.read(uploads.MAX_FILE + 1)
        try:
            uploads.deposit(root(), learner_id, sent.filename, data, who.author, use.VIA)
        except uploads.Refused as exc:
            return error_page(exc.status, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1#fichiers")

    @app.get("/alternants/<learner_id>/fichiers/<name>")
    def download(learner_id: str, name: str) -> Any:
        may_open(learner_id)
        data = uploads.own_file(root(), learner_id, name)
        if data is None:
            abort(404)
        return (
            data,
            200,
            {
                "Content-Type": "application/octet-stream",
                "Content-Disposition": f'attachment; filename="{_ascii(name)}"',
                "Cache-Control": "private, no-store",
            },
        )
