"""``olap learner add | list | import``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from olapcli.cli import complete
from olapcli.cli.common import (
    ask,
    interactive,
    json_text,
    out,
    parse_date_option,
    print_table,
    refuse,
    root,
    split_list,
)
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False, help=_("The learners (alternants) of the cohort."), no_args_is_help=True
)


class Format(str, Enum):
    table = "table"
    json = "json"


class Status(str, Enum):
    contract = "contract"
    searching = "searching"


@app.command(
    "add",
    help=_(
        'Add a learner; the id is a readable slug of the name.\n\nExample: olap learner add --first-name Léa --last-name Martin --company "Le Bistrot" --trainer fdupont'
    ),
)
def add(
    ctx: typer.Context,
    first_name: str | None = typer.Option(None, "--first-name", help=_("First name.")),
    last_name: str | None = typer.Option(None, "--last-name", help=_("Last name.")),
    email: str | None = typer.Option(None, "--email", help=_("E-mail.")),
    phone: str | None = typer.Option(None, "--phone", help=_("Phone.")),
    status: Status | None = typer.Option(
        None, "--status", help=_("contract, or searching (no company yet).")
    ),
    company: str | None = typer.Option(None, "--company", help=_("Company name.")),
    tutor_first_name: str | None = typer.Option(
        None, "--tutor-first-name", help=_("Company tutor's first name.")
    ),
    tutor_last_name: str | None = typer.Option(
        None, "--tutor-last-name", help=_("Company tutor's last name.")
    ),
    tutor_email: str | None = typer.Option(
        None, "--tutor-email", help=_("Company tutor's e-mail.")
    ),
    trainer: str | None = typer.Option(
        None,
        "--trainer",
        help=_("Trainer ids from cohort.yaml, comma-separated."),
        autocompletion=complete.trainers,
    ),
    contract_start: str | None = typer.Option(
        None, "--contract-start", help=_("Contract start date.")
    ),
    contract_end: str | None = typer.Option(None, "--contract-end", help=_("Contract end date.")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the new file.")),
) -> None:
    from olapcli.app.learners import NewLearner, add_learner

    folder = root(ctx)
    if not first_name or not last_name:
        if not interactive():
            refuse(
                _("The learner cannot be added: missing {fields}.").format(
                    fields=", ".join(
                        n
                        for n, v in (("--first-name", first_name), ("--last-name", last_name))
                        if not v
                    )
                )
            )
        first_name = first_name or str(ask(_("First name")))
        last_name = last_name or str(ask(_("Last name")))
    start = parse_date_option(contract_start, "--contract-start")
    end = parse_date_option(contract_end, "--contract-end")
    item = NewLearner(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        status=(status.value if status else ("contract" if company else "searching")),
        company={"name": company} if company else None,
        tutor={
            "first_name": tutor_first_name or "?",
            "last_name": tutor_last_name,
            "email": tutor_email,
        }
        if tutor_last_name
        else None,
        trainers=split_list(trainer),
        contract={"type": "apprentissage", "start": start, "end": end} if start else None,
    )
    learner_id = add_learner(folder, item, commit)
    out.print(
        _("Learner added: {id} (learners/{id}.yaml).").format(id=learner_id),
        style="bold green",
        markup=False,
    )


@app.command(
    "list",
    help=_(
        "List the learners with their open and overdue needs.\n\nExample: olap learner list --format json"
    ),
)
def list_(
    ctx: typer.Context,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:
    import dataclasses

    from olapcli.app.inputs import today
    from olapcli.app.learners import list_learners

    rows = [dataclasses.asdict(r) for r in list_learners(root(ctx), today())]
    if fmt is Format.json:
        out.print(json_text(rows), markup=False)
        return
    from olapcli.render.tables import Column

    columns = [
        Column(_("Id")),
        Column(_("Name"), wrap=True),
        Column(_("Status")),
        Column(_("Company"), wrap=True),
        *(Column(h, right=True) for h in (_("Needs"), _("Open"), _("Overdue"))),
    ]
    cells = [
        [
            r["id"],
            f"{r['first_name']} {r['last_name']}",
            _("contract") if r["status"] == "contract" else _("searching"),
            r["company"] or "—",
            str(r["needs"]),
            str(r["open"]),
            (str(r["overdue"]), "bold red") if r["overdue"] else "0",
        ]
        for r in rows
    ]
    print_table(_("Learners"), columns, cells)


@app.command(
    "import",
    help=_(
        "Import learners from a CSV or XLSX export; columns are found by their header name (Nom, Prénom, Email, Entreprise, Nom tuteur, Formateur…). Duplicates are refused.\n\nExample: olap learner import inscrits.xlsx --dry-run"
    ),
)
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help=_("CSV or XLSX export of the centre's system.")),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help=_("Show what would be created, write nothing.")
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the new files.")),
) -> None:
    from rich.table import Table

    from olapcli.app.imports import import_learners

    done = import_learners(root(ctx), file, commit, dry_run)
    if not done.written:
        table = Table(title=_("Would create {n} learner(s)").format(n=len(done.learners)))
        for col in (_("Id"), _("Name"), _("Status"), _("Company")):
            table.add_column(col)
        for learner_id, item in done.learners:
            table.add_row(
                learner_id,
                f"{item.first_name} {item.last_name}",
                item.status,
                (item.company or {}).get("name") or "—",
            )
        out.print(table)
        out.print(_("Nothing written (--dry-run)."), markup=False)
        return
    created = [learner_id for learner_id, _item in done.learners]
    out.print(
        _("{n} learner(s) imported: {ids}").format(n=len(created), ids=", ".join(created)),
        style="bold green",
        markup=False,
    )
