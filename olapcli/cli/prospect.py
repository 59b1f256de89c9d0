"""``olap prospect add | step | list``: the contract search of Annexe 2."""

from __future__ import annotations

from enum import Enum

import typer

from olapcli.cli import complete
from olapcli.cli.common import json_text, out, parse_date_option, root
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_(
        "The contract search: the companies a learner without a company (or the centre's "
        "company relations officer, CRE) approaches, from the first call asking for an "
        "imminent production need to the internship and the contract."
    ),
    no_args_is_help=True,
)


class Format(str, Enum):
    table = "table"
    json = "json"


@app.command(
    "add",
    help=_(
        "Record a company approached, with its first call (today unless --date). Prints "
        "the prospect's id, for olap prospect step and olap need add --prospect.\n\n"
        'Example: olap prospect add amina-traore --name "Pâtisserie du Parc" --town Lyon '
        "--by alternant --commit"
    ),
)
def add(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    name: str = typer.Option(..., "--name", help=_("The company's name.")),
    by: str = typer.Option(
        "alternant", "--by", help=_("Who made the first contact: alternant or cre.")
    ),
    date: str | None = typer.Option(
        None, "--date", help=_("Day of the first call (default today).")
    ),
    town: str | None = typer.Option(None, "--town", help=_("The company's town.")),
    contact: str | None = typer.Option(None, "--contact", help=_("The person spoken to.")),
    phone: str | None = typer.Option(None, "--phone", help=_("The company's phone number.")),
    notes: str | None = typer.Option(None, "--notes", help=_("What the company said.")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app import prospects
    from olapcli.app.inputs import today

    when = parse_date_option(date, "--date") if date else today()
    inp = prospects.ProspectInput(
        name,
        by,
        when,  # type: ignore[arg-type]
        town=town,
        contact=contact,
        phone=phone,
        notes=notes,
    )
    pid = prospects.add_prospect(root(ctx), learner, inp, commit)
    out.print(
        _("Prospect recorded: {id} (first call on {date}).").format(id=pid, date=when),
        style="bold green",
        markup=False,
    )


@app.command(
    "step",
    help=_(
        "Record the stage a prospect reached: rappel (call back after preparation), "
        "visite, stage-propose, stage (with --end), contrat-propose, contrat-signe, or "
        "abandon (with --reason). The stages go in this order; one may be skipped.\n\n"
        "Example: olap prospect step amina-traore p-patisserie-du-parc visite --date 2025-09-19"
    ),
)
def step(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    prospect: str = typer.Argument(..., help=_("Prospect id (olap prospect list).")),
    stage: str = typer.Argument(..., help=_("The stage reached.")),
    date: str | None = typer.Option(None, "--date", help=_("Day of the stage (default today).")),
    end: str | None = typer.Option(None, "--end", help=_("Last day of an internship.")),
    reason: str | None = typer.Option(None, "--reason", help=_("Why the prospect is dropped.")),
    notes: str | None = typer.Option(None, "--notes", help=_("Notes on the stage.")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app import prospects
    from olapcli.app.inputs import today

    when = parse_date_option(date, "--date") if date else today()
    until = parse_date_option(end, "--end") if end else None
    inp = prospects.StageInput(stage, when, until, reason, notes)  # type: ignore[arg-type]
    done = prospects.add_stage(root(ctx), learner, prospect, inp, commit)
    out.print(
        _("Prospect {id}: {stage} on {date}.").format(
            id=prospect, stage=prospects.stage_label(done), date=when
        ),
        style="bold green",
        markup=False,
    )


@app.command(
    "list",
    help=_(
        "The prospects of the cohort, or of one learner, and where each stands.\n\n"
        "Example: olap prospect list amina-traore"
    ),
)
def list_(
    ctx: typer.Context,
    learner: str | None = typer.Argument(
        None, help=_("Learner id (default: everyone)."), autocompletion=complete.learners
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:
    import dataclasses

    from olapcli.app import prospects

    rows = prospects.list_prospects(root(ctx), learner)
    if fmt is Format.json:
        out.print(json_text([dataclasses.asdict(r) for r in rows]), markup=False)
        return
    if not rows:
        out.print(_("No prospect recorded."), markup=False)
        return
    from rich.table import Table

    table = Table(title=_("Prospects"))
    for col in (
        _("Learner"),
        _("Prospect"),
        _("Company"),
        _("First contact"),
        _("Stage"),
        _("Since"),
        _("Needs"),
    ):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.learner,
            r.id,
            r.name + (f" ({r.town})" if r.town else ""),
            r.first_contact,
            prospects.stage_label(r.stage) if r.stage else "—",
            str(r.since or "—"),
            str(r.needs),
        )
    out.print(table)
