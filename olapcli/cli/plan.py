"""``olap plan set``: AR, AS and the planned company periods of an activity."""

from __future__ import annotations

import typer

from olapcli.cli import complete
from olapcli.cli.common import out, root, split_list
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_(
        "The learner's plan: which activities the company can (AR) and wishes (AS) to entrust, and when."
    ),
    no_args_is_help=True,
)


@app.command(
    "set",
    help=_(
        "Set AR / AS / planned periods of one activity.\n\nExample: olap plan set lea-martin 3.2 --ar --as --periods P2,P3"
    ),
)
def set_(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    activity: str = typer.Argument(..., help=_("Sub-activity id.")),
    ar: bool | None = typer.Option(None, "--ar/--no-ar", help=_("Feasible in this company (AR).")),
    as_: bool | None = typer.Option(
        None, "--as/--no-as", help=_("The company wishes to entrust it (AS).")
    ),
    periods: str | None = typer.Option(
        None, "--periods", help=_("Planned company periods, e.g. P1,P3.")
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app.plans import set_plan

    period_list = split_list(periods) if periods is not None else None
    entry = set_plan(root(ctx), learner, activity, ar, as_, period_list, commit)
    yes, no = _("yes"), _("no")
    out.print(
        _("Plan of {learner} for {activity}: AR {ar}, AS {as_}, periods {periods}.").format(
            learner=learner,
            activity=activity,
            ar="—" if entry.ar is None else (yes if entry.ar else no),
            as_="—" if entry.as_ is None else (yes if entry.as_ else no),
            periods=", ".join(entry.periods) or "—",
        ),
        markup=False,
    )
