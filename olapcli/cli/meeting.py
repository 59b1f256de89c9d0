"""``olap meeting add``: a meeting with the company (the charter's two a year)."""

from __future__ import annotations

import typer

from olapcli.cli import complete
from olapcli.cli.common import out, parse_date_option, refuse, root, split_list
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_("Meetings with the company: the charter asks for at least two a year."),
    no_args_is_help=True,
)


@app.command(
    "add",
    help=_(
        "Record a meeting with the learner's tutor or employer: a visit, a phone call or "
        "a video call.\n\n"
        "Example: olap meeting add lea-martin --date vendredi --kind visite "
        "--with tuteur,employeur --commit"
    ),
)
def add(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    date: str | None = typer.Option(None, "--date", help=_("Date of the meeting (default today).")),
    kind: str | None = typer.Option(None, "--kind", "-k", help=_("visite, téléphone or visio.")),
    with_: str | None = typer.Option(
        None, "--with", "-w", help=_("Who was met: tuteur, employeur or both (tuteur,employeur).")
    ),
    notes: str | None = typer.Option(None, "--notes", help=_("Notes on the meeting.")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app import meetings
    from olapcli.app.inputs import today

    folder = root(ctx)
    missing = [n for n, v in (("--kind", kind), ("--with", with_)) if not v]
    if missing:
        refuse(
            _("The meeting cannot be recorded: missing {fields}.").format(fields=", ".join(missing))
        )
    assert kind is not None
    when = parse_date_option(date, "--date") if date else today()
    inp = meetings.MeetingInput(
        date=when,  # type: ignore[arg-type]
        kind=kind,
        with_=split_list(with_),
        notes=notes,
    )
    done = meetings.record_meeting(folder, learner, inp, commit)
    result = done.meeting
    out.print(
        _("Meeting recorded: {kind} with {people} on {date}.").format(
            kind=result.kind, people=", ".join(result.with_), date=result.date
        ),
        style="bold green",
        markup=False,
    )
    out.print(
        _("{n} meeting(s) with the company in the twelve months up to this one.").format(
            n=done.in_year
        ),
        markup=False,
    )
