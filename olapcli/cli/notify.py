"""``olap notify``: the e-mails to the learner, the tutor and the trainers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from olapcli.cli.common import err, out, progress_bar, refuse, root
from olapcli.i18n import _

if TYPE_CHECKING:
    from olapcli.app.notify import Notice

app = typer.Typer(
    add_completion=False,
    help=_(
        "Notification e-mails. Recording a need, an evaluation, or a need applied or "
        "valorised writes an e-mail to the outbox (outbox/ in the cohort, never committed); "
        "olap notify send delivers them over SMTP, each one once.\n\n"
        "With --since REV, build the e-mails of the needs and evaluations added by the "
        "commits since REV (for sending from CI after a push).\n\n"
        "Example: olap notify --since origin/main~1 && olap notify send"
    ),
    invoke_without_command=True,
)


@app.callback()
def notify(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="REV",
        help=_("Build the e-mails of what the commits since REV added (REV excluded)."),
    ),
) -> None:
    if ctx.invoked_subcommand is not None:
        if since is not None:
            refuse(_("--since goes alone: olap notify --since REV, then olap notify send."))
        return
    if since is None:
        out.print(ctx.get_help(), markup=False)
        raise typer.Exit(0)
    from olapcli.app import notify as notifications

    notices = notifications.since(root(ctx), since)
    made = 0
    for notice in notices:
        line = notice.text()
        if notice.path is not None:
            made += 1
            out.print(f"{notice.event.name}: {line}", markup=False)
        elif line:
            err.print(line, markup=False)
    out.print(
        _("{n} e-mail(s) added to the outbox ({events} event(s) since {rev}).").format(
            n=made, events=len(notices), rev=since
        ),
        markup=False,
    )


@app.command(
    "list",
    help=_(
        "List the e-mails waiting in the outbox (with --all, the sent ones too).\n\n"
        "Example: olap notify list"
    ),
)
def list_(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help=_("Show the sent e-mails too.")),
) -> None:
    from rich.table import Table

    from olapcli.app.notify import listing

    notices, rows = listing(root(ctx), all_)
    _say(notices)
    if not rows:
        out.print(_("The outbox is empty."), markup=False)
        return
    table = Table(show_lines=False)
    for col in (_("State"), _("Date"), _("Subject"), _("Recipients")):
        table.add_column(col)
    states = {"pending": _("pending"), "sent": _("sent")}
    for row in rows:
        table.add_row(states[row.state], row.date, row.subject, ", ".join(row.recipients))
    out.print(table)


@app.command(
    "send",
    help=_(
        "Deliver the pending e-mails over SMTP, each one once; a refused or failed one stays "
        "pending. Settings from the environment: OLAP_SMTP_HOST, OLAP_SMTP_PORT, "
        "OLAP_SMTP_SECURITY (starttls, tls or none), OLAP_SMTP_USER, OLAP_SMTP_PASSWORD.\n\n"
        "Example: olap notify send --dry-run"
    ),
)
def send(
    ctx: typer.Context,
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Say what would be sent, send nothing.")
    ),
) -> None:
    from olapcli.app import notify as notifications

    folder = root(ctx)
    if dry_run:
        notices, mails = notifications.would_send(folder)
        _say(notices)
        for subject, to in mails:
            out.print(
                _("would send « {subject} » to {to}").format(subject=subject, to=", ".join(to)),
                markup=False,
            )
        out.print(_("{n} e-mail(s) would be sent.").format(n=len(mails)), markup=False)
        return
    with progress_bar(_("Sending"), 10) as progress:
        result = notifications.send(folder, progress)
    _say(result.notices)
    if not result.waiting:
        out.print(_("Nothing to send: the outbox is empty."), markup=False)
        return
    outcome = result.outcome
    for name, why in outcome.failed:
        err.print(
            _("Not sent, still pending: {name}: {why}").format(name=name, why=why), markup=False
        )
    for name, refused in outcome.partial:
        err.print(
            _("Sent to some recipients only: {name}; still pending for {who}.").format(
                name=name, who=", ".join(refused)
            ),
            markup=False,
        )
    out.print(
        _("{sent} e-mail(s) sent, {left} still pending.").format(
            sent=len(outcome.sent) + len(outcome.partial), left=result.left
        ),
        markup=False,
    )
    if outcome.failed or outcome.partial:
        err.print(
            "  → "
            + _(
                "check the refused addresses in the learners' files (olap validate) or the "
                "server, then olap notify send again: only what is still pending is sent"
            ),
            markup=False,
        )
        raise typer.Exit(1)


def _say(notices: list[Notice]) -> None:
    for notice in notices:
        line = notice.text()
        if line:
            err.print(line, markup=False)
