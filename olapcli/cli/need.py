"""``olap need add | list | step``: the imminent needs of the companies."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import typer

from olapcli.cli import complete
from olapcli.cli.common import (
    ask,
    confirm,
    echo,
    interactive,
    json_text,
    out,
    parse_date_option,
    print_table,
    refuse,
    root,
    say_notices,
)
from olapcli.cli.needview import print_need
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_(
        "Imminent needs of the companies: record, list, follow the cycle.\n\n"
        "Example: olap need list --overdue"
    ),
    no_args_is_help=True,
)


class Format(str, Enum):
    table = "table"
    json = "json"


def _actors(value: str) -> list[str]:
    from olapcli.app.inputs import parse_actors

    return parse_actors(value)


NEED_ADD_HELP = _(
    "Record an imminent need of the learner's company. Every field is required: "
    "on a terminal the missing ones are asked in turn; otherwise the command stops "
    "and lists them.\n\n"
    "Example: olap need add lea-martin --activity 3.2 --by entreprise,alternant "
    '--identified aujourd\'hui --due +3j --detail "Tarte au citron : dosage et cuisson"'
)


@app.command("add", help=NEED_ADD_HELP)
def add(
    ctx: typer.Context,
    learner: str = typer.Argument(
        ..., help=_("Learner id (file name in learners/)."), autocompletion=complete.learners
    ),
    activity: str | None = typer.Option(
        None,
        "--activity",
        "-a",
        help=_("Sub-activity id, e.g. 3.2."),
        autocompletion=complete.activities,
    ),
    by: str | None = typer.Option(
        None,
        "--by",
        "-b",
        help=_("Who marks the need: entreprise, formateur, alternant (comma-separated)."),
    ),
    identified: str | None = typer.Option(
        None, "--identified", "-i", help=_("Date identified (YYYY-MM-DD, aujourd'hui, hier…).")
    ),
    due: str | None = typer.Option(
        None,
        "--due",
        "-d",
        help=_("Date the learner must meet the need (YYYY-MM-DD, demain, vendredi, +3j…)."),
    ),
    detail: str | None = typer.Option(
        None,
        "--detail",
        "-t",
        help=_("The need in the company's words: context, equipment, point of vigilance."),
    ),
    practice: str | None = typer.Option(
        None,
        "--practice",
        "-p",
        help=_("Practice (Annexe 7 column); default qualite."),
        autocompletion=complete.practices,
    ),
    resource: list[str] = typer.Option(
        [], "--resource", "-r", help=_("Proposed resource (http(s) link); repeatable.")
    ),
    company: str | None = typer.Option(
        None, "--company", help=_("Prospect company (contract search).")
    ),
    competence: str | None = typer.Option(
        None,
        "--competence",
        help=_(
            "The competence of the practice's grid the company asks for (theatre, mobility); "
            "it may stand for --activity."
        ),
        autocompletion=complete.competences,
    ),
    prospect: str | None = typer.Option(
        None,
        "--prospect",
        help=_("The prospect the need was collected from (olap prospect list): contract search."),
        autocompletion=complete.prospects,
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", help=_("Do not ask for confirmation when the need is not imminent.")
    ),
    commit: bool = typer.Option(
        False, "--commit", help=_("Commit the changed file with a message saying what happened.")
    ),
) -> None:
    from olapcli.app import needs

    folder = root(ctx)
    core = needs.form(folder, learner)  # an unknown learner is refused before any question
    asking = interactive()

    missing = [
        name
        for name, value in (
            ("--activity", activity or competence),  # a competence may stand for it
            ("--by", by),
            ("--identified", identified),
            ("--due", due),
            ("--detail", detail),
        )
        if value is None or not str(value).strip()
    ]
    if missing and not asking:
        refuse(
            _("The need cannot be recorded: missing {fields}.").format(fields=", ".join(missing)),
            _("give every field (activity, who marks it, dates identified and due, detail)"),
        )
    if activity is None and competence is None:
        from olapcli.cli import prompts

        activity = prompts.activity(core.groups)
    if activity is not None:
        needs.check_activity(core, activity)
    if by is None:
        actors = ask(_("Marked by (entreprise, formateur, alternant)"), _actors)
    else:
        try:
            actors = _actors(by)
        except ValueError:
            refuse(
                _("Unknown actor in « {value} ».").format(value=by),
                _("actors: entreprise, formateur, alternant"),
            )
    from olapcli.cli import prompts

    ident = (
        parse_date_option(identified, "--identified")
        if identified
        else prompts.date(_("Identified on"), default=_("today"))
    )
    due_date = (
        parse_date_option(due, "--due")
        if due
        else prompts.date(_("Due on (demain, vendredi prochain, dans 3 jours, 15/12…)"))
    )
    if detail is None or not detail.strip():
        detail = ask(_("Detail (context, equipment, the company's point of vigilance)"))
    assert isinstance(ident, dt.date) and isinstance(due_date, dt.date)
    inp = needs.NeedInput(
        activity=activity,
        marked_by=actors,
        identified=ident,
        due=due_date,
        detail=detail.strip(),
        practice=practice or "qualite",
        company=company,
        resources=list(resource),
        prospect=prospect,
        competence=competence,
    )
    for warning in needs.check_need(core, inp):
        echo(warning, err=True)
        if asking and not yes and not confirm(_("Record it anyway?"), default=False):
            refuse(_("Nothing recorded."))
    done = needs.add_need(folder, learner, inp, commit)
    echo(_("Imminent need recorded."))
    print_need(done.need, learner)
    say_notices(done.notices)


@app.command(
    "list", help=_("List needs: open, overdue, due soon.\n\nExample: olap need list --due-within 7")
)
def list_(
    ctx: typer.Context,
    learner: str | None = typer.Argument(None, help=_("Only this learner.")),
    open_: bool = typer.Option(False, "--open", help=_("Only needs not yet evaluated.")),
    overdue: bool = typer.Option(
        False, "--overdue", help=_("Only open needs past their due date.")
    ),
    due_within: int | None = typer.Option(
        None, "--due-within", min=0, help=_("Only open needs due within N days.")
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:

    from olapcli.app.inputs import today
    from olapcli.app.needlist import list_needs

    rows = list_needs(root(ctx), today(), learner, open_, overdue, due_within)
    if fmt is Format.json:
        data = [
            {
                "learner": row.learner,
                "open": row.open,
                "overdue": row.state == "late",
                **row.need.model_dump(mode="json", by_alias=True, exclude_none=True),
            }
            for row in rows
        ]
        out.print(json_text(data), markup=False)
        return
    from olapcli.render.tables import Column

    heads = (_("Learner"), _("Need"), _("Activity"), _("Identified"), _("Due"), _("State"))
    columns = [*map(Column, heads), Column(_("Detail"), wrap=True)]
    states = {
        "": _("evaluated"),
        "late": (_("overdue"), "bold red"),
        "soon": (_("due soon"), "yellow"),
        "open": _("open"),
    }
    cells = [
        [
            row.learner,
            row.need.id,
            row.need.activity or f"({row.need.competence})",  # a competence of its practice's grid
            row.need.identified.isoformat(),
            row.need.due.isoformat(),
            states[row.state],
            row.need.detail,
        ]
        for row in rows
    ]
    print_table(_("Imminent needs"), columns, cells)
    out.print(_("{n} need(s).").format(n=len(rows)), markup=False)


# the need's cycle and the learner's notes: their own module (this one stays short)
from olapcli.cli import needsteps  # noqa: E402

app.command("step", help=needsteps.STEP_HELP)(needsteps.step)
app.command("note", help=needsteps.NOTE_HELP)(needsteps.note)
