"""The routes of ``olap serve``: each checks who may, calls one use-case, shows a page."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request, session

from olapcli.app import serve as use
from olapcli.app import serve_cohort as cohort
from olapcli.app import serve_prospects as search
from olapcli.app import steps as cycle_steps
from olapcli.app.access import TokenError
from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.render import web as pages
from olapcli.web import (
    _page,
    _today,
    check_csrf,
    clock,
    csrf_token,
    error_page,
    limiter,
    may_open,
    redirect_to,
    root,
    secrets_folder,
)


def _learner_page(learner_id: str, notice: str | None = None) -> Any:
    who = may_open(learner_id)
    if not use.is_learner(root(), learner_id):
        abort(404)
    data = use.learner_page(root(), learner_id, _today())
    steps = [
        ("prepared", _("Mark prepared")),
        ("applied", _("Mark applied")),
        ("valorised", _("Mark valorised")),
    ]
    # any step of the cycle, marked as done today by the person's side
    others = [
        (k, label) for k, label in cycle_steps.step_labels().items() if k in cycle_steps.TWELVE
    ]
    # the peers who can help on each open need: other learners' names, for the eyes of
    # a trainer over the whole cohort only (a tutor's or an apprentice's link covers one)
    # (every learner is looked at: only when there is an open need to help on)
    helpers = cohort.need_peers(root(), learner_id) if who.whole_cohort and data["open"] else {}
    return _page(
        "learner",
        notice=notice,
        side=who.side,
        steps=steps,
        other_steps=others,
        helpers=helpers,
        prospects=search.views(data["learner"]),
        may_search=search.may_search(who),
        **data,
    )


def _form(
    learner_id: str,
    values: dict[str, str],
    errors: dict[str, str],
    warning: str | None,
    code: int = 200,
    query: str = "",
) -> Any:
    choices = use.need_choices(root(), learner_id, query)
    data = use.learner_page(root(), learner_id, _today())
    body = _page(
        "need_form",
        learner=data["learner"],
        cohort=data["cohort"],
        values=values,
        errors=errors,
        warning=warning,
        **choices,
    )
    return body, code


def install(app: Flask) -> None:
    """Add the routes to *app*."""

    @app.get("/static/olap.css")
    def stylesheet() -> Any:
        return (
            pages.stylesheet(),
            200,
            {
                "Content-Type": "text/css; charset=utf-8",
                "Cache-Control": "max-age=3600",
            },
        )

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return "", 204, {"Cache-Control": "max-age=86400"}

    @app.get("/a/<token>")
    def link(token: str) -> Any:
        try:
            grant = use.open_link(root(), token, clock(), secrets_folder())
        except TokenError as exc:
            # only failures count: behind a proxy every person shares one address, and
            # junk sent by anyone must not stop the valid links from opening
            if not limiter().allow(request.remote_addr or "?"):
                return error_page(429)
            return error_page(403, exc.message, exc.hint)
        session.clear()
        session["grant"] = grant.id
        csrf_token()
        # not a redirect: one that follows a click on another site (a webmail) would
        # not carry the SameSite=Strict cookie; this page's own refresh does
        target = "/" if grant.learner == "*" else f"/alternants/{grant.learner}"
        body = pages.page("opening", target=target)
        return body, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}

    @app.post("/deconnexion")
    def logout() -> Any:
        """End this browser's session (a computer shared at the company): the link
        itself stays valid until it expires or is revoked."""
        check_csrf()
        session.clear()
        body = pages.page(
            "error",
            title=_("Logged out"),
            message=_("This browser no longer opens your pages."),
            hint=_("To come back, open your personal link again."),
            home=None,
            who=None,
        )
        return body, 200, {"Content-Type": "text/html; charset=utf-8"}

    @app.get("/alternants/<learner_id>")
    def learner(learner_id: str) -> Any:
        notice = _("Recorded.") if request.args.get("fait") else None
        return _learner_page(learner_id, notice)

    @app.route("/alternants/<learner_id>/besoins/nouveau", methods=["GET", "POST"])
    def new_need(learner_id: str) -> Any:
        who = may_open(learner_id)
        if not use.is_learner(root(), learner_id):
            abort(404)
        if request.method == "GET":
            values = {"identified": _today().isoformat(), "practice": "qualite"}
            return _form(learner_id, values, {}, None, query=request.args.get("q", ""))
        check_csrf()
        values = {name: request.form.get(name, "") for name in (*use.NEED_FIELDS, "competence")}
        confirmed = request.form.get("confirmed") == "1"
        done = use.signal_need(root(), learner_id, who, values, confirmed)
        if done.done is None:
            return _form(learner_id, values, done.errors, done.warning, 422 if done.errors else 200)
        return redirect_to(f"/alternants/{learner_id}?fait=1")

    @app.post("/alternants/<learner_id>/besoins/<need_id>/confirmer")
    def confirm(learner_id: str, need_id: str) -> Any:
        who = may_open(learner_id)
        check_csrf()
        try:
            use.confirm_need(root(), learner_id, need_id, who)
        except UserError as exc:
            return error_page(400, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1")

    @app.post("/alternants/<learner_id>/besoins/<need_id>/etape")
    def step(learner_id: str, need_id: str) -> Any:
        who = may_open(learner_id)
        check_csrf()
        try:
            use.mark_step(
                root(),
                learner_id,
                need_id,
                request.form.get("step", ""),
                _today(),
                who,
                request.form.get("advantage", ""),
            )
        except UserError as exc:
            return error_page(400, exc.message, exc.hint)
        return redirect_to(f"/alternants/{learner_id}?fait=1")
