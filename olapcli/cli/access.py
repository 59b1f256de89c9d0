"""``olap access grant | list | revoke``: personal links for the tutor, the apprentice
and the trainers (SPEC §9)."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli import complete
from olapcli.cli.common import json_text, out, refuse, root, styled
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_(
        "Personal links to the cohort's web pages (olap serve), without accounts: one link "
        "names one person, one role — tuteur (the company tutor), alternant (the "
        "apprentice) or formateur (a trainer) — and one learner; a trainer's link may open "
        "the whole cohort (--all). The link carries a signed token that expires; the "
        "signing key stays on this computer, outside the repository (OLAP_SECRET_DIR, else "
        "~/.config/olap). The grants, without any secret, are kept in access.yaml so the "
        "centre can audit and revoke them.\n\n"
        "Example: olap access grant lea-martin --role tuteur --commit"
    ),
    no_args_is_help=True,
)


class Role(str, Enum):
    tuteur = "tuteur"
    alternant = "alternant"
    formateur = "formateur"


class Format(str, Enum):
    table = "table"
    json = "json"


@app.command(
    "grant",
    help=_(
        "Give a personal link and print it (it is shown once: send it to the person). "
        "The person is by default the learner (alternant) or the learner's tutor (tuteur); "
        "a trainer's link needs --person, a trainer id of cohort.yaml, and names one "
        "learner or, with --all, the whole cohort. The link stops working on its expiry "
        "day, or once revoked.\n\n"
        "Example: olap access grant --all --role formateur --person fdupont --days 30"
    ),
)
def grant(
    ctx: typer.Context,
    learner: str | None = typer.Argument(
        None,
        help=_("Learner id (« * » or --all: the whole cohort, trainers only)."),
        autocompletion=complete.learners,
    ),
    role: Role = typer.Option(..., "--role", help=_("tuteur, alternant or formateur.")),
    all_: bool = typer.Option(
        False, "--all", help=_("The whole cohort (a trainer's link, --role formateur).")
    ),
    person: str | None = typer.Option(
        None,
        "--person",
        help=_("Who the link is for: a name or an e-mail (a trainer: the id in cohort.yaml)."),
    ),
    days: int = typer.Option(90, "--days", help=_("How many days the link works.")),
    public_url: str | None = typer.Option(
        None,
        "--public-url",
        envvar="OLAP_PUBLIC_URL",
        help=_("Address of olap serve the link starts with (default http://127.0.0.1:8000)."),
        show_default=False,
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit access.yaml.")),
    send: bool = typer.Option(
        False,
        "--send",
        help=_(
            "E-mail the link to the person, through the outbox (olap notify send delivers "
            "it): their address from the learner file or cohort.yaml, or --person."
        ),
    ),
) -> None:
    from olapcli.app.access import grant_access
    from olapcli.app.inputs import today
    from olapcli.app.linkmail import addressee, send_link

    if all_ and learner is not None:
        refuse(_("Give a learner or --all, not both."))
    if not all_ and learner is None:
        refuse(
            _("Which learner is the link for?"),
            _("give a learner id, or --all for a trainer's link to the whole cohort"),
        )
    whom = "*" if all_ else str(learner)
    to = addressee(root(ctx), role.value, whom, person, public_url) if send else None
    made = grant_access(
        root(ctx),
        whom,
        role.value,
        today(),
        person,
        days,
        public_url,
        commit,
    )
    g = made.grant
    out.print(
        _("Personal link {id}: {role} « {person} » for {learner}, until {expires}.").format(
            id=g.id,
            role=g.role,
            person=g.person,
            learner=_("the whole cohort") if g.learner == "*" else g.learner,
            expires=g.expires,
        ),
        markup=False,
    )
    out.print(made.link, markup=False, soft_wrap=True)
    if to is not None:
        send_link(root(ctx), to, g.role, g.id, made.link, g.expires)
        out.print(
            _("Sent to {name} <{email}> through the outbox: olap notify send delivers it.").format(
                name=to.name, email=to.email
            ),
            markup=False,
        )


@app.command(
    "list",
    help=_(
        "List the personal links that work today (with --all, the expired and revoked "
        "ones too).\n\nExample: olap access list --all"
    ),
)
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help=_("Show expired and revoked links too.")),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:
    from olapcli.app.access import list_grants
    from olapcli.app.inputs import today

    rows = list_grants(root(ctx), today(), all_)
    states = {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}
    if fmt is Format.json:
        data = [{**r.grant.model_dump(mode="json"), "state": r.state} for r in rows]
        out.print(json_text(data), markup=False)
        return
    from rich.table import Table

    table = Table(title=_("Personal links"))
    for col in (_("Id"), _("Role"), _("Learner"), _("Person"), _("Expires"), _("State")):
        table.add_column(col)
    style = {"valid": "green", "expired": "yellow", "revoked": "red"}
    for r in rows:
        g = r.grant
        table.add_row(
            g.id,
            g.role,
            _("whole cohort") if g.learner == "*" else g.learner,
            g.person,
            g.expires.isoformat(),
            styled((states[r.state], style[r.state])),
        )
    out.print(table)
    if not rows:
        out.print(_("No personal link."), markup=False)


@app.command(
    "revoke",
    help=_(
        "Revoke a personal link: it opens nothing from now on (access.yaml keeps it, "
        "marked revoked).\n\nExample: olap access revoke g20261121-3f9a0c2b1d --commit"
    ),
)
def revoke(
    ctx: typer.Context,
    grant_id: str = typer.Argument(..., metavar="ID", help=_("Id of the link (olap access list).")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit access.yaml.")),
) -> None:
    from olapcli.app.access import revoke_grant
    from olapcli.app.inputs import today

    g = revoke_grant(root(ctx), grant_id, today(), commit)
    out.print(
        _("Personal link {id} revoked ({role} « {person} »).").format(
            id=g.id, role=g.role, person=g.person
        ),
        markup=False,
    )
