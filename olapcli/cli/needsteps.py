"""``olap need step`` (the twelve steps of a need's cycle) and ``olap need note`` (the
learner's notes during a workshop or a stay), commands of the ``need`` group."""

from __future__ import annotations

from typing import Any

import typer

from olapcli.cli import complete
from olapcli.cli.common import echo, parse_date_option, root, say_notices
from olapcli.cli.needview import print_need
from olapcli.i18n import _

STEP_HELP = _(
    "Record steps of the need's cycle (the twelve of Annexe 3), each with its day, and who "
    "did them with --by.\n\nExample: olap need step lea-martin b20261121-3f9a --technical "
    "mardi --by formateur"
)
NOTE_HELP = _(
    "Add a dated note of the learner to a need: what was worked during the theatre workshop "
    "or noticed during the stay abroad, toward the company's request.\n\nExample: olap need "
    'note theo-garnier b20260323-0a2c --text "Présenté trois plats en anglais" --date 2026-04-02'
)


def step(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    need: str = typer.Argument(
        ..., help=_("Need id (or its unique beginning)."), autocompletion=complete.needs
    ),
    contracted: str | None = typer.Option(
        None, "--contracted", help=_("Step 1: day of the contract with the learner.")
    ),
    coached: str | None = typer.Option(
        None, "--coached", help=_("Step 2: day the learner was trained to question.")
    ),
    questioned: str | None = typer.Option(
        None, "--questioned", help=_("Step 3: day the learner questioned the company.")
    ),
    supported: str | None = typer.Option(
        None, "--supported", help=_("Step 4: day of the support during a call or a visit.")
    ),
    collected: str | None = typer.Option(
        None, "--collected", help=_("Step 5: day the requests were collected at the centre.")
    ),
    advised: str | None = typer.Option(
        None, "--advised", help=_("Step 6: day of the self-training or targeted advice.")
    ),
    technical: str | None = typer.Option(
        None, "--technical", help=_("Step 7: day of the technical course.")
    ),
    general: str | None = typer.Option(
        None, "--general", help=_("Step 8: day of the general-education course.")
    ),
    prepared: str | None = typer.Option(
        None, "--prepared", help=_("Date the response was prepared at the centre.")
    ),
    briefed: str | None = typer.Option(
        None, "--briefed", help=_("Step 9: day of the brief before going back to the company.")
    ),
    applied: str | None = typer.Option(
        None, "--applied", help=_("Date it was applied in the company.")
    ),
    valorised: str | None = typer.Option(
        None, "--valorised", help=_("Date it was valorised with the company.")
    ),
    negotiated: str | None = typer.Option(
        None, "--negotiated", help=_("Step 12: day the advantage was negotiated.")
    ),
    advantage: str | None = typer.Option(
        None, "--advantage", help=_("Advantage negotiated after valorisation.")
    ),
    by: str | None = typer.Option(
        None, "--by", help=_("Who did these steps: entreprise, formateur or alternant.")
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app.steps import step_need

    days = {
        "contracted": contracted,
        "coached": coached,
        "questioned": questioned,
        "supported": supported,
        "collected": collected,
        "advised": advised,
        "technical": technical,
        "general": general,
        "prepared": prepared,
        "briefed": briefed,
        "applied": applied,
        "valorised": valorised,
        "negotiated": negotiated,
    }
    steps: dict[str, Any] = {}
    for name, value in days.items():
        if value is not None:
            steps[name] = parse_date_option(value, f"--{name}")
    if advantage:
        steps["advantage"] = advantage.strip()
    done = step_need(root(ctx), learner, need, steps, commit, by=by)
    echo(_("Step recorded."))
    print_need(done.need, learner)
    say_notices(done.notices)


def note(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    need: str = typer.Argument(
        ..., help=_("Need id (or its unique beginning)."), autocompletion=complete.needs
    ),
    text: str = typer.Option(..., "--text", help=_("The note.")),
    date: str | None = typer.Option(None, "--date", help=_("Day of the note (default today).")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app.inputs import today
    from olapcli.app.steps import add_note

    when = parse_date_option(date, "--date") if date else today()
    need_id = add_note(root(ctx), learner, need, when, text, commit)
    echo(_("Note added to need {id}.").format(id=need_id))
