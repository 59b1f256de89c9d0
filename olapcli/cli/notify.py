"""``olap notify``: the e-mails to the learner, the tutor and the trainers."""

from __future__ import annotations

from pathlib import Path

import typer

from olapcli.cli.common import err, out, refuse, root
from olapcli.i18n import _

app = typer.Typer(
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
    from olapcli import notify as core

    folder = root(ctx)
    events, files = core.since(folder, since)
    made = 0
    for event in events:
        queued = core.queue(folder, event, files)
        line = core.say(queued)
        if queued.path is not None:
            made += 1
            out.print(f"{event.name}: {line}", markup=False)
        elif line:
            err.print(line, markup=False)
    out.print(
        _("{n} e-mail(s) added to the outbox ({events} event(s) since {rev}).").format(
            n=made, events=len(events), rev=since
        ),
        markup=False,
    )


def _when(header: object) -> str:
    """The Date header as a reader expects it: local time, ``2026-11-22 14:05``."""
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(str(header)).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):  # no Date, or one olap did not write
        return str(header or "")


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

    from olapcli.io import mail as mailer

    folder = root(ctx)
    _prepare(folder)
    rows = [(_("pending"), p) for p in mailer.pending(folder)]
    if all_:
        rows += [(_("sent"), p) for p in mailer.sent(folder)]
    if not rows:
        out.print(_("The outbox is empty."), markup=False)
        return
    table = Table(show_lines=False)
    for col in (_("State"), _("Date"), _("Subject"), _("Recipients")):
        table.add_column(col)
    for state, path in rows:
        msg = mailer.read(path)
        table.add_row(
            state,
            _when(msg["Date"]),
            str(msg["Subject"] or ""),
            ", ".join(mailer.envelope(msg)),
        )
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
    from olapcli.io import mail as mailer

    folder = root(ctx)
    if dry_run:
        _prepare(folder)
    waiting = mailer.pending(folder)
    if dry_run:
        for path in waiting:
            msg = mailer.read(path)
            out.print(
                _("would send « {subject} » to {to}").format(
                    subject=msg["Subject"], to=", ".join(mailer.envelope(msg))
                ),
                markup=False,
            )
        out.print(_("{n} e-mail(s) would be sent.").format(n=len(waiting)), markup=False)
        return
    settings = mailer.settings()
    _prepare(folder)
    waiting = mailer.pending(folder)
    if not waiting:
        out.print(_("Nothing to send: the outbox is empty."), markup=False)
        return
    if len(waiting) > 10:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(_("Sending"), total=len(waiting))
            result = mailer.send(
                folder, settings, lambda done, _t: bar.update(task, completed=done)
            )
    else:
        result = mailer.send(folder, settings)
    for name, why in result.failed:
        err.print(
            _("Not sent, still pending: {name}: {why}").format(name=name, why=why), markup=False
        )
    for name, refused in result.partial:
        err.print(
            _("Sent to some recipients only: {name}; still pending for {who}.").format(
                name=name, who=", ".join(refused)
            ),
            markup=False,
        )
    left = len(mailer.pending(folder))
    out.print(
        _("{sent} e-mail(s) sent, {left} still pending.").format(
            sent=len(result.sent) + len(result.partial), left=left
        ),
        markup=False,
    )
    if result.failed or result.partial:
        raise typer.Exit(1)


def _prepare(folder: Path) -> None:
    """Write the e-mails of events recorded but not yet composed (see notify.materialise)."""
    from olapcli import notify

    if (folder / notify.OUTBOX / "pending").is_dir():
        for queued in notify.materialise(folder):
            if queued.path is None:
                err.print(notify.say(queued) or "", markup=False)
