"""``olap eval add``: A, EC or R on a sub-activity, answering a need or not."""

from __future__ import annotations

from typing import Any

import typer

from olapcli.cli import complete
from olapcli.cli.common import (
    ask,
    confirm,
    err,
    interactive,
    out,
    parse_date_option,
    refuse,
    root,
    say_notices,
    split_list,
)
from olapcli.i18n import _

app = typer.Typer(
    add_completion=False,
    help=_("Evaluations: A (autonomous), EC (in progress), R (resource for peers)."),
    no_args_is_help=True,
)


def _one_actor(answer: str) -> str:
    from olapcli.app.inputs import parse_actors

    found = parse_actors(answer)
    if len(found) != 1:
        raise ValueError(answer)
    return found[0]


def _level(answer: str) -> str:
    from olapcli.app.inputs import LEVELS

    if answer.upper() not in LEVELS:
        raise ValueError(answer)
    return answer.upper()


def _walk_sheet(sheet: Any) -> list[int]:
    met = []
    out.print(_("Evaluation sheet:"), style="bold")
    for i, criterion in enumerate(sheet.criteria, 1):
        if confirm(f"  {i}. {criterion}", default=False):
            met.append(i)
    return met


@app.command(
    "add",
    help=_(
        "Record an evaluation: A, EC or R.\n\nExample: olap eval add lea-martin --need b20261121-3f9a --level A --by entreprise"
    ),
)
def add(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id."), autocompletion=complete.learners),
    activity: str | None = typer.Option(
        None,
        "--activity",
        "-a",
        help=_("Sub-activity id (default: the need's)."),
        autocompletion=complete.activities,
    ),
    level: str | None = typer.Option(None, "--level", "-l", help=_("A, EC or R.")),
    by: str | None = typer.Option(
        None, "--by", "-b", help=_("Who evaluates: entreprise, formateur or alternant.")
    ),
    need: str | None = typer.Option(
        None,
        "--need",
        "-n",
        help=_("The need this answers (id or its beginning)."),
        autocompletion=complete.needs,
    ),
    date: str | None = typer.Option(
        None, "--date", help=_("Date of the evaluation (default today).")
    ),
    sheet: bool = typer.Option(
        False, "--sheet", help=_("Walk the sub-activity's evaluation sheet and propose A or EC.")
    ),
    criteria: str | None = typer.Option(
        None,
        "--criteria",
        help=_("Criteria met, by number (e.g. 1,3), instead of walking the sheet."),
    ),
    comment: str | None = typer.Option(None, "--comment", help=_("A comment.")),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.app import evaluations
    from olapcli.app.inputs import today

    folder = root(ctx)
    core = evaluations.form(folder, learner)
    competence_only = False  # the need names a competence of its practice's grid alone
    if activity is None and need is not None:
        found = evaluations.need_of(folder, learner, need)
        if found is not None:
            activity, competence_only = found.activity, found.activity is None
    if interactive():  # on a terminal, what is missing is asked in turn
        from olapcli.cli import prompts

        if not (activity or competence_only):
            activity = prompts.activity(core.referentiel.groups)
        if not by:
            by = ask(_("Who evaluates (entreprise, formateur, alternant)"), _one_actor)
        if level is None and not sheet and criteria is None:
            level = ask(_("Level") + " (A, EC, R)", _level)
    missing = [n for n, v in (("--activity", activity or competence_only), ("--by", by)) if not v]
    if level is None and not sheet and criteria is None:
        missing.append("--level")
    if missing:
        refuse(
            _("The evaluation cannot be recorded: missing {fields}.").format(
                fields=", ".join(missing)
            )
        )
    assert by is not None
    evaluations.check(core, activity, by, level)
    met: list[int] | None = None
    if criteria is not None:
        try:
            met = sorted({int(c) for c in split_list(criteria)})
        except ValueError:
            refuse(_("--criteria takes numbers, e.g. 1,3."))
    if (sheet or met is not None) and activity is None:
        refuse(_("A competence of a practice's grid has no evaluation sheet: give --level."))
    if sheet or met is not None:
        assert activity is not None
        act_sheet = evaluations.sheet_of(core, activity)
        if met is None:
            if not interactive():
                refuse(_("--sheet asks questions: run it in a terminal, or give --criteria."))
            met = _walk_sheet(act_sheet)
        proposed = evaluations.propose(act_sheet, met)
        out.print(
            _("{met} of {n} criteria met ({req} needed for A): proposed level {level}.").format(
                met=len(met), n=len(act_sheet.criteria), req=act_sheet.required, level=proposed
            ),
            markup=False,
        )
        if level is None:
            level = proposed
            if interactive():
                level = ask(_("Level") + " (A, EC, R)", _level, default=proposed)
        elif level.upper() != proposed:
            err.print(
                _("Note: the level given ({given}) differs from the sheet's ({proposed}).").format(
                    given=level.upper(), proposed=proposed
                ),
                markup=False,
            )
    assert level is not None
    when = parse_date_option(date, "--date") if date else today()
    inp = evaluations.EvalInput(
        activity=activity,
        level=level.upper(),
        by=by,
        date=when,  # type: ignore[arg-type]
        need=need,
        criteria=met,
        comment=comment,
    )
    done = evaluations.record_evaluation(folder, learner, inp, commit)
    result = done.evaluation
    out.print(
        _("Evaluation recorded: {activity} = {level} ({by}, {date}).").format(
            activity=result.activity or result.need,
            level=result.level,
            by=result.by,
            date=result.date,
        ),
        style="bold green",
        markup=False,
    )
    say_notices(done.notices)
